// The netns lab's plan as types: the lab, its nodes and its office LAN.
// Apart from plan.ts and lan.ts, which build them and would otherwise import each other.
import type { CniMode, RouteFacts } from '../../core/facts.js';

export interface NodePlan {
  name: string;
  index: number;
  role: 'control-plane' | 'worker';
  ns: string;
  natNs: string;
  eth0: string; // 10.0.2.15: every VirtualBox NAT guest gets the same address
  eth0Prefix: number;
  natGateway: string; // 10.0.2.2
  natDns: string; // 10.0.2.3
  natWan: string; // the NAT router's address on the simulated internet
  eth1: string; // host-only address, the node's InternalIP
  podCIDR: string;
  cni0: string; // gateway address of the pod bridge
  hostOnlyPort: string; // name of the node's port on the host-only switch
  internetPort: string; // name of the NAT router's port on the internet switch
}

export interface LabPlan {
  lab: string;
  cni: CniMode;
  clusterCIDR: string;
  serviceCIDR: string;
  nodes: NodePlan[];
  hostOnly: { ns: string; bridge: string; subnet: string; address: string };
  internet: { ns: string; bridge: string; subnet: string; registry: string };
  /** The office LAN (`hoplab up --lan`), when the lab has one. */
  lan?: LanPlan;
}

export interface LanIface {
  name: string;
  address: string;
  prefix: number;
}

export interface LanHostPlan {
  name: string;
  role: 'office' | 'gateway';
  ns: string;
  interfaces: LanIface[];
  /** Static routes the host is built with, besides its connected subnets. */
  routes: RouteFacts[];
  /** Gateways forward packets (net.ipv4.ip_forward=1). */
  forwards: boolean;
}

/** A veth pair: each end created directly in its namespace. */
export interface LanLink {
  a: { ns: string; ifname: string };
  b: { ns: string; ifname: string };
}

export interface LanPlan {
  subnets: { office: string; branch: string; corp: string };
  hosts: LanHostPlan[];
  links: LanLink[];
  /** The gateways' ports on the host-only switch (plugged into its bridge). */
  hostOnlyPorts: string[];
}

