// VXLAN wiring shared by flannel's flannel.1 and calico's vxlan.calico: both
// run the device without learning and program, for every peer node, a route
// to the peer's pods via the peer's tunnel address (onlink: that address is
// not on any local subnet), a permanent neighbour entry giving the peer
// VTEP's MAC, and a forwarding entry sending that MAC to the peer's eth1.
// Each agent publishes its VTEP MAC (flannel in the node annotation
// backend-data, calico in the Node resource); hoplab derives it from the
// plan so every node knows its peers' MACs without an agent.
import { createHash } from 'node:crypto';

export interface VxlanDevice {
  name: string; // flannel.1, vxlan.calico
  vni: number;
  port: number;
  mtu: number;
}

export interface VxlanPeer {
  /** The peer's pod network reached through it (a node CIDR or an IPAM block). */
  dest: string;
  tunnelAddress: string;
  mac: string;
  underlay: string; // the peer's eth1 address
}

/**
 * A stable, locally administered unicast MAC for a node's VTEP. `firstOctet`
 * lets a mode keep its agent's look (calico's VTEP MACs start 66:); without it
 * the first octet is hashed like the rest, as the kernel's random MACs are.
 */
export function vtepMac(device: string, node: string, firstOctet?: number): string {
  const b = [...createHash('sha256').update(`${device}/${node}`).digest().subarray(0, 6)];
  b[0] = firstOctet ?? ((b[0]! & 0xfc) | 0x02);
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** ip-batch lines creating the local VTEP on eth1 with its address and MAC. */
export function vxlanDeviceLines(dev: VxlanDevice, local: string, mac: string, address: string): string[] {
  return [
    `link add ${dev.name} type vxlan id ${dev.vni} local ${local} dev eth1 dstport ${dev.port} nolearning`,
    `link set ${dev.name} address ${mac} mtu ${dev.mtu}`,
    `addr add ${address}/32 dev ${dev.name}`,
    `link set ${dev.name} up`,
  ];
}

/** ip-batch lines (route + neighbour) and bridge-batch lines (fdb) for the peers. */
export function vxlanPeerLines(dev: VxlanDevice, peers: VxlanPeer[], routeProto?: string): { ip: string[]; bridge: string[] } {
  const proto = routeProto ? ` proto ${routeProto}` : '';
  return {
    ip: peers.flatMap((p) => [
      `route add ${p.dest} via ${p.tunnelAddress} dev ${dev.name} onlink${proto}`,
      `neigh add ${p.tunnelAddress} lladdr ${p.mac} dev ${dev.name} nud permanent`,
    ]),
    bridge: peers.map((p) => `fdb append ${p.mac} dev ${dev.name} dst ${p.underlay} self permanent`),
  };
}
