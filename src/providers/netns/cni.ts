// Runs the real CNI plugin for a pod the way a kubelet's container runtime
// does, but from inside the node's namespace: that is where cni0 and the
// host end of the veth belong. (With the native helper the plugin enters the
// node's network namespace by setns only; `ip netns exec` without it.)
import { mkdir, writeFile } from 'node:fs/promises';
import { CommandError, MachineError } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { inNsNetOnly } from './namespaces.js';

export const CNI_BIN_DIR = process.env.HOPLAB_CNI_PATH ?? '/usr/lib/cni';

export interface CniResult {
  podIP: string;
  prefixLength: number;
  gateway?: string;
  hostVeth?: string;
  raw: unknown;
}

interface RawResult {
  interfaces?: { name: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
}

export function parseCniResult(stdout: string, bridge: string): CniResult {
  const raw = JSON.parse(stdout) as RawResult;
  const ip = raw.ips?.[0];
  if (!ip) throw new MachineError(`the CNI plugin returned no IP: ${stdout.trim().slice(0, 200)}`);
  const [podIP, prefix] = ip.address.split('/');
  const hostVeth = raw.interfaces?.find((i) => !i.sandbox && i.name !== bridge)?.name;
  return { podIP: podIP!, prefixLength: Number(prefix), gateway: ip.gateway, hostVeth, raw };
}

async function invoke(
  command: 'ADD' | 'DEL',
  nodeNs: string,
  podNs: string,
  containerId: string,
  config: Record<string, unknown>,
): Promise<string> {
  const type = String(config.type);
  const r = await run(inNsNetOnly(nodeNs, [`${CNI_BIN_DIR}/${type}`]), {
    input: JSON.stringify(config),
    env: {
      // The plugins are Go programs that run for a few milliseconds: one thread and no garbage collection
      // start them for less CPU, which a thousand pods pay twice each (bridge, then host-local).
      GOMAXPROCS: '1',
      GOGC: 'off',
      CNI_COMMAND: command,
      CNI_CONTAINERID: containerId,
      CNI_NETNS: `/run/netns/${podNs}`,
      CNI_IFNAME: 'eth0',
      CNI_PATH: CNI_BIN_DIR,
    },
  });
  if (r.exitCode !== 0) {
    // Plugins report errors as JSON on stdout ({"code":..,"msg":..}).
    let msg = r.stdout.trim() || r.stderr.trim();
    try {
      const e = JSON.parse(r.stdout) as { msg?: string; details?: string };
      msg = [e.msg, e.details].filter(Boolean).join(': ');
    } catch {
      /* not JSON: keep the text */
    }
    throw new CommandError([`${CNI_BIN_DIR}/${type}`], r.exitCode, msg, `CNI ${command} (${type})`);
  }
  return r.stdout;
}

export async function cniAdd(
  nodeNs: string,
  podNs: string,
  containerId: string,
  config: Record<string, unknown>,
): Promise<CniResult> {
  const ipam = (config.ipam ?? {}) as { dataDir?: string };
  if (ipam.dataDir) await mkdir(ipam.dataDir, { recursive: true });
  const out = await invoke('ADD', nodeNs, podNs, containerId, config);
  return parseCniResult(out, String(config.bridge ?? 'cni0'));
}

export async function cniDel(
  nodeNs: string,
  podNs: string,
  containerId: string,
  config: Record<string, unknown>,
): Promise<void> {
  await invoke('DEL', nodeNs, podNs, containerId, config);
}

export async function saveCniResult(file: string, result: CniResult): Promise<void> {
  await writeFile(file, JSON.stringify(result, null, 2));
}
