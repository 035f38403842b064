// Which address a node answers an expired probe from (ICMP time exceeded).
// The kernel does not answer from the address the probe arrived on: it
// routes the answer back to the probe's sender and uses that route's
// preferred source, which is the address of the interface the route leaves
// through. When that interface holds no IPv4 address (calico's cali veths)
// the kernel takes the first address of the node's interfaces in device
// order, which the facts list in that order (eth0 before eth1 on the seed's
// VirtualBox nodes, so 10.0.2.15).
//
// Evidence, from the netns lab on kernel 6.18 (test/integration/netns-modes):
// - flannel: the pod's node answers from cni0, the peer from eth1 (host-gw)
//   or flannel.1 (vxlan): the interfaces the routes back leave through;
// - calico: a pod's own node answers 10.0.2.15 (the route back is the cali
//   veth, addressless); a router whose devices were created in the other
//   order answered from the other device's address; the peer node answers
//   from eth1 (BGP) or vxlan.calico (VXLAN), again the route back's device.
import type { NodeFacts } from '../../core/facts.js';

export interface Answer {
  address: string;
  interface?: string;
  /** Why this address, in words. */
  because: string;
}

/** The first address among the node's interfaces, in the order the facts list them. */
export function firstAddress(node: NodeFacts): { address: string; interface?: string } {
  const first = node.interfaces.find((i) => i.address !== undefined);
  return first ? { address: first.address!, interface: first.name } : { address: node.internalIP };
}

/**
 * The answer of `node` when its route back to the sender leaves through `dev`.
 * `addressless`: the device holds no address by design (a cali veth). A
 * device the facts do not list is not known to be addressless: the answer is
 * then a guess (the InternalIP), and `guessed` says so.
 */
export function answerVia(node: NodeFacts, dev: string | undefined, addressless = false): Answer & { guessed?: true } {
  const listed = dev === undefined ? undefined : node.interfaces.find((i) => i.name === dev);
  if (listed?.address !== undefined) return { address: listed.address, interface: listed.name, because: `its route back leaves through ${dev}` };
  if (dev !== undefined && (addressless || listed)) {
    const first = firstAddress(node);
    return {
      ...first,
      because: `its route back leaves through ${dev}, which holds no address, so the kernel takes the node's first address (${first.interface ?? 'InternalIP'})`,
    };
  }
  const what = dev === undefined ? 'its route back is not known' : `the facts do not give ${dev}'s address on ${node.name}`;
  return { address: node.internalIP, guessed: true, because: `${what}; taken to be its InternalIP` };
}
