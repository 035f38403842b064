// The path of a TCP traceroute to a Service's ClusterIP (with the service's
// port, e.g. `traceroute -T -p 80`): kube-proxy's rules DNAT each new
// connection, on the source's node, to one endpoint picked at random, so
// the hops are those to that endpoint. And every hop answers from the
// ClusterIP: the kernel's NAT rewrites an ICMP error that belongs to a
// DNATed connection as if the original destination had sent it.
//
// Every probe is a new connection, so each may take another endpoint: the
// prediction lists one hop list per endpoint and the checker accepts any.
import type { ClusterFacts, ServiceFacts } from '../core/facts.js';
import { describePlace } from './endpoints.js';
import { type Place, holderNear } from './places.js';
import type { ExpectedHop, PathPrediction, ServiceAlternative } from './types.js';
import { type ModeRules, walk } from './walk.js';
import { predictServiceFromHost } from './service-from-host.js';
import { matchRoute } from './host-routes.js';

export function serviceOf(facts: ClusterFacts, ip: string): ServiceFacts | undefined {
  return facts.services.find((s) => s.clusterIP === ip);
}

function asServiceHop(h: ExpectedHop, vip: string): ExpectedHop {
  if (h.address === null) return h;
  const real = h.address === vip ? '' : ` (really ${h.address})`;
  return { ...h, address: vip, why: `${h.why}${real}; answers as ${vip}: the reply belongs to a DNATed connection, so conntrack un-NATs it` };
}

/**
 * The hops from `src` to one endpoint: the DNAT on the source's node leaves
 * the way the packet then takes to the pod, hop for hop (with a bridge CNI,
 * br_netfilter DNATs a pod's packet on the bridge, so an endpoint on the
 * same node is one hop away, as a pod on the same bridge is).
 */
function endpointHops(facts: ClusterFacts, rules: ModeRules, src: Place, endpoint: string, notes: string[]): ExpectedHop[] | string {
  const w = walk({ facts, notes, source: src }, rules, src, endpoint);
  return w.ok ? w.hops : w.reason;
}

export function predictServicePath(facts: ClusterFacts, rules: ModeRules, src: Place, vip: string): PathPrediction {
  const svc = serviceOf(facts, vip);
  const where = describePlace(src);
  if (!svc) {
    return { ok: false, reason: `${vip} is in the service CIDR ${facts.serviceCIDR ?? ''}, but no Service in the cluster facts has it as ClusterIP` };
  }
  const name = `${svc.namespace}/${svc.name}`;
  // A host whose gateways route the Service CIDR to a node (an office PC): the route's node does kube-proxy's work.
  if (src.kind === 'host' && src.host.routes && matchRoute(src.host.routes, vip)) return predictServiceFromHost(facts, rules, src, vip, svc);
  if (src.kind === 'host') {
    return {
      ok: false,
      reason: `${where} is not a node: only nodes and pods have kube-proxy's rules for ${vip} (Service ${name}); from outside, use a NodePort on a node's address, or route the service CIDR to a node`,
    };
  }
  if (svc.endpoints.length === 0) {
    return { ok: false, reason: `Service ${name} has no ready endpoints: kube-proxy rejects connections to ${vip} (REJECT in the filter table's KUBE-SERVICES)` };
  }
  const notes: string[] = [];
  const alternatives: ServiceAlternative[] = [];
  for (const ip of svc.endpoints) {
    const hops = endpointHops(facts, rules, src, ip, notes);
    if (typeof hops === 'string') return { ok: false, reason: `to endpoint ${ip} of ${name}: ${hops}` };
    const holder = holderNear(facts, ip, src);
    const alt: ServiceAlternative = { endpoint: ip, hops: hops.map((h) => asServiceHop(h, vip)) };
    if (holder?.place.kind === 'pod') {
      alt.pod = holder.place.pod.name;
      alt.node = holder.place.node.name;
    }
    alternatives.push(alt);
  }
  const node = src.kind === 'pod' ? src.node.name : src.node.name;
  const lengths = [...new Set(alternatives.map((a) => a.hops.length))].sort((a, b) => a - b);
  notes.push(
    `kube-proxy on ${node} sends each new connection to one of ${svc.endpoints.length} endpoint${svc.endpoints.length === 1 ? '' : 's'} of ${name} at random (${alternatives
      .map((a) => `${a.endpoint}${a.node ? ` on ${a.node}` : ''}: ${a.hops.length} hop${a.hops.length === 1 ? '' : 's'}`)
      .join(', ')}); every probe is a new connection`,
    `every hop answers from ${vip}: conntrack rewrites the ICMP errors of a DNATed connection as if the Service address had sent them; the trace ends at the first hop where a probe reached an endpoint (${lengths[0] === lengths.at(-1) ? `${lengths[0]}` : `${lengths[0]} to ${lengths.at(-1)}`} hop${lengths.at(-1) === 1 ? '' : 's'})`,
    `only probes to the Service's port are DNATed: trace with TCP to it (traceroute -T -p ${svc.ports[0]?.port ?? 80}); UDP probes (busybox traceroute) follow the default route and never arrive`,
  );
  return {
    ok: true,
    hops: alternatives[0]!.hops,
    destination: vip,
    notes,
    source: where,
    target: `Service ${name} (${vip})`,
    sourceNode: node,
    alternatives,
  };
}
