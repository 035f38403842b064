// Which faults apply to a cluster, where they go, and the seeded pick that
// gives attendees sitting side by side different faults, reproducibly. Pure.
import { MachineError, UsageError } from '../core/errors.js';
import { labNamespace, type ClusterFacts } from '../core/facts.js';
import type { ProviderName } from '../providers/provider.js';
import { FAULTS } from './catalogue.js';
import type { Fault, FaultTarget } from './types.js';

/** Why the fault cannot go into this cluster, or undefined when it can. `bad` input (exit 2) or the `machine`'s limit (exit 3). */
export function refusal(fault: Fault, mode: string, provider: ProviderName): { kind: 'bad' | 'machine'; reason: string } | undefined {
  if (!(fault.modes as readonly string[]).includes(mode)) {
    return { kind: 'bad', reason: `fault '${fault.name}' applies to ${fault.modes.join(', ')}; the cluster runs ${mode}` };
  }
  const why = fault.refused[provider];
  if (why) return { kind: 'machine', reason: `fault '${fault.name}' cannot be done on the ${provider} provider: ${why}` };
  return undefined;
}

/** The faults that can go into a cluster of this mode on this provider (a Service-fault only when there is a Service). */
export function applicable(mode: string, provider: ProviderName, hasService = true): Fault[] {
  return FAULTS.filter((f) => !refusal(f, mode, provider) && (hasService || !f.needsService));
}

function workers(facts: ClusterFacts): string[] {
  const w = facts.nodes.filter((n) => !n.roles.includes('control-plane')).map((n) => n.name);
  return w.length ? w : facts.nodes.map((n) => n.name);
}

/** The Services a fault may break: the lab's own, not the API's `kubernetes`. */
export function labServices(facts: ClusterFacts): string[] {
  return facts.services.filter((s) => s.namespace === labNamespace(facts) && s.name !== 'kubernetes' && s.clusterIP && s.clusterIP !== 'None').map((s) => s.name);
}

export interface TargetWish {
  node?: string;
  peer?: string;
  service?: string;
}

/**
 * Where the fault goes: `node` (default the last worker, node-2 in the seed's
 * cluster), a `peer` worker whose pods it cuts off (default the first other
 * worker), another node for "the wrong node" (the control plane), and the
 * Service (default `web`, else the lab's first). Throws UsageError for a name
 * the cluster has not.
 */
export function resolveTarget(fault: Fault, facts: ClusterFacts, wish: TargetWish = {}): FaultTarget {
  const names = facts.nodes.map((n) => n.name);
  const known = (what: string, v: string | undefined) => {
    if (v !== undefined && !names.includes(v)) throw new UsageError(`--${what} '${v}': the cluster has no such node (nodes: ${names.join(', ')})`);
    return v;
  };
  const w = workers(facts);
  const node = known('node', wish.node) ?? w.at(-1)!;
  const peer = known('peer', wish.peer) ?? w.find((n) => n !== node) ?? names.find((n) => n !== node);
  if (!peer || peer === node) throw new UsageError(`fault '${fault.name}' needs two nodes, ${node} and a peer`, 'bring the lab up with 2 workers');
  const other = names.find((n) => n !== node && n !== peer);
  if (!other && /wrong/.test(fault.name)) throw new UsageError(`fault '${fault.name}' needs a third node`, 'bring the lab up with 2 workers');
  const target: FaultTarget = { node, peer, other: other ?? peer };
  if (fault.needsService) {
    const svcs = labServices(facts);
    const service = wish.service ?? (svcs.includes('web') ? 'web' : svcs[0]);
    if (!service) throw new UsageError(`fault '${fault.name}' breaks a Service, and the lab has none yet`, 'create one first, e.g. kubectl expose deployment web --port 80');
    if (!svcs.includes(service)) throw new UsageError(`--service '${service}': no such Service in the lab (Services: ${svcs.join(', ') || 'none'})`);
    target.service = service;
  }
  return target;
}

/** mulberry32: a tiny PRNG whose sequence a seed fixes, so `--random --seed 7` picks the same everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fault and a node from the seed: the same seed on the same cluster shape always gives the same pair. */
export function pickRandom(facts: ClusterFacts, provider: ProviderName, seed: number): { fault: Fault; node: string } {
  const mode = facts.cni;
  const faults = applicable(mode, provider, labServices(facts).length > 0);
  if (!faults.length) throw new MachineError(`no fault of the catalogue can be done on a ${mode} cluster with the ${provider} provider`);
  const rnd = seededRandom(seed);
  const fault = faults[Math.floor(rnd() * faults.length)]!;
  const w = workers(facts);
  return { fault, node: w[Math.floor(rnd() * w.length)]! };
}
