// Flannel with the host-gw backend, as in the seed article: pods on a node
// share the bridge cni0 (the node holds its first address and is the pods'
// gateway); every node has a plain route per peer node's pod CIDR via that
// node's InternalIP, so nodes must share one L2 network (eth1 in VirtualBox).
// No tunnel: a packet between nodes carries the pod addresses as they are.
import type { NodeFacts } from '../../core/facts.js';
import { inCidr, subnetOf } from '../cidr.js';
import { type Place, linkTo } from '../places.js';
import type { ModeRules, Step, WalkContext } from '../walk.js';
import { bridgeAddress, hostNext, viaDefaultRoute } from './common.js';

export const flannelHostGw: ModeRules = {
  next(ctx, at, dest) {
    switch (at.kind) {
      case 'pod':
        return podNext(at.node, dest);
      case 'node':
        return nodeNext(ctx, at.node, dest);
      case 'host':
        return hostNext(ctx, at.host, dest);
    }
  },
};

function podNext(node: NodeFacts, dest: string): Step {
  if (inCidr(dest, node.podCIDR)) {
    return { kind: 'deliver', why: `${dest} is in ${node.podCIDR}, on the same bridge cni0 of ${node.name}` };
  }
  const gw = bridgeAddress(node);
  return {
    kind: 'forward',
    to: { kind: 'node', node },
    answer: { address: gw, interface: 'cni0' },
    why: `the pod's default route: via ${gw}, cni0 on ${node.name}`,
  };
}

function nodeNext(ctx: WalkContext, node: NodeFacts, dest: string): Step {
  const self: Place = { kind: 'node', node };
  if (inCidr(dest, node.podCIDR)) {
    return { kind: 'deliver', why: `${dest} is in ${node.name}'s own pod CIDR ${node.podCIDR}: out through cni0` };
  }
  const direct = linkTo(self, dest);
  if (direct) {
    return { kind: 'deliver', why: `${dest} is on ${node.name}'s ${direct.iface} subnet ${subnetOf(direct.address, direct.prefix)}` };
  }
  const owner = ctx.facts.nodes.find((n) => n.name !== node.name && inCidr(dest, n.podCIDR));
  if (owner) {
    const link = linkTo(self, owner.internalIP);
    if (!link) {
      return {
        kind: 'drop',
        reason: `flannel host-gw routes ${owner.podCIDR} via ${owner.name}'s ${owner.internalIP}, but ${node.name} has no interface on that subnet: host-gw needs every node on one L2 network`,
      };
    }
    const ownerLink = linkTo({ kind: 'node', node: owner }, owner.internalIP);
    return {
      kind: 'forward',
      to: { kind: 'node', node: owner },
      answer: { address: owner.internalIP, interface: ownerLink?.iface },
      why: `flannel host-gw route on ${node.name}: ${owner.podCIDR} via ${owner.internalIP} dev ${link.iface} (${owner.name})`,
    };
  }
  if (inCidr(dest, ctx.facts.clusterCIDR)) {
    ctx.notes.push(`${dest} is in the cluster CIDR ${ctx.facts.clusterCIDR}, but no node has it as its pod CIDR: ${node.name} sends it to its default route`);
  }
  return viaDefaultRoute(ctx, node, dest);
}
