// A TCP traceroute to a ClusterIP from outside the cluster (an office PC whose
// gateway routes the Service CIDR to a node, seed 001): the gateways pass the
// packet on unchanged, so they answer from their own addresses; the first
// node it reaches runs kube-proxy's rules, DNATs it to an endpoint, and from
// there on every hop answers as the ClusterIP (the ICMP errors of a DNATed
// connection are un-NATed), as in a trace from a node.
import type { ClusterFacts, ServiceFacts } from '../core/facts.js';
import { describePlace } from './endpoints.js';
import { hostStep } from './host-routes.js';
import { type Place, holderNear } from './places.js';
import type { ExpectedHop, PathPrediction, ServiceAlternative } from './types.js';
import { type ModeRules, walk, type WalkContext } from './walk.js';

function asVip(h: ExpectedHop, vip: string, why: string): ExpectedHop {
  if (h.address === null) return h;
  const real = h.address === vip ? '' : ` (really ${h.address})`;
  return { ...h, address: vip, why: `${h.why}${real}; ${why}` };
}

const UN_NATED = (vip: string) => `answers as ${vip}: the reply belongs to a DNATed connection, so conntrack un-NATs it`;

/** The gateways' hops up to the first node, and that node; or why the packet never gets there. */
function toFirstNode(ctx: WalkContext, src: Extract<Place, { kind: 'host' }>, vip: string): { hops: ExpectedHop[]; node: Extract<Place, { kind: 'node' }> } | string {
  const hops: ExpectedHop[] = [];
  let at: Place = src;
  for (let i = 0; i < 30; i++) {
    if (at.kind !== 'host') break;
    const step = hostStep(ctx, at.host, vip);
    if (!step) return `${at.host.name}'s routes are not in the facts`;
    if (step.kind === 'drop') return step.reason;
    if (step.kind !== 'forward' || !step.to) return `${at.host.name} does not send ${vip} to a cluster node`;
    const hop: ExpectedHop = { address: step.answer.address, why: step.why };
    if (step.answer.interface) hop.interface = step.answer.interface;
    if (step.to.kind === 'node') {
      hops.push(asVip({ ...hop, node: step.to.node.name }, vip, `${step.to.node.name}'s kube-proxy rules DNAT it to an endpoint, so it ${UN_NATED(vip)}`));
      return { hops, node: step.to };
    }
    if (step.to.kind === 'host') hop.node = step.to.host.name;
    hops.push(hop);
    at = step.to;
  }
  return `no node on the way to ${vip}`;
}

/** The prediction for a lab host's TCP trace to the ClusterIP `vip` of `svc`. */
export function predictServiceFromHost(facts: ClusterFacts, rules: ModeRules, src: Extract<Place, { kind: 'host' }>, vip: string, svc: ServiceFacts): PathPrediction {
  const name = `${svc.namespace}/${svc.name}`;
  if (svc.endpoints.length === 0) {
    return { ok: false, reason: `Service ${name} has no ready endpoints: kube-proxy rejects connections to ${vip}` };
  }
  const notes: string[] = [];
  const ctx: WalkContext = { facts, notes, source: src };
  const first = toFirstNode(ctx, src, vip);
  if (typeof first === 'string') return { ok: false, reason: `${first}: the trace never reaches a node with kube-proxy's rules for ${vip} (Service ${name})` };
  const alternatives: ServiceAlternative[] = [];
  for (const ip of svc.endpoints) {
    const w = walk({ facts, notes, source: src }, rules, first.node, ip);
    if (!w.ok) return { ok: false, reason: `to endpoint ${ip} of ${name} from ${first.node.node.name}: ${w.reason}` };
    const alt: ServiceAlternative = { endpoint: ip, hops: [...first.hops, ...w.hops.map((h) => asVip(h, vip, UN_NATED(vip)))] };
    const holder = holderNear(facts, ip, first.node);
    if (holder?.place.kind === 'pod') {
      alt.pod = holder.place.pod.name;
      alt.node = holder.place.node.name;
    }
    alternatives.push(alt);
  }
  notes.push(
    `${first.node.node.name} is where the gateways deliver ${vip}: its kube-proxy picks one of ${svc.endpoints.length} endpoint${svc.endpoints.length === 1 ? '' : 's'} of ${name} per connection, and masquerades traffic from outside the cluster (KUBE-MARK-MASQ), so it alone needs the route back to the sender`,
    `only probes to the Service's port are DNATed: trace with TCP to it (traceroute -T -p ${svc.ports[0]?.port ?? 80}); UDP probes go no further than ${first.node.node.name}`,
  );
  return {
    ok: true,
    hops: alternatives[0]!.hops,
    destination: vip,
    notes,
    source: describePlace(src),
    target: `Service ${name} (${vip})`,
    alternatives,
  };
}
