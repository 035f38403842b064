// Cluster facts: what every provider reports about a running lab, and all the
// path engine, the checker and lab templates may know about it. Plain data,
// JSON-serialisable, so `hoplab status --json` and tests can carry it as is.

export const CNI_MODES = [
  'flannel-host-gw',
  'flannel-vxlan',
  'calico-ipip',
  'calico-vxlan',
  'calico-bgp',
] as const;
export type CniMode = (typeof CNI_MODES)[number];

export function isCniMode(value: string): value is CniMode {
  return (CNI_MODES as readonly string[]).includes(value);
}

export interface IfaceFacts {
  name: string; // eth0, eth1, cni0, flannel.1, tunl0, vxlan.calico, cali1234567890a
  address?: string; // IPv4 without prefix; absent for address-less links (calico's cali*)
  prefixLength?: number;
  /** Link-layer address, where it matters to the path (a VXLAN VTEP's MAC, which peers' fdb entries name). */
  mac?: string;
}

export interface NodeFacts {
  name: string; // controlplane, node-1, ...
  roles: string[]; // ['control-plane'] or []
  /** The address other nodes and the API use (eth1 in the seed's VirtualBox cluster). */
  internalIP: string;
  podCIDR: string;
  interfaces: IfaceFacts[];
  /** Where traffic to anything outside the lab's networks goes (VirtualBox NAT: 10.0.2.2 dev eth0). */
  defaultRoute?: { via: string; dev: string };
}

export interface PodFacts {
  name: string;
  namespace: string;
  node: string;
  ip: string;
  phase?: string;
  /** Host-side end of the pod's veth on its node, when the provider knows it. */
  hostVeth?: string;
}

/** One entry of a machine's routing table, beyond the subnets of its own interfaces. */
export interface RouteFacts {
  /** A CIDR (`10.244.0.0/16`) or `default`. */
  dest: string;
  /** Next hop; absent for a route straight onto a link. */
  via?: string;
  dev?: string;
  /** `unreachable`, `blackhole`, `prohibit`: the packet is dropped here. Absent: an ordinary route. */
  type?: string;
}

/** Machines of the lab that are not Kubernetes nodes: NAT routers, the VirtualBox host, internet hosts. */
export interface HostFacts {
  name: string;
  role: 'nat-router' | 'host' | 'internet' | 'registry' | 'office' | 'gateway';
  interfaces: IfaceFacts[];
  /** For routers: the node whose default gateway this is. */
  serves?: string;
  /**
   * The machine's routes besides its connected subnets, when the provider knows
   * them (office hosts and gateways, the VirtualBox host). Absent: not known,
   * and the path engine treats what lies beyond the host as unseen.
   */
  routes?: RouteFacts[];
}

export interface ServiceFacts {
  name: string;
  namespace: string;
  clusterIP: string;
  ports: {
    port: number;
    protocol: string;
    nodePort?: number;
    /** The port's name ("" or absent when the Service has one unnamed port): part of kube-proxy's chain names. */
    name?: string;
    /** The port the endpoints listen on (the target port, resolved), when known. */
    targetPort?: number;
  }[];
  endpoints: string[]; // pod IPs
  /** ClusterIP, NodePort, LoadBalancer, ExternalName. */
  type?: string;
}

export interface ClusterFacts {
  provider: string;
  /**
   * The namespace the lab's own objects live in (kubeconfig: hoplab-<user>[-<lab>]).
   * Absent: `default`, where the embedded and vagrant labs run.
   */
  namespace?: string;
  /** A CniMode when hoplab models it; any other string names a CNI the engine cannot predict. */
  cni: string;
  clusterCIDR: string; // 10.244.0.0/16
  serviceCIDR?: string; // 10.96.0.0/12
  nodes: NodeFacts[];
  pods: PodFacts[];
  hosts: HostFacts[];
  services: ServiceFacts[];
}

/** The namespace the lab's objects live in: what `{{ lab.namespace }}` stands for. */
export function labNamespace(facts: { namespace?: string }): string {
  return facts.namespace ?? 'default';
}

export function ifaceAddress(node: { interfaces: IfaceFacts[] }, name: string): string | undefined {
  return node.interfaces.find((i) => i.name === name)?.address;
}
