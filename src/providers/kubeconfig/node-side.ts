// What only the node itself can say, read through its debug pod: its
// interfaces and default route (iproute2's JSON), and which of its veths
// is the other end of a pod's eth0 (the pod's eth0 `iflink` is the peer's
// interface index on the node).
import { MachineError } from '../../core/errors.js';
import { defaultRoute, parseIpAddr, parseIpRoute, toIfaceFacts } from '../ip-json.js';
import { execInPod, runOnNode, type NodeShellContext } from './node-exec.js';
import type { NodeSide } from './state.js';

const SEPARATOR = '---hoplab---';

/** Pure: the output of the combined `ip -d -j addr; ip -j route` command. */
export function readNodeSideOutput(stdout: string, podsAtRead: number, readAt = new Date().toISOString()): NodeSide {
  const [addr, route] = stdout.split(`${SEPARATOR}\n`);
  if (addr === undefined || route === undefined) throw new Error('the node listing is cut short');
  // Pods' veths (no address on the node side) come and go; each pod's is its hostVeth. A node's
  // own NIC may be a veth too (kind's nodes, the embedded lab's), but it holds an address.
  const links = parseIpAddr(addr).filter((l) => !(l.kind === 'veth' && l.ipv4.length === 0));
  const side: NodeSide = { interfaces: toIfaceFacts(links), readAt, podsAtRead };
  const d = defaultRoute(parseIpRoute(route));
  if (d) side.defaultRoute = d;
  return side;
}

export async function readNodeSide(ctx: NodeShellContext, node: string, role: string | undefined, podsAtRead: number, signal?: AbortSignal): Promise<NodeSide> {
  const r = await runOnNode(ctx, node, role, ['sh', '-c', `ip -d -j addr show && echo ${SEPARATOR} && ip -j route show`], signal ? { signal } : {});
  if (r.exitCode !== 0) throw new MachineError(`reading ${node}'s interfaces failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  try {
    return readNodeSideOutput(r.stdout, podsAtRead);
  } catch (err) {
    throw new MachineError(`reading ${node}'s interfaces: ${(err as Error).message}`, `the debug image needs iproute2 with JSON output (ip -j); ${ctx.image} may not have it`);
  }
}

/** Pure: `ip -o link` → interface index → name (without the @peer part). */
export function linkNamesByIndex(ipOLink: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of ipOLink.split('\n')) {
    const m = /^(\d+):\s+([^:@\s]+)/.exec(line);
    if (m) out.set(Number(m[1]), m[2]!);
  }
  return out;
}

export interface PodOnNode {
  uid: string;
  name: string;
  namespace: string;
}

/**
 * The host-side veth of each pod: its eth0's iflink from inside the pod
 * (a pod whose image has no `cat` is skipped), then the node's link with that index.
 */
export async function findHostVeths(ctx: NodeShellContext, node: string, role: string | undefined, pods: PodOnNode[]): Promise<Record<string, string>> {
  const indexes = await Promise.all(
    pods.map(async (p) => {
      const r = await execInPod(ctx, { namespace: p.namespace, name: p.name }, ['cat', '/sys/class/net/eth0/iflink']);
      const n = Number(r.stdout.trim());
      return r.exitCode === 0 && Number.isInteger(n) && n > 0 ? { uid: p.uid, index: n } : undefined;
    }),
  );
  const wanted = indexes.filter((x): x is { uid: string; index: number } => x !== undefined);
  if (wanted.length === 0) return {};
  const r = await runOnNode(ctx, node, role, ['ip', '-o', 'link', 'show']);
  if (r.exitCode !== 0) return {};
  const names = linkNamesByIndex(r.stdout);
  const out: Record<string, string> = {};
  for (const w of wanted) {
    const name = names.get(w.index);
    if (name) out[w.uid] = name;
  }
  return out;
}
