// The likely cause of the first hop that differs, from the cluster facts:
// an address on the NAT side (eth0), another node's eth1, the trace dying
// after the source node's gateway, a trace cut short or stopped by an
// unreachable answer.
import type { ClusterFacts, NodeFacts } from '../core/facts.js';
import { inCidr, onSubnet } from '../path/cidr.js';
import { describePlace, holdersOf, linkTo } from '../path/places.js';
import type { DiagnosisKind, ExpectedHop, WrongHop } from '../path/types.js';
import type { Row } from './align.js';
import { explainAnnotation } from './annotations.js';
import { answered } from './observed.js';
import { returnPathDiagnosis } from './return-path.js';

export const WARM_HINT =
  'A cold neighbour cache or ICMP rate limiting can also swallow answers (traceroute sends many probes at once): warm the path with a ping, wait a few seconds, and trace again.';

export interface DiagnoseInput {
  rows: Row[];
  /** The row that differs first. */
  row: Row;
  /** Why that row counts: its status, or a silent tail starting there. */
  silentTail: boolean;
  facts: ClusterFacts;
  destination: string;
  sourceNode?: string;
  /** The address the probes carry, for traces from outside the cluster (an office PC). */
  sourceAddress?: string;
}

/** The diagnosis in words, and where (and what kind of) wrong it names. */
export interface Diagnosis {
  text: string;
  wrongAt: WrongHop;
}

/** A diagnosis naming `machine` (a node or lab host of the facts; anything else is dropped) as where to look. */
function found(d: DiagnoseInput, kind: DiagnosisKind, machine: string | undefined, text: string, lookup = d.destination): Diagnosis {
  const known = machine !== undefined && (d.facts.nodes.some((n) => n.name === machine) || d.facts.hosts.some((h) => h.name === machine));
  return { text, wrongAt: known ? { kind, machine, lookup } : { kind } };
}

export function diagnose(d: DiagnoseInput): Diagnosis {
  const { row } = d;
  if (d.silentTail) return diagnoseSilence(d);
  if (row.status === 'missing') return diagnoseCutShort(d);
  if (row.status === 'extra') {
    const last = d.rows.filter((r) => r.expected).at(-1);
    return found(d, 'longer', undefined, `hop ${row.ttl}: ${row.observed!.addresses.join(', ')} answered after hop ${last?.ttl ?? 0}, where the destination ${d.destination} should have answered: the path is longer than predicted.${annotationText(row)}`);
  }
  return diagnoseMismatch(d);
}

function hopName(h: ExpectedHop | undefined): string {
  if (!h) return 'nothing';
  if (h.address === null) return 'any router';
  const owner = h.pod ? `pod ${h.pod}${h.node ? ` on ${h.node}` : ''}` : h.node;
  const where = h.interface && owner ? `${h.interface} ${h.pod ? 'of' : 'on'} ${owner}` : h.interface ?? owner;
  return where ? `${h.address} (${where})` : h.address;
}

/** The node that handed the packet to hop `ttl`: the node of the hop before, else the source's node. */
function forwardingNode(d: DiagnoseInput, ttl: number): string | undefined {
  const before = d.rows.find((r) => r.ttl === ttl - 1)?.expected;
  if (before?.node && d.facts.nodes.some((n) => n.name === before.node)) return before.node;
  return ttl === 1 ? d.sourceNode : before?.node ?? d.sourceNode;
}

function destinationOwner(d: DiagnoseInput): NodeFacts | undefined {
  return d.facts.nodes.find((n) => inCidr(d.destination, n.podCIDR));
}

function cidrOwners(facts: ClusterFacts): string {
  return facts.nodes.map((n) => `${n.name} owns ${n.podCIDR}`).join(', ');
}

function annotationText(row: Row): string {
  const a = row.observed?.annotations ?? [];
  return a.length ? ` ${row.observed!.addresses[0] ?? 'It'} answered ${a.join(' ')}: ${a.map(explainAnnotation).join('; ')}.` : '';
}

