// Calico's three modes. Pods have a /32 and a default route via 169.254.1.1,
// which nothing holds: the cali veth answers ARP for it by proxy, so every
// packet of a pod goes to its node, even to a pod on the same node (two hops,
// where a bridge gives one). Each node routes its own pods by /32 over their
// cali veths, and other nodes' pods by block:
// - bgp:   `<block> via <peer eth1> dev eth1 proto bird` (BIRD, no tunnel);
// - ipip:  `<block> via <peer eth1> dev tunl0 proto bird onlink` (IP in IP);
// - vxlan: `<block> via <peer's vxlan.calico address> dev vxlan.calico onlink`.
// A node answers from its route back's device (answers.ts): towards its own
// pods that is an addressless cali veth, so it answers from its first address
// (eth0, 10.0.2.15, on the seed's nodes); towards another node's pod, from
// eth1, tunl0 or vxlan.calico.
// The facts do not carry calico's IPAM blocks; the owner of an address is the
// node of the pod holding it, else the node whose tunnel address it is, else
// the node whose podCIDR contains it.
import { CNI_MODE_INFO } from '../../core/cni-modes.js';
import type { NodeFacts } from '../../core/facts.js';
import { ifaceAddress } from '../../core/facts.js';
import { inCidr, subnetOf } from '../cidr.js';
import { linkTo } from '../places.js';
import type { WalkContext } from '../walk.js';
import { routedRules, type NodeRoute, type RoutedMode } from './routed.js';

export type CalicoEncapsulation = 'none' | 'ipip' | 'vxlan';

const TUNNEL_DEVICE = { ipip: CNI_MODE_INFO['calico-ipip'].tunnel!.device, vxlan: CNI_MODE_INFO['calico-vxlan'].tunnel!.device };

function ownerOf(ctx: WalkContext, dest: string): NodeFacts | undefined {
  const pod = ctx.facts.pods.find((p) => p.ip === dest);
  const byPod = pod && ctx.facts.nodes.find((n) => n.name === pod.node);
  if (byPod) return byPod;
  return (
    ctx.facts.nodes.find((n) => ifaceAddress(n, TUNNEL_DEVICE.ipip) === dest || ifaceAddress(n, TUNNEL_DEVICE.vxlan) === dest) ??
    ctx.facts.nodes.find((n) => inCidr(dest, n.podCIDR))
  );
}

function peerRoute(encap: CalicoEncapsulation, node: NodeFacts, owner: NodeFacts): NodeRoute {
  if (encap === 'vxlan') {
    const via = ifaceAddress(owner, TUNNEL_DEVICE.vxlan);
    if (!via) {
      return { kind: 'drop', reason: `calico vxlan routes ${owner.name}'s pods via its vxlan.calico address, which the facts do not give (annotation projectcalico.org/IPv4VXLANTunnelAddr)` };
    }
    return {
      kind: 'peer',
      owner,
      dev: TUNNEL_DEVICE.vxlan,
      via,
      why: `calico vxlan route on ${node.name}: ${owner.name}'s block via ${via} dev vxlan.calico onlink, VXLAN to ${owner.internalIP}`,
    };
  }
  const link = linkTo({ kind: 'node', node }, owner.internalIP);
  if (!link) {
    return {
      kind: 'drop',
      reason: `calico's node-to-node mesh peers ${node.name} with ${owner.name} at ${owner.internalIP}, but ${node.name} has no interface on that subnet`,
    };
  }
  if (encap === 'ipip') {
    return {
      kind: 'peer',
      owner,
      dev: TUNNEL_DEVICE.ipip,
      via: owner.internalIP,
      why: `calico ipip route on ${node.name} (from BIRD): ${owner.name}'s block via ${owner.internalIP} dev tunl0 onlink, IP in IP over ${link.iface}`,
    };
  }
  return {
    kind: 'peer',
    owner,
    dev: link.iface,
    via: owner.internalIP,
    why: `calico BGP route on ${node.name} (from BIRD): ${owner.name}'s block via ${owner.internalIP} dev ${link.iface}, no tunnel`,
  };
}

function calicoMode(encap: CalicoEncapsulation): RoutedMode {
  return {
    podExit: (node) => `the pod's default route: via 169.254.1.1, answered by proxy ARP on its cali veth on ${node.name}`,
    route(ctx, node, dest) {
      const localPod = ctx.facts.pods.find((p) => p.ip === dest && p.node === node.name);
      if (localPod) {
        const veth = localPod.hostVeth ?? `pod ${localPod.name}'s cali veth`;
        return { kind: 'local', dev: veth, addressless: true, why: `${node.name}'s /32 route: ${dest} dev ${veth} (pod ${localPod.name})` };
      }
      const direct = linkTo({ kind: 'node', node }, dest);
      if (direct) {
        return { kind: 'local', dev: direct.iface, why: `${dest} is on ${node.name}'s ${direct.iface} subnet ${subnetOf(direct.address, direct.prefix)}` };
      }
      const owner = ownerOf(ctx, dest);
      if (owner && owner.name !== node.name) return peerRoute(encap, node, owner);
      if (owner) {
        return { kind: 'drop', reason: `no pod on ${node.name} holds ${dest}: calico's blackhole route for ${node.name}'s block drops it` };
      }
      if (inCidr(dest, ctx.facts.clusterCIDR)) {
        ctx.notes.push(`${dest} is in the IP pool ${ctx.facts.clusterCIDR}, but no node's pods or block hold it: ${node.name} sends it to its default route`);
      }
      return { kind: 'default' };
    },
  };
}

export const calicoBgp = routedRules(calicoMode('none'));
export const calicoIpip = routedRules(calicoMode('ipip'));
export const calicoVxlan = routedRules(calicoMode('vxlan'));
