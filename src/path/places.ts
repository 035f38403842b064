// The machines a packet can be on, as the facts describe them, and who holds
// which address. Several machines can hold one address (every VirtualBox NAT
// guest is 10.0.2.15, every NAT router 10.0.2.2), so lookups take the place
// the packet is near to pick the right one.
import type { ClusterFacts, HostFacts, NodeFacts, PodFacts } from '../core/facts.js';
import { onSubnet } from './cidr.js';

export type Place =
  | { kind: 'pod'; pod: PodFacts; node: NodeFacts }
  | { kind: 'node'; node: NodeFacts }
  | { kind: 'host'; host: HostFacts };

export interface Holding {
  place: Place;
  /** The interface that holds the address, when the facts say. */
  iface?: string;
}

interface HeldAddress {
  address: string;
  iface?: string;
  prefix?: number;
}

export function addressesOf(place: Place): HeldAddress[] {
  switch (place.kind) {
    case 'pod':
      return [{ address: place.pod.ip, iface: 'eth0' }];
    case 'node': {
      const held: HeldAddress[] = place.node.interfaces
        .filter((i) => i.address !== undefined)
        .map((i) => ({ address: i.address!, iface: i.name, prefix: i.prefixLength }));
      if (!held.some((h) => h.address === place.node.internalIP)) held.push({ address: place.node.internalIP });
      return held;
    }
    case 'host':
      return place.host.interfaces
        .filter((i) => i.address !== undefined)
        .map((i) => ({ address: i.address!, iface: i.name, prefix: i.prefixLength }));
  }
}

export function holds(place: Place, ip: string): boolean {
  return addressesOf(place).some((a) => a.address === ip);
}

/** The subnets a place is directly attached to, as address/prefix pairs with the interface name. */
export function links(place: Place): { address: string; prefix: number; iface: string }[] {
  return addressesOf(place).flatMap((a) =>
    a.prefix !== undefined && a.iface !== undefined ? [{ address: a.address, prefix: a.prefix, iface: a.iface }] : [],
  );
}

export function linkTo(place: Place, ip: string): { address: string; prefix: number; iface: string } | undefined {
  return links(place).find((l) => onSubnet(ip, l.address, l.prefix));
}

export function allPlaces(facts: ClusterFacts): Place[] {
  const byName = new Map(facts.nodes.map((n) => [n.name, n]));
  const pods = facts.pods.flatMap((pod): Place[] => {
    const node = byName.get(pod.node);
    return node ? [{ kind: 'pod', pod, node }] : [];
  });
  return [
    ...facts.nodes.map((node): Place => ({ kind: 'node', node })),
    ...facts.hosts.map((host): Place => ({ kind: 'host', host })),
    ...pods,
  ];
}

export function holdersOf(facts: ClusterFacts, ip: string): Holding[] {
  return allPlaces(facts).flatMap((place) => {
    const a = addressesOf(place).find((x) => x.address === ip);
    return a ? [{ place, iface: a.iface }] : [];
  });
}

export function nodeOf(place: Place): string | undefined {
  return place.kind === 'host' ? undefined : place.node.name;
}

export function placeKey(place: Place): string {
  return place.kind === 'pod' ? `pod/${place.pod.namespace}/${place.pod.name}` : place.kind === 'node' ? `node/${place.node.name}` : `host/${place.host.name}`;
}

/** Who holds ip as seen from `near`: near itself, then a router serving near's node (or the node a router serves), then a node (hostNetwork pods share its address), then the only holder. */
export function holderNear(facts: ClusterFacts, ip: string, near?: Place): Holding | undefined {
  const all = holdersOf(facts, ip);
  if (all.length <= 1) return all[0];
  if (near) {
    const self = all.find((h) => placeKey(h.place) === placeKey(near));
    if (self) return self;
    const node = nodeOf(near);
    const serving = all.find((h) => h.place.kind === 'host' && node !== undefined && h.place.host.serves === node);
    if (serving) return serving;
    if (near.kind === 'host' && near.host.serves) {
      const served = all.find((h) => h.place.kind === 'node' && h.place.node.name === near.host.serves);
      if (served) return served;
    }
  }
  const distinct = new Set(all.map((h) => (h.place.kind === 'pod' ? `node/${h.place.node.name}` : placeKey(h.place))));
  if (distinct.size === 1) return all.find((h) => h.place.kind === 'node') ?? all[0];
  return undefined;
}

/** `pod httpd on node-1`, `node node-1`, `host vbox (nat-router)`. */
export function describePlace(place: Place): string {
  switch (place.kind) {
    case 'pod':
      return `pod ${place.pod.name} on ${place.node.name}`;
    case 'node':
      return `node ${place.node.name}`;
    case 'host':
      return place.host.role === 'host' || place.host.role === place.host.name ? `host ${place.host.name}` : `${place.host.role} ${place.host.name}`;
  }
}