/** Is this address on the NAT side: a NAT router's, a node's default gateway, or on a default-route interface's subnet (10.0.2.x)? */
function natSide(facts: ClusterFacts, a: string, near: string | undefined): string | undefined {
  const routers = facts.hosts.filter((h) => (h.role === 'nat-router' || h.role === 'gateway') && h.interfaces.some((i) => i.address === a));
  const router = routers.find((h) => h.serves === near) ?? routers[0];
  if (router) return `${router.name}, the NAT router`;
  const nodes = [...facts.nodes].sort((x, y) => Number(y.name === near) - Number(x.name === near));
  const onNat = nodes.filter((n) => n.interfaces.some((i) => i.address === a && i.name === n.defaultRoute?.dev));
  if (onNat.length > 1) {
    const who = onNat.length === facts.nodes.length ? 'every node has' : `${onNat.map((n) => n.name).join(', ')} share`;
    return `the ${onNat[0]!.defaultRoute!.dev} address ${who} (VirtualBox NAT gives each guest the same one), the NAT side`;
  }
  if (onNat.length === 1) return `${onNat[0]!.name}'s ${onNat[0]!.defaultRoute!.dev} address, the NAT side`;
  const gw = nodes.find((n) => n.defaultRoute?.via === a);
  if (gw) return `${gw.name}'s default gateway on ${gw.defaultRoute!.dev}, the NAT side`;
  for (const n of nodes) {
    const dev = n.defaultRoute?.dev;
    const i = n.interfaces.find((x) => x.name === dev && x.address && x.prefixLength !== undefined);
    if (i && onSubnet(a, i.address!, i.prefixLength!)) return `an address on ${n.name}'s ${dev} subnet, the NAT side`;
  }
  return undefined;
}

/**
 * The machine that answered with an error, where its own routes say why: a
 * node, or a lab host only it holds the address of. A NAT router is no such
 * place (every node's has 10.0.2.2, and the fault is the node that sent the
 * packet there): undefined, and the forwarding node is asked instead.
 */
function errorAnswerer(facts: ClusterFacts, a: string): string | undefined {
  const holders = holdersOf(facts, a);
  for (const h of holders) if (h.place.kind === 'node') return h.place.node.name;
  const hosts = holders.flatMap((h) => (h.place.kind === 'host' && h.place.host.role !== 'nat-router' ? [h.place.host.name] : []));
  return hosts.length === 1 ? hosts[0] : undefined;
}

function diagnoseMismatch(d: DiagnoseInput): Diagnosis {
  const { row, facts } = d;
  const seen = row.observed!.addresses;
  const a = seen[0]!;
  const expected = hopName(row.expected);
  const from = forwardingNode(d, row.ttl);
  const intro = `hop ${row.ttl} is ${seen.join(', ')}, where ${expected} was expected`;
  const ann = annotationText(row);
  const owner = destinationOwner(d);

  if (row.observed!.annotations.length) {
    return found(d, 'error-answer', errorAnswerer(facts, a) ?? from, `${intro}: ${a} did not pass the probe on but answered it with an error.${ann}`);
  }

  const nat = natSide(facts, a, from);
  if (nat) {
    const fromNode = facts.nodes.find((n) => n.name === from);
    const natDev = fromNode?.defaultRoute?.dev ?? 'eth0';
    const clusterDev = (fromNode && owner && linkTo({ kind: 'node', node: fromNode }, owner.internalIP)?.iface) || 'eth1';
    const route = owner ? ` ${from ?? 'The node'} has no route for ${owner.podCIDR} via ${owner.internalIP} on ${clusterDev}, so it used its default route.` : '';
    return found(d, 'nat-side', from, `${intro}: ${a} is ${nat}. The packet left ${from ?? 'the node'} through the NAT interface ${natDev} instead of ${clusterDev}: the CNI or the route uses ${natDev}, not ${clusterDev} (flannel's --iface, the node's InternalIP).${route}${ann}`);
  }

  const holders = holdersOf(facts, a);
  const node = holders.find((h) => h.place.kind === 'node');
  if (node && node.place.kind === 'node') {
    const n = node.place.node;
    const iface = node.iface ? `${node.iface} of ${n.name}` : n.name;
    if (row.expected?.node === n.name && row.expected.pod) {
      return found(d, 'not-bridged', n.name, `${intro}: ${a} is ${iface}. The packet was routed through ${n.name} instead of reaching pod ${row.expected.pod} straight over the bridge: the source is not on that bridge, or its route for the pod's subnet points at the gateway.${ann}`);
    }
    if (row.expected?.node === n.name) {
      return found(d, 'other-address', n.name, `${intro}: the right node, ${n.name}, answered from another of its addresses (${iface}). Linux answers from the address of its route back to the sender; check the routes on ${n.name}.${ann}`);
    }
    const cidr = owner ? owner.podCIDR : d.destination;
    const should = owner ? ` ${owner.podCIDR} should be via ${owner.internalIP} (${owner.name}).` : '';
    return found(d, 'wrong-node', from, `${intro}: ${a} is ${iface}. The route to ${cidr}${from ? ` on ${from}` : ''} points at the wrong node: ${cidrOwners(facts)}. Check \`ip route\`${from ? ` on ${from}` : ''}:${should}${ann}`);
  }

  const pod = holders.find((h) => h.place.kind === 'pod');
  if (pod) return found(d, 'other-pod', from, `${intro}: ${a} is ${describePlace(pod.place)}: the trace reached another pod than the one asked for.${ann}`);
  const host = holders.find((h) => h.place.kind === 'host');
  if (host) return found(d, 'other-host', from, `${intro}: ${a} is ${describePlace(host.place)}${host.iface ? ` (${host.iface})` : ''}.${ann}`);
  return found(d, 'unknown-address', from, `${intro}: no node, pod or host in the cluster facts holds ${a}.${ann}`);
}

