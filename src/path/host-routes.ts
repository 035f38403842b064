// Routing on the lab's non-Kubernetes machines whose routing tables the facts
// carry (office PCs, office gateways, the VirtualBox host): connected subnets
// first, then the longest matching route, as the kernel picks. A gateway
// that forwards a probe answers from the address of its route back to the
// probe's sender; a node reached from outside the cluster answers from the
// link the gateway reached it on, which holds only if the node routes the
// sender's network back that way (the lab's return-route step).
import type { HostFacts, RouteFacts } from '../core/facts.js';
import { inCidr, onSubnet, subnetOf } from './cidr.js';
import { holderNear, linkTo, type Place } from './places.js';
import type { Step, WalkContext } from './walk.js';

function prefixOf(dest: string): number {
  return dest === 'default' ? 0 : Number(dest.split('/')[1] ?? 32);
}

/** The route the host's table picks for ip (longest prefix), not counting connected subnets. */
export function matchRoute(routes: RouteFacts[], ip: string): RouteFacts | undefined {
  let best: RouteFacts | undefined;
  for (const r of routes) {
    const hit = r.dest === 'default' || inCidr(ip, r.dest);
    if (hit && (!best || prefixOf(r.dest) > prefixOf(best.dest))) best = r;
  }
  return best;
}

/** `10.244.0.0/16 via 192.168.56.11 dev eth1`, as `ip route` prints it. */
export function routeText(r: RouteFacts): string {
  if (r.type) return `${r.type} ${r.dest}`;
  return `${r.dest}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
}

/** The interface a host sends ip out of: a connected subnet's, else its matching route's. */
function outInterface(host: HostFacts, ip: string): string | undefined {
  const link = linkTo({ kind: 'host', host }, ip);
  if (link) return link.iface;
  const r = host.routes ? matchRoute(host.routes, ip) : undefined;
  if (!r || r.type) return undefined;
  return r.dev ?? (r.via ? linkTo({ kind: 'host', host }, r.via)?.iface : undefined);
}

/** The address probes from this place carry. */
export function sourceAddress(place: Place | undefined, dest: string): string | undefined {
  if (!place) return undefined;
  if (place.kind === 'pod') return place.pod.ip;
  if (place.kind === 'node') return linkTo(place, dest)?.address ?? place.node.internalIP;
  const dev = outInterface(place.host, dest);
  const iface = place.host.interfaces.find((i) => i.name === dev && i.address) ?? place.host.interfaces.find((i) => i.address);
  return iface?.address;
}

/** How the next place answers a probe that reached it at `arrivedOn` (the address the previous router sent to). */
function answerOfNext(
  ctx: WalkContext,
  next: Place,
  arrivedOn: string,
  iface: string | undefined,
  dest: string,
  gateway: string,
): { address: string; interface?: string; because: string } {
  const src = sourceAddress(ctx.source, dest);
  if (next.kind === 'host' && next.host.routes && src) {
    const dev = outInterface(next.host, src);
    const back = dev ? next.host.interfaces.find((i) => i.name === dev && i.address) : undefined;
    if (back) return { address: back.address!, interface: back.name, because: `it answers from ${back.name}, where its route back to ${src} leaves` };
    ctx.notes.push(`${next.host.name} has no route back to ${src}: its answers would be lost (add one, or the trace shows * there)`);
  }
  if (next.kind === 'node' && src) {
    const sameLink = next.node.interfaces.some((i) => i.address && i.prefixLength !== undefined && onSubnet(src, i.address, i.prefixLength));
    if (!sameLink) {
      const note = `the prediction assumes the nodes route ${src} back via ${gateway} over ${iface ?? 'the link it came in on'}; without that route their answers and the pods' replies leave through their default route (the NAT interface) and are lost`;
      if (!ctx.notes.includes(note)) ctx.notes.push(note);
    }
  }
  return { address: arrivedOn, ...(iface ? { interface: iface } : {}), because: `it answers from ${arrivedOn}${iface ? ` (${iface})` : ''}, the link its route back to the sender uses` };
}

/**
 * A host with a known routing table: deliver on its own links, forward by
 * its routes, or drop where it has none. Undefined when the facts carry no
 * routes for it (the caller falls back to its older rules).
 */
export function hostStep(ctx: WalkContext, host: HostFacts, dest: string): Step | undefined {
  const here: Place = { kind: 'host', host };
  const link = linkTo(here, dest);
  if (link) return { kind: 'deliver', why: `${dest} is on ${host.name}'s ${link.iface} (${subnetOf(link.address, link.prefix)})` };
  if (!host.routes) return undefined;
  const route = matchRoute(host.routes, dest);
  if (!route) {
    return { kind: 'drop', reason: `${host.name} has no route to ${dest} (${host.routes.length ? `its routes: ${host.routes.map(routeText).join('; ')}` : 'it knows only its own subnets'}): it answers "network unreachable" (!N) and the packet goes no further` };
  }
  if (route.type) return { kind: 'drop', reason: `${host.name} drops packets for ${dest}: its route ${routeText(route)}` };
  if (!route.via) {
    return { kind: 'deliver', why: `${host.name}'s route ${routeText(route)} puts ${dest} straight on ${route.dev ?? 'a link'}` };
  }
  const onLink = linkTo(here, route.via);
  if (!onLink) return { kind: 'drop', reason: `${host.name}'s route ${routeText(route)} names a next hop on none of its subnets: the kernel refuses such a route` };
  const holder = holderNear(ctx.facts, route.via, here);
  const why = `${host.name}'s route ${routeText(route)}`;
  if (!holder) return { kind: 'forward', to: null, answer: { address: route.via }, why: `${why}: ${route.via} is not in the lab facts` };
  const answer = answerOfNext(ctx, holder.place, route.via, holder.iface, dest, `${onLink.address} (${host.name})`);
  return {
    kind: 'forward',
    to: holder.place,
    answer: { address: answer.address, ...(answer.interface ? { interface: answer.interface } : {}) },
    why: `${why}; ${answer.because}`,
  };
}
