// Flannel with the vxlan backend (flannel's default): pods on a node share
// cni0 as in host-gw, but each peer's pod CIDR is routed `via <peer's
// flannel.1 address> dev flannel.1 onlink` (flannel.1 holds the network
// address of its node's pod CIDR, 10.244.N.0/32) and crosses eth1 inside
// VXLAN (UDP 8472), so a trace between nodes shows the peer's flannel.1
// address, never an eth1 address.
import { CNI_MODE_INFO } from '../../core/cni-modes.js';
import type { NodeFacts } from '../../core/facts.js';
import { ifaceAddress } from '../../core/facts.js';
import ipaddr from 'ipaddr.js';
import { inCidr, subnetOf } from '../cidr.js';
import { linkTo } from '../places.js';
import type { WalkContext } from '../walk.js';
import { routedRules, type NodeRoute, type RoutedMode } from './routed.js';
import { bridgeAddress } from './common.js';

export const FLANNEL_VXLAN_DEVICE = CNI_MODE_INFO['flannel-vxlan'].tunnel!.device;

/** A node's flannel.1 address: as the facts report it, else flannel's choice, the pod CIDR's network address. */
export function flannelVtepAddress(node: NodeFacts): string {
  return ifaceAddress(node, FLANNEL_VXLAN_DEVICE) ?? ipaddr.IPv4.networkAddressFromCIDR(node.podCIDR).toString();
}

const mode: RoutedMode = {
  podLocal(_ctx, _pod, node, dest) {
    if (!inCidr(dest, node.podCIDR)) return undefined;
    return { kind: 'deliver', why: `${dest} is in ${node.podCIDR}, on the same bridge cni0 of ${node.name}` };
  },
  podExit: (node) => `the pod's default route: via ${bridgeAddress(node)}, cni0 on ${node.name}`,
  masqueradesFromOutside: true,
  route(ctx: WalkContext, node: NodeFacts, dest: string): NodeRoute {
    if (inCidr(dest, node.podCIDR)) {
      return { kind: 'local', dev: 'cni0', src: bridgeAddress(node), why: `${dest} is in ${node.name}'s own pod CIDR ${node.podCIDR}: out through cni0` };
    }
    const direct = linkTo({ kind: 'node', node }, dest);
    if (direct) {
      return { kind: 'local', dev: direct.iface, why: `${dest} is on ${node.name}'s ${direct.iface} subnet ${subnetOf(direct.address, direct.prefix)}` };
    }
    const owner = ctx.facts.nodes.find((n) => n.name !== node.name && (inCidr(dest, n.podCIDR) || flannelVtepAddress(n) === dest));
    if (owner) {
      const via = flannelVtepAddress(owner);
      return {
        kind: 'peer',
        owner,
        dev: FLANNEL_VXLAN_DEVICE,
        via,
        src: flannelVtepAddress(node),
        why: `flannel vxlan route on ${node.name}: ${owner.podCIDR} via ${via} dev flannel.1 onlink, VXLAN to ${owner.name}'s eth1 ${owner.internalIP}`,
      };
    }
    if (inCidr(dest, ctx.facts.clusterCIDR)) {
      ctx.notes.push(`${dest} is in the cluster CIDR ${ctx.facts.clusterCIDR}, but no node has it as its pod CIDR: ${node.name} sends it to its default route`);
    }
    return { kind: 'default' };
  },
};

export const flannelVxlan = routedRules(mode);
