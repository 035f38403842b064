// Calico's three modes in the netns lab. Common to all: pods wired calico's
// way (cali veths, /32s, 169.254.1.1), the node's /26 block, and felix's
// outgoing NAT for pod traffic leaving the pool.
// - calico-bgp: no tunnel; BIRD meshes the nodes over eth1 and installs
//   `<block> via <peer eth1> dev eth1 proto bird` and the local blackhole.
// - calico-ipip: tunl0 holds the tunnel address; BIRD installs
//   `<block> via <peer eth1> dev tunl0 proto bird onlink`.
// - calico-vxlan: no BIRD (calico_backend: vxlan); felix makes vxlan.calico
//   (VNI 4096, UDP 4789) and programs `<block> via <peer tunnel address> dev
//   vxlan.calico onlink`, neighbour and fdb entries, and `blackhole <block>
//   proto 80` — hoplab writes what felix would.
// MTUs follow the vagrant provider's rule: eth1's 1500 less the encapsulation.
import { CNI_MODE_INFO } from '../../../core/cni-modes.js';
import type { IfaceFacts } from '../../../core/facts.js';
import type { LabPlan, NodePlan } from '../plan.js';
import { birdRouting } from './bird-daemon.js';
import { calicoBlock, calicoTunnelAddress } from './calico-ipam.js';
import { calicoPod } from './calico-pod.js';
import type { ModeWiring } from './types.js';
import { vtepMac, vxlanDeviceLines, vxlanPeerLines, type VxlanDevice } from './vxlan.js';

export const CALICO_VXLAN: VxlanDevice = { name: CNI_MODE_INFO['calico-vxlan'].tunnel!.device, vni: 4096, port: 4789, mtu: 1500 - CNI_MODE_INFO['calico-vxlan'].encapOverhead };
export const TUNL0_MTU = 1500 - CNI_MODE_INFO['calico-ipip'].encapOverhead;
/** felix's route protocol for the routes it owns besides workload routes (RTPROT 80). */
export const FELIX_ROUTE_PROTO = '80';

/** felix's NAT for pods talking outside the pool (natOutgoing on the default pool). */
export function calicoNatOutgoing(plan: LabPlan): string {
  const pool = plan.clusterCIDR;
  return [
    '*nat',
    ':cali-POSTROUTING - [0:0]',
    ':cali-nat-outgoing - [0:0]',
    '-A POSTROUTING -m comment --comment "cali:POSTROUTING" -j cali-POSTROUTING',
    '-A cali-POSTROUTING -m comment --comment "cali:nat-outgoing" -j cali-nat-outgoing',
    // felix matches ipsets of the pools; with one pool a CIDR says the same.
    `-A cali-nat-outgoing -s ${pool} ! -d ${pool} -m comment --comment "cali:masq-ipam-pools" -j MASQUERADE --random-fully`,
    'COMMIT',
    '',
  ].join('\n');
}

export function calicoVtepMac(node: NodePlan): string {
  return vtepMac(CALICO_VXLAN.name, node.name, 0x66);
}

export const calicoBgp: ModeWiring = {
  node: (plan) => ({ sysctls: [], ipBatch: [], iptables: calicoNatOutgoing(plan) }),
  pod: calicoPod(1500),
  interfaces: () => [],
  routing: birdRouting(),
};

export const calicoIpip: ModeWiring = {
  node: (plan, node) => ({
    sysctls: [],
    // With the ipip module loaded every namespace gets tunl0; make it only where the kernel did not.
    prelude: ['ip link show tunl0 >/dev/null 2>&1 || ip link add tunl0 type ipip'],
    ipBatch: [`link set tunl0 mtu ${TUNL0_MTU}`, `addr add ${calicoTunnelAddress(node)}/32 dev tunl0`, 'link set tunl0 up'],
    iptables: calicoNatOutgoing(plan),
  }),
  pod: calicoPod(TUNL0_MTU),
  interfaces: () => [],
  // The ipip module gives every new namespace its tunl0 at once: before eth0,
  // unlike a real node, whose tunl0 appears when calico loads the module.
  leadingInterfaces: (_plan, node): IfaceFacts[] => [{ name: 'tunl0', address: calicoTunnelAddress(node), prefixLength: 32 }],
  routing: birdRouting({ tunnelDevice: 'tunl0' }),
};

export const calicoVxlan: ModeWiring = {
  node(plan, node) {
    const peers = plan.nodes
      .filter((p) => p.name !== node.name)
      .map((p) => ({ dest: calicoBlock(p), tunnelAddress: calicoTunnelAddress(p), mac: calicoVtepMac(p), underlay: p.eth1 }));
    const lines = vxlanPeerLines(CALICO_VXLAN, peers);
    return {
      sysctls: [],
      ipBatch: [
        ...vxlanDeviceLines(CALICO_VXLAN, node.eth1, calicoVtepMac(node), calicoTunnelAddress(node)),
        ...lines.ip,
        `route add blackhole ${calicoBlock(node)} proto ${FELIX_ROUTE_PROTO}`,
      ],
      bridgeBatch: lines.bridge,
      iptables: calicoNatOutgoing(plan),
    };
  },
  pod: calicoPod(CALICO_VXLAN.mtu),
  interfaces: (_plan, node): IfaceFacts[] => [
    { name: CALICO_VXLAN.name, address: calicoTunnelAddress(node), prefixLength: 32, mac: calicoVtepMac(node) },
  ],
};
