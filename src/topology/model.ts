// The lab's topology as a graph, from cluster facts alone (any provider):
// machines (nodes, NAT routers, the host, office and internet hosts) with
// their interfaces and pods, the network segments that join them (one per
// shared subnet), the point-to-point NAT links, the tunnels between nodes,
// and the spots a traced path lights. The SVG, Mermaid and DOT renderers
// draw this; the text drawing (text.ts) draws the same facts for terminals.
import type { ClusterFacts, HostFacts, IfaceFacts } from '../core/facts.js';
import { subnetOf } from '../path/cidr.js';
import { lightPath, spotKey, type LitSpot, type TracedPath } from './path.js';

export type IfaceKind = 'nat' | 'link' | 'bridge' | 'tunnel';

export interface TopoIface {
  name: string;
  address?: string;
  prefixLength?: number;
  kind: IfaceKind;
  lit?: LitSpot;
}

export interface TopoPod {
  name: string;
  ip: string;
  hostVeth?: string;
  lit?: LitSpot;
}

export interface TopoMachine {
  /** Unique id for renderers (letters, digits, underscores). */
  id: string;
  name: string;
  kind: 'node' | 'nat-router' | HostFacts['role'];
  controlPlane?: boolean;
  /** For NAT routers: the node they serve. */
  serves?: string;
  ifaces: TopoIface[];
  pods: TopoPod[];
}

export interface TopoSegment {
  id: string;
  /** 192.168.56.0/24 */
  subnet: string;
  label: string;
  /** machine id + interface name on it. */
  members: { machine: string; iface: string }[];
}

export interface Topology {
  provider: string;
  cni: string;
  clusterCIDR: string;
  nodes: TopoMachine[];
  /** NAT routers, by the node they serve. */
  nats: TopoMachine[];
  /** Every other host: the VirtualBox host, internet hosts, office PCs and gateways. */
  hosts: TopoMachine[];
  segments: TopoSegment[];
  /** A node's eth0 to its own NAT router (VirtualBox NAT: every node sees 10.0.2.0/24 alone). */
  natLinks: { node: string; nat: string; nodeIface: string; natIface: string }[];
  /** Overlay tunnels between nodes (flannel.1, vxlan.calico, tunl0), one entry per pair. */
  tunnels: { a: string; b: string; iface: string }[];
  /** The traced path, in order: what each hop is in the drawing. */
  path?: {
    from?: string;
    /** Graph id (machine or pod) the trace starts at. */
    fromAt?: string;
    /** `at`: the graph id of the machine or pod that answered; absent when it is not in the lab. */
    hops: { ttl: number; address: string | null; label?: string; at?: string; ok: boolean }[];
  };
}

const TUNNELS = /^(flannel\.\d+|tunl\d+|vxlan\.calico|vxlan-v6\.calico|wireguard\.cali)$/;
const POD_LINK = /^(cali|veth)/;

