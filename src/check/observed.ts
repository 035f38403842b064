// What each TTL of a parsed trace answered, as addresses the checker can
// compare. Names without an address (tracepath and mtr without -n) are mapped
// through the cluster facts where they can be: a pod, node or host name, or
// Kubernetes' `10-244-1-3.default.pod.cluster.local` form.
import type { ClusterFacts } from '../core/facts.js';
import { isIPv4 } from '../path/cidr.js';
import type { ParsedTrace, TraceHop } from '../path/types.js';

export interface ObservedHop {
  ttl: number;
  /** Distinct addresses that answered, in the order they first did. */
  addresses: string[];
  /** Names that answered and could not be mapped to an address. */
  names: string[];
  /** Annotations printed on this hop (`!H`, `!F-1400`), distinct. */
  annotations: string[];
}

export function answered(h: ObservedHop | undefined): boolean {
  return h !== undefined && (h.addresses.length > 0 || h.names.length > 0);
}

export function observeTrace(trace: ParsedTrace, facts: ClusterFacts): Map<number, ObservedHop> {
  return new Map(trace.hops.map((h) => [h.ttl, observeHop(h, facts)]));
}

function observeHop(hop: TraceHop, facts: ClusterFacts): ObservedHop {
  const o: ObservedHop = { ttl: hop.ttl, addresses: [], names: [], annotations: [] };
  const add = <T>(list: T[], v: T) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const p of hop.probes) {
    const address = p.address ?? (p.hostname !== undefined ? addressForName(p.hostname, facts) : undefined);
    if (address !== undefined) add(o.addresses, address);
    else if (p.hostname !== undefined) add(o.names, p.hostname);
    if (p.annotation !== undefined) add(o.annotations, p.annotation);
  }
  return o;
}

export function addressForName(name: string, facts: ClusterFacts): string | undefined {
  if (isIPv4(name)) return name;
  const dashed = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\./.exec(name);
  if (dashed) {
    const ip = dashed.slice(1, 5).join('.');
    if (isIPv4(ip)) return ip;
  }
  for (const n of [name, name.split('.')[0]!]) {
    const pods = facts.pods.filter((p) => p.name === n && p.ip);
    if (pods.length === 1) return pods[0]!.ip;
    const node = facts.nodes.find((x) => x.name === n);
    if (node) return node.internalIP;
    const host = facts.hosts.find((x) => x.name === n);
    const addrs = host?.interfaces.flatMap((i) => (i.address ? [i.address] : [])) ?? [];
    if (addrs.length === 1) return addrs[0];
  }
  return undefined;
}
