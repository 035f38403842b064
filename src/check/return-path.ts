// Why a trace from outside the cluster (an office PC, a gateway, the
// VirtualBox host) goes silent after a gateway that did answer: the probes
// get through, the answers do not come back. The next machine has no route
// back to the sender's network, so its answers (and a pod's replies) leave
// by its default route: on a VirtualBox node that is eth0 and the NAT
// router, where they are lost.
import type { ClusterFacts, HostFacts, NodeFacts } from '../core/facts.js';
import { onSubnet, subnetOf } from '../path/cidr.js';
import { linkTo } from '../path/places.js';
import type { ExpectedHop } from '../path/types.js';

export interface ReturnPathInput {
  facts: ClusterFacts;
  /** The address the probes carry (PathPrediction.sourceAddress). */
  sourceAddress?: string;
  /** The last hop that answered, and the first that did not. */
  answered?: ExpectedHop;
  silent?: ExpectedHop;
}

/** The sender's network as its own interface says (192.168.1.0/24), else its address. */
function senderNetwork(facts: ClusterFacts, address: string): string {
  for (const h of facts.hosts) {
    const i = h.interfaces.find((x) => x.address === address && x.prefixLength !== undefined);
    if (i) return subnetOf(address, i.prefixLength!);
  }
  return address;
}

function onLinkOf(node: NodeFacts, ip: string): boolean {
  return node.interfaces.some((i) => i.address && i.prefixLength !== undefined && onSubnet(ip, i.address, i.prefixLength));
}

/** The diagnosis, or undefined when the silence is not a missing way back from outside the cluster. */
export function returnPathDiagnosis(d: ReturnPathInput): string | undefined {
  const src = d.sourceAddress;
  if (!src || !d.answered?.node || !d.silent?.node) return undefined;
  const gw = d.facts.hosts.find((h) => h.name === d.answered!.node);
  if (!gw) return undefined;
  const network = senderNetwork(d.facts, src);

  const node = d.facts.nodes.find((n) => n.name === d.silent!.node);
  if (node) {
    if (onLinkOf(node, src)) return undefined; // the sender shares a link with the node: no route back needed
    const gwAddress = gatewayAddressTowards(gw, node);
    const def = node.defaultRoute ? ` (default via ${node.defaultRoute.via} dev ${node.defaultRoute.dev})` : '';
    const add = `ip route add ${network}${gwAddress ? ` via ${gwAddress}` : ''}${gwAddress ? ` dev ${linkTo({ kind: 'node', node }, gwAddress)?.iface ?? 'eth1'}` : ''}`;
    return (
      `${gw.name} passes the probes on to ${node.name}, but nothing comes back from there: ${node.name} has no route back to ${network}, ` +
      `so its answers, and the pods' replies, leave by its default route${def} towards the NAT router and are lost. ` +
      `Add \`${add}\` on ${node.name} (on every node the office's packets can reach), or let ${gw.name} masquerade the office's traffic towards the cluster. ` +
      `(With a strict rp_filter, ${node.name} even drops the probes for want of that route.)`
    );
  }
  const next = d.facts.hosts.find((h) => h.name === d.silent!.node);
  if (next && next.routes) {
    return `${gw.name} passes the probes on to ${next.name}, but nothing comes back from there: does ${next.name} have a route back to ${network}? Check \`ip route\` on ${next.name}.`;
  }
  return undefined;
}

/** The gateway's address on the link it shares with the node: where the node's route back must point. */
function gatewayAddressTowards(gw: HostFacts, node: NodeFacts): string | undefined {
  return gw.interfaces.find((i) => i.address && i.prefixLength !== undefined && onLinkOf(node, i.address))?.address;
}