function diagnoseSilence(d: DiagnoseInput): Diagnosis {
  const { row } = d;
  const lastAnswered = [...d.rows].reverse().find((r) => r.ttl < row.ttl && answered(r.observed));
  const expected = hopName(row.expected);
  if (!lastAnswered) {
    return found(d, 'nothing-answered', d.sourceNode, `nothing answered at all, not even hop 1, where ${expected} was expected: the source has no working route or its network is not up yet. ${WARM_HINT}`);
  }
  const got = lastAnswered.observed!.addresses[0] ?? lastAnswered.observed!.names[0];
  const atHop = `hop ${lastAnswered.ttl}, ${lastAnswered.expected ? hopName(lastAnswered.expected) : got}`;
  const intro = `the trace dies after ${atHop}: nothing answers from hop ${row.ttl} on, where ${expected} was expected`;
  const ann = annotationText(lastAnswered);
  const owner = destinationOwner(d);
  const lastNode = lastAnswered.expected?.node;

  if (row.expected?.address === d.destination && row.expected.pod) {
    return found(d, 'destination-silent', lastNode, `${intro}. The packets reached ${lastNode ?? 'the last router'}, but the destination pod ${row.expected.pod} did not answer: is it running? A firewall or NetworkPolicy dropping UDP does this too (traceroute -I uses ICMP).${ann} ${WARM_HINT}`);
  }
  const atGateway = lastAnswered.expected?.interface === 'cni0' && lastNode !== undefined && lastNode === d.sourceNode;
  if (atGateway && owner) {
    return found(d, 'no-route-at-gateway', lastNode, `${intro}. The trace ends at the source node's gateway: ${lastNode} has no working route to ${owner.podCIDR} (${owner.name}'s pod CIDR), or ${owner.name} does not answer. Check \`ip route\` on ${lastNode} for ${owner.podCIDR} via ${owner.internalIP}.${ann} ${WARM_HINT}`);
  }
  if (atGateway) {
    return found(d, 'no-route-at-gateway', lastNode, `${intro}. The trace ends at the source node's gateway: ${lastNode} has no working route to ${d.destination}.${ann} ${WARM_HINT}`);
  }
  const way = returnPathDiagnosis({ facts: d.facts, sourceAddress: d.sourceAddress, answered: lastAnswered.expected, silent: row.expected });
  if (way) return found(d, 'no-way-back', row.expected?.node, `${intro}. ${way}${ann}`, d.sourceAddress);
  return found(d, 'silent', lastNode, `${intro}. The next router did not answer or dropped the packets.${ann} ${WARM_HINT}`);
}

function diagnoseCutShort(d: DiagnoseInput): Diagnosis {
  const { row } = d;
  const last = [...d.rows].reverse().find((r) => r.ttl < row.ttl && r.observed);
  if (!last) return found(d, 'cut-short', undefined, `the trace has no hops where ${hopName(row.expected)} was expected at hop ${row.ttl}.`);
  const ann = annotationText(last);
  const said = last.observed!.addresses[0] ?? 'the last hop';
  if (ann) return found(d, 'error-answer', last.expected?.node, `the trace stops at hop ${last.ttl} (${said}) before reaching ${d.destination}, which was expected at hop ${row.ttl}:${ann}`);
  return found(d, 'cut-short', undefined, `the trace stops at hop ${last.ttl} (${said}) before reaching ${d.destination}; hop ${row.ttl}, ${hopName(row.expected)}, is missing: the output was cut short, or the hop limit (-m) was reached.`);
}
