// kube-proxy's modes in the netns lab. iptables is what the lab builds. IPVS
// needs the kernel's ip_vs, which many kernels (this project's CI machine's
// among them) are built without; hoplab probes for it and refuses the mode
// with the reason, never substituting iptables silently.
import { hoplabCmd } from '../../core/suggest.js';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { MachineError, UsageError } from '../../core/errors.js';
import { run } from '../../core/exec.js';

export const PROXY_MODES = ['iptables', 'ipvs'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export function parseProxyMode(value: string | undefined): ProxyMode | undefined {
  if (value === undefined) return undefined;
  if (!(PROXY_MODES as readonly string[]).includes(value)) {
    throw new UsageError(`--proxy-mode '${value}': expected one of ${PROXY_MODES.join(', ')}`);
  }
  return value as ProxyMode;
}

/** Whether the kernel has IPVS: /proc/net/ip_vs exists once ip_vs is loaded or built in; the kernel config says if it could be. */
export async function probeIpvs(): Promise<{ present: boolean; why: string }> {
  const loaded = await readFile('/proc/net/ip_vs', 'utf8').then(
    () => true,
    () => false,
  );
  if (loaded) return { present: true, why: 'ip_vs is loaded (/proc/net/ip_vs)' };
  const config = await readFile('/proc/config.gz').then(
    (b) => gunzipSync(b).toString('utf8'),
    () => '',
  );
  const line = config.split('\n').find((l) => /^(# )?CONFIG_IP_VS[= ]/.test(l));
  if (line === '# CONFIG_IP_VS is not set') return { present: false, why: 'CONFIG_IP_VS is not set in its build (/proc/config.gz)' };
  if (line === 'CONFIG_IP_VS=m') return { present: false, why: 'ip_vs is a module that is not loaded (modprobe ip_vs)' };
  return { present: false, why: 'there is no /proc/net/ip_vs' };
}

/** Refuses a mode the lab cannot run here, saying why and what works. */
export async function checkProxyMode(mode: ProxyMode | undefined, lab: string): Promise<void> {
  if (mode === undefined || mode === 'iptables') return;
  const ipvs = await probeIpvs();
  const kernel = (await run(['uname', '-r'])).stdout.trim();
  if (!ipvs.present) {
    throw new MachineError(
      `--proxy-mode ipvs needs the kernel's IPVS, which this kernel (${kernel}) lacks: ${ipvs.why}`,
      `kube-proxy's iptables mode works on this kernel: ${hoplabCmd(lab, 'up')} (--proxy-mode iptables is the default)`,
    );
  }
  throw new MachineError(
    `--proxy-mode ipvs: this kernel (${kernel}) has IPVS, but hoplab's netns lab builds kube-proxy's iptables mode only`,
    `${hoplabCmd(lab, 'up')} (--proxy-mode iptables)`,
  );
}
