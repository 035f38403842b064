// Flannel with its default backend, vxlan: flanneld makes flannel.1 (VNI 1,
// UDP 8472, no learning, bound to the --iface address) holding the network
// address of the node's pod CIDR as a /32, and for every peer node a route
// `<peer CIDR> via <peer's flannel.1 address> dev flannel.1 onlink`, a
// permanent neighbour entry and an fdb entry to the peer's eth1. Pods sit on
// cni0 as in host-gw, with the MTU lowered by the 50 bytes VXLAN adds.
import { CNI_MODE_INFO } from '../../../core/cni-modes.js';
import type { IfaceFacts } from '../../../core/facts.js';
import { nthAddress, type LabPlan, type NodePlan } from '../plan.js';
import { cni0Facts, flannelBridgeConfig, flannelMasquerade } from './flannel-host-gw.js';
import type { ModeWiring } from './types.js';
import { vtepMac, vxlanDeviceLines, vxlanPeerLines, type VxlanDevice } from './vxlan.js';

const INFO = CNI_MODE_INFO['flannel-vxlan'];
export const FLANNEL_VXLAN: VxlanDevice = { name: INFO.tunnel!.device, vni: 1, port: 8472, mtu: 1500 - INFO.encapOverhead };

/** flannel.1's address: the network address of the node's pod CIDR (10.244.N.0). */
export function flannelTunnelAddress(node: NodePlan): string {
  return nthAddress(node.podCIDR, 0);
}

export function flannelVtepMac(node: NodePlan): string {
  return vtepMac(FLANNEL_VXLAN.name, node.name);
}

export const flannelVxlan: ModeWiring = {
  node(plan: LabPlan, node: NodePlan) {
    const peers = plan.nodes
      .filter((p) => p.name !== node.name)
      .map((p) => ({ dest: p.podCIDR, tunnelAddress: flannelTunnelAddress(p), mac: flannelVtepMac(p), underlay: p.eth1 }));
    const lines = vxlanPeerLines(FLANNEL_VXLAN, peers);
    return {
      sysctls: [],
      ipBatch: [...vxlanDeviceLines(FLANNEL_VXLAN, node.eth1, flannelVtepMac(node), flannelTunnelAddress(node)), ...lines.ip],
      bridgeBatch: lines.bridge,
      iptables: flannelMasquerade(plan, node),
    };
  },
  cniConfig: (_plan, node, ipamDir) => flannelBridgeConfig(node, ipamDir, FLANNEL_VXLAN.mtu),
  interfaces: (_plan, node): IfaceFacts[] => [
    { name: FLANNEL_VXLAN.name, address: flannelTunnelAddress(node), prefixLength: 32, mac: flannelVtepMac(node) },
    cni0Facts(node),
  ],
};
