// Shorthands for path-engine tests: endpoints by kind, and a prediction's hops
// without their `why` text.
import type { IfaceFacts, NodeFacts } from '../../src/core/facts.js';
import type { EndpointRef, ExpectedHop, PathPrediction } from '../../src/path/types.js';

export const pod = (name: string): EndpointRef => ({ kind: 'pod', name });
export const node = (name: string): EndpointRef => ({ kind: 'node', name });
export const host = (name: string): EndpointRef => ({ kind: 'host', name });
export const addr = (ip: string): EndpointRef => ({ kind: 'address', ip });

export function hops(p: PathPrediction): Omit<ExpectedHop, 'why'>[] {
  if (!p.ok) throw new Error(`no prediction: ${p.reason}`);
  return p.hops.map(({ why: _why, ...rest }) => rest);
}

/** The seed's VirtualBox nodes (controlplane, node-1, …): eth0 on the NAT network, eth1 on 192.168.56.0/24, and what a mode adds. */
export function seedNodes(names: string[], extra: (i: number) => IfaceFacts[]): NodeFacts[] {
  return names.map((name, i) => ({
    name,
    roles: i === 0 ? ['control-plane'] : [],
    internalIP: `192.168.56.1${i}`,
    podCIDR: `10.244.${i}.0/24`,
    interfaces: [{ name: 'eth0', address: '10.0.2.15', prefixLength: 24 }, { name: 'eth1', address: `192.168.56.1${i}`, prefixLength: 24 }, ...extra(i)],
    defaultRoute: { via: '10.0.2.2', dev: 'eth0' },
  }));
}
