// Flannel with the host-gw backend: no tunnel, one route per peer node's pod
// CIDR via that node's eth1 address (flannel --iface=eth1), pods on a cni0
// bridge, and flanneld's masquerade rules for traffic leaving the cluster.
import type { LabPlan, NodePlan } from '../plan.js';
import type { IfaceFacts } from '../../../core/facts.js';
import type { ModeWiring } from './types.js';

export function flannelMasquerade(plan: LabPlan, node: NodePlan): string {
  const c = plan.clusterCIDR;
  const s = node.podCIDR;
  const m = '-m comment --comment "flanneld masq"';
  return [
    '*nat',
    ':FLANNEL-POSTRTG - [0:0]',
    `-A POSTROUTING ${m} -j FLANNEL-POSTRTG`,
    `-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 ${m} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${s} -d ${c} ${m} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${c} -d ${s} ${m} -j RETURN`,
    `-A FLANNEL-POSTRTG ! -s ${c} -d ${s} ${m} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${c} ! -d 224.0.0.0/4 ${m} -j MASQUERADE --random-fully`,
    `-A FLANNEL-POSTRTG ! -s ${c} -d ${c} ${m} -j MASQUERADE --random-fully`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The bridge plugin configuration flannel's CNI plugin delegates to. */
export function flannelBridgeConfig(node: NodePlan, ipamDir: string, mtu: number): Record<string, unknown> {
  return {
    cniVersion: '1.0.0',
    name: 'cbr0',
    type: 'bridge',
    bridge: 'cni0',
    mtu,
    isDefaultGateway: true,
    hairpinMode: true,
    ipMasq: false,
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: node.podCIDR, gateway: node.cni0 }]],
      dataDir: ipamDir,
    },
  };
}

/** The pod bridge the bridge plugin makes on the first pod, holding the node CIDR's .1. */
export function cni0Facts(node: NodePlan): IfaceFacts {
  return { name: 'cni0', address: node.cni0, prefixLength: Number(node.podCIDR.split('/')[1]) };
}

export const flannelHostGw: ModeWiring = {
  node(plan, node) {
    const routes = plan.nodes
      .filter((peer) => peer.name !== node.name)
      .map((peer) => `route add ${peer.podCIDR} via ${peer.eth1} dev eth1`);
    return { sysctls: [], ipBatch: routes, iptables: flannelMasquerade(plan, node) };
  },
  cniConfig: (_plan, node, ipamDir) => flannelBridgeConfig(node, ipamDir, 1500),
  interfaces: (_plan, node) => [cni0Facts(node)],
};