export function machineId(name: string): string {
  return `m_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export function podId(name: string): string {
  return `p_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** The graph id a lit label names: `pod httpd` → the pod, `eth1@node-1` → node-1. */
function labelAt(label: string | undefined): string | undefined {
  if (!label) return undefined;
  if (label.startsWith('pod ')) return podId(label.slice(4));
  const at = label.lastIndexOf('@');
  return at > 0 ? machineId(label.slice(at + 1)) : undefined;
}

function ifaceKind(i: IfaceFacts, internalIP?: string): IfaceKind {
  if (TUNNELS.test(i.name)) return 'tunnel';
  if (i.name === 'cni0') return 'bridge';
  if (i.name === 'eth0' && i.address !== internalIP) return 'nat';
  return 'link';
}

/** The graph of the lab, with `path` lit when given. */
export function buildTopology(facts: ClusterFacts, path?: TracedPath): Topology {
  const { lit, labels } = path ? lightPath(facts, path) : { lit: new Map<string, LitSpot>(), labels: new Map<number, string>() };
  const at = (owner: string, iface: string) => lit.get(spotKey({ kind: 'iface', owner, iface }));
  const ifaces = (owner: string, list: IfaceFacts[], internalIP?: string, hidden = new Set<string>()): TopoIface[] =>
    list
      .filter((i) => i.name !== 'lo' && !hidden.has(i.name) && !POD_LINK.test(i.name))
      .map((i) => {
        const l = at(owner, i.name);
        return { name: i.name, kind: ifaceKind(i, internalIP), ...(i.address ? { address: i.address } : {}), ...(i.prefixLength !== undefined ? { prefixLength: i.prefixLength } : {}), ...(l ? { lit: l } : {}) };
      });

  const nodes: TopoMachine[] = facts.nodes.map((n) => ({
    id: machineId(n.name),
    name: n.name,
    kind: 'node',
    controlPlane: n.roles.includes('control-plane'),
    ifaces: ifaces(n.name, n.interfaces, n.internalIP),
    pods: facts.pods
      .filter((p) => p.node === n.name)
      .map((p) => {
        const l = lit.get(spotKey({ kind: 'pod', name: p.name }));
        return { name: p.name, ip: p.ip, ...(p.hostVeth ? { hostVeth: p.hostVeth } : {}), ...(l ? { lit: l } : {}) };
      }),
  }));
  const host = (h: HostFacts): TopoMachine => ({
    id: machineId(h.name),
    name: h.name,
    kind: h.role,
    ...(h.serves ? { serves: h.serves } : {}),
    ifaces: ifaces(h.name, h.interfaces),
    pods: [],
  });
  const nats = facts.hosts.filter((h) => h.role === 'nat-router').map(host);
  const hosts = facts.hosts.filter((h) => h.role !== 'nat-router').map(host);

  // A node's NAT link is private to it: pair eth0 with the router that serves the node.
  const natLinks: Topology['natLinks'] = [];
  const natSide = new Set<string>();
  for (const r of nats) {
    const node = nodes.find((n) => n.name === r.serves);
    const eth0 = node?.ifaces.find((i) => i.kind === 'nat');
    const lan = r.ifaces.find((i) => i.name === 'lan') ?? r.ifaces.find((i) => eth0?.address && i.address && i.prefixLength !== undefined && subnetOf(i.address, i.prefixLength) === subnetOf(eth0.address, eth0.prefixLength ?? 24));
    if (node && eth0 && lan) {
      natLinks.push({ node: node.id, nat: r.id, nodeIface: eth0.name, natIface: lan.name });
      natSide.add(`${r.id}/${lan.name}`);
    }
  }

  // Segments: every subnet two or more machines share (not the private NAT links, bridges or tunnels).
  const bySubnet = new Map<string, TopoSegment['members']>();
  for (const m of [...nodes, ...nats, ...hosts]) {
    for (const i of m.ifaces) {
      if (!i.address || i.prefixLength === undefined || i.kind === 'bridge' || i.kind === 'tunnel') continue;
      if ((m.kind === 'node' && i.kind === 'nat' && natLinks.length) || natSide.has(`${m.id}/${i.name}`)) continue;
      const subnet = subnetOf(i.address, i.prefixLength);
      bySubnet.set(subnet, [...(bySubnet.get(subnet) ?? []), { machine: m.id, iface: i.name }]);
    }
  }
  const nodeIds = new Set(nodes.map((n) => n.id));
  const segments: TopoSegment[] = [...bySubnet.entries()]
    .filter(([, members]) => members.length > 1)
    .map(([subnet, members], k) => ({
      id: `s${k}`,
      subnet,
      members,
      label: members.some((x) => nodeIds.has(x.machine)) ? `host-only ${subnet}` : nats.some((n) => members.some((x) => x.machine === n.id)) ? `internet ${subnet}` : `LAN ${subnet}`,
    }))
    // The nodes' own network first: it is the one every picture is about.
    .sort((a, b) => Number(b.label.startsWith('host-only')) - Number(a.label.startsWith('host-only')));

  const tunnels: Topology['tunnels'] = [];
  for (let a = 0; a < nodes.length; a++) {
    for (const t of nodes[a]!.ifaces.filter((i) => i.kind === 'tunnel')) {
      for (let b = a + 1; b < nodes.length; b++) if (nodes[b]!.ifaces.some((i) => i.name === t.name)) tunnels.push({ a: nodes[a]!.id, b: nodes[b]!.id, iface: t.name });
    }
  }

  const topo: Topology = { provider: facts.provider, cni: facts.cni, clusterCIDR: facts.clusterCIDR, nodes, nats, hosts, segments, natLinks, tunnels };
  if (path) {
    const from = path.fromPod ? `pod ${path.fromPod}` : (path.fromNode ?? path.fromHost);
    const fromAt = path.fromPod ? podId(path.fromPod) : path.fromNode ? machineId(path.fromNode) : path.fromHost ? machineId(path.fromHost) : undefined;
    topo.path = {
      ...(from ? { from } : {}),
      ...(fromAt ? { fromAt } : {}),
      hops: path.hops.map((h) => {
        const label = labels.get(h.ttl);
        const at = labelAt(label);
        return { ttl: h.ttl, address: h.address, ...(label ? { label } : {}), ...(at ? { at } : {}), ok: h.status === undefined || h.status === 'match' || h.status === 'no-answer' };
      }),
    };
  }
  return topo;
}

/** A one-line description of an interface: `eth1 192.168.56.11/24`. */
export function ifaceText(i: TopoIface): string {
  return `${i.name} ${i.address ? `${i.address}${i.prefixLength !== undefined ? `/${i.prefixLength}` : ''}` : '(no address)'}`;
}

/** Every machine of the topology by id. */
export function machines(t: Topology): Map<string, TopoMachine> {
  return new Map([...t.nodes, ...t.nats, ...t.hosts].map((m) => [m.id, m]));
}

/** The path as one line: `0▸ pod traceroute → 1▸ 10.244.2.1 cni0@node-2 → ...`. */
export function pathLine(t: Topology): string | undefined {
  if (!t.path) return undefined;
  const parts = [...(t.path.from ? [`0▸ ${t.path.from}`] : []), ...t.path.hops.map((h) => `${h.ttl}${h.ok ? '▸' : '✗'} ${h.address ?? '*'}${h.label ? ` ${h.label}` : ''}`)];
  return parts.join(' → ');
}
