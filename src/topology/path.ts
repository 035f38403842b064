// Which things in the drawing the last traced path lights up, and in what
// order. A hop address can sit on several machines (every VirtualBox NAT
// guest is 10.0.2.15 behind 10.0.2.2), so a hop that names its node wins,
// and otherwise the machine the trace started from.
import type { ClusterFacts } from '../core/facts.js';
import type { CheckResult } from '../labs/results.js';
import type { HopStatus, TraceVerdict } from '../path/types.js';

export interface TracedHop {
  ttl: number;
  /** What answered; null for `* * *`. */
  address: string | null;
  /** Node or host the expected hop names, to tell identical addresses apart. */
  node?: string;
  status?: HopStatus;
}

export interface TracedPath {
  /** The node the trace started on (or the node of the pod it started in). */
  fromNode?: string;
  /** The pod the trace started in, if any. */
  fromPod?: string;
  /** The host (office PC, gateway, internet host) the trace started on, if any. */
  fromHost?: string;
  hops: TracedHop[];
}

/** A place in the drawing: an interface of a node or host, or a pod. */
export type Spot =
  | { kind: 'iface'; owner: string; iface: string }
  | { kind: 'pod'; name: string };

export function spotKey(s: Spot): string {
  return s.kind === 'pod' ? `pod:${s.name}` : `if:${s.owner}:${s.iface}`;
}

export interface LitSpot {
  /** 0 for where the trace starts, then the TTL. */
  order: number;
  ok: boolean;
}

export function pathFromVerdict(v: TraceVerdict, from?: { node?: string; pod?: string; host?: string }): TracedPath {
  return {
    ...(from?.node ? { fromNode: from.node } : {}),
    ...(from?.pod ? { fromPod: from.pod } : {}),
    ...(from?.host ? { fromHost: from.host } : {}),
    hops: v.hops.map((h) => ({
      ttl: h.ttl,
      address: h.observed[0] ?? null,
      ...(h.expected?.node ? { node: h.expected.node } : {}),
      status: h.status,
    })),
  };
}

/**
 * Where a check's trace started, from its `from` label (endpointLabel:
 * pod/NAME or pod/NAMESPACE/NAME, node/NAME, host/NAME).
 */
export function traceStart(from: string): { pod?: string; node?: string; host?: string } {
  const m = /^(pod|node|host)\/(?:[^/]+\/)?([^/]+)$/.exec(from);
  if (!m) return {};
  return { [m[1]!]: m[2]! };
}

/** The path the last hops check of `checks` saw, to light in a drawing; undefined when none traced. */
export function pathFromChecks(checks: readonly CheckResult[]): TracedPath | undefined {
  for (const c of [...checks].reverse()) {
    const p = pathFromCheck(c);
    if (p) return p;
  }
  return undefined;
}

/** The path one hops check saw, starting where it started (a pod, a node or a host). */
export function pathFromCheck(c: CheckResult): TracedPath | undefined {
  const v = c.hops?.verdict;
  return v ? pathFromVerdict(v, traceStart(c.hops!.from)) : undefined;
}

function candidates(facts: ClusterFacts, address: string): { spot: Spot; owner: string }[] {
  const out: { spot: Spot; owner: string }[] = [];
  for (const p of facts.pods) if (p.ip === address) out.push({ spot: { kind: 'pod', name: p.name }, owner: p.node });
  for (const n of facts.nodes) {
    for (const i of n.interfaces) if (i.address === address) out.push({ spot: { kind: 'iface', owner: n.name, iface: i.name }, owner: n.name });
  }
  for (const h of facts.hosts) {
    for (const i of h.interfaces) {
      if (i.address === address) out.push({ spot: { kind: 'iface', owner: h.name, iface: i.name }, owner: h.serves ?? h.name });
    }
  }
  return out;
}

/** Spots lit by the path, keyed by spotKey; addresses that are nowhere in the lab are returned apart. */
export function lightPath(
  facts: ClusterFacts,
  path: TracedPath,
): { lit: Map<string, LitSpot>; unplaced: TracedHop[]; labels: Map<number, string> } {
  const lit = new Map<string, LitSpot>();
  const unplaced: TracedHop[] = [];
  const labels = new Map<number, string>();
  if (path.fromPod) lit.set(spotKey({ kind: 'pod', name: path.fromPod }), { order: 0, ok: true });
  const start = path.fromHost ? hostStart(facts, path.fromHost) : undefined;
  if (start) lit.set(spotKey(start), { order: 0, ok: true });
  for (const hop of path.hops) {
    if (!hop.address) continue;
    const all = candidates(facts, hop.address);
    const byNode = hop.node ? all.filter((c) => c.owner === hop.node || (c.spot.kind === 'iface' && c.spot.owner === hop.node)) : [];
    const from = path.fromNode ?? path.fromHost;
    const byStart = from ? all.filter((c) => c.owner === from || (c.spot.kind === 'iface' && c.spot.owner === from)) : [];
    const pick = byNode[0] ?? byStart[0] ?? all[0];
    if (!pick) {
      unplaced.push(hop);
      continue;
    }
    labels.set(hop.ttl, pick.spot.kind === 'pod' ? `pod ${pick.spot.name}` : `${pick.spot.iface}@${pick.spot.owner}`);
    const key = spotKey(pick.spot);
    if (!lit.has(key)) lit.set(key, { order: hop.ttl, ok: hop.status === undefined || hop.status === 'match' || hop.status === 'no-answer' });
  }
  return { lit, unplaced, labels };
}

/** The interface a trace from a host leaves by: its first with an address (a host has no pods to light). */
function hostStart(facts: ClusterFacts, name: string): Spot | undefined {
  const iface = facts.hosts.find((h) => h.name === name)?.interfaces.find((i) => i.address && i.name !== 'lo');
  return iface ? { kind: 'iface', owner: name, iface: iface.name } : undefined;
}
