// Forwarding every mode shares: a node's default route towards the NAT router,
// and the lab's non-Kubernetes machines (NAT routers, the VirtualBox host).
import type { HostFacts, NodeFacts } from '../../core/facts.js';
import { ifaceAddress } from '../../core/facts.js';
import { firstHost, subnetOf } from '../cidr.js';
import { holderNear, linkTo } from '../places.js';
import type { Step, WalkContext } from '../walk.js';
import { hostStep } from '../host-routes.js';

/** Where a node sends what no more specific route covers. */
export function viaDefaultRoute(ctx: WalkContext, node: NodeFacts, dest: string): Step {
  const route = node.defaultRoute;
  if (!route) return { kind: 'drop', reason: `${node.name} has no route to ${dest} and no default route` };
  const holder = holderNear(ctx.facts, route.via, { kind: 'node', node });
  const router = holder?.place.kind === 'host' ? holder.place.host : undefined;
  const what = router?.role === 'nat-router' ? ` (${router.name}, the NAT router)` : '';
  return {
    kind: 'forward',
    to: holder ? holder.place : null,
    answer: { address: route.via, interface: holder?.iface },
    why: `${node.name}'s default route: via ${route.via} dev ${route.dev}${what}`,
  };
}

/**
 * A NAT router or other lab machine: by its routing table where the facts
 * carry one (office gateways, host-routes.ts), else its own links and the
 * world beyond it.
 */
export function hostNext(ctx: WalkContext, host: HostFacts, dest: string): Step {
  const routed = hostStep(ctx, host, dest);
  if (routed) return routed;
  const link = linkTo({ kind: 'host', host }, dest);
  if (link) return { kind: 'deliver', why: `${dest} is on ${host.name}'s ${link.iface} (${subnetOf(link.address, link.prefix)})` };
  if (host.role === 'nat-router' || host.role === 'gateway') {
    return { kind: 'unseen', why: `${host.name} forwards it on towards ${dest}: routers the lab facts do not describe` };
  }
  return { kind: 'drop', reason: `${host.name} (${host.role}) has no route to ${dest} that the facts describe` };
}

/** The pod bridge's address: cni0 as the facts report it, else the bridge plugin's choice, the first address of the pod CIDR. */
export function bridgeAddress(node: NodeFacts): string {
  return ifaceAddress(node, 'cni0') ?? firstHost(node.podCIDR);
}
