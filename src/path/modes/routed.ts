// A CNI mode as a routing table per node, for the modes whose answers the
// route back decides (flannel vxlan, calico): each node either delivers on a
// local link, sends to a peer node (through eth1 or a tunnel), or uses its
// default route. Every router on the way answers from the preferred source
// of its route back to the probe's sender (answers.ts).
import type { NodeFacts, PodFacts } from '../../core/facts.js';
import type { Place } from '../places.js';
import type { ModeRules, Step, WalkContext } from '../walk.js';
import { answerVia, type Answer } from './answers.js';
import { hostNext, viaDefaultRoute } from './common.js';
import { inCidr } from '../cidr.js';

export type NodeRoute =
  /**
   * Delivered on a link of this node: a local pod's veth, the bridge, eth0/eth1.
   * `src` is the address this node holds on `dev`, for devices the facts may not list (cni0).
   */
  | { kind: 'local'; dev: string; why: string; src?: string; addressless?: true }
  /** Sent to another node, through `dev` (eth1 or a tunnel) via `via`; `src` as above (flannel.1). */
  | { kind: 'peer'; owner: NodeFacts; dev: string; via: string; why: string; src?: string }
  | { kind: 'default' }
  | { kind: 'drop'; reason: string };

export interface RoutedMode {
  /** The node's route for `dest`. */
  route(ctx: WalkContext, node: NodeFacts, dest: string): NodeRoute;
  /** A pod's own way to `dest` when it does not go through its node (a shared bridge). */
  podLocal?(ctx: WalkContext, pod: PodFacts, node: NodeFacts, dest: string): Step | undefined;
  /** Why a pod hands the packet to its node: its default route, in the mode's words. */
  podExit(node: NodeFacts): string;
  /** The mode masquerades what a node forwards from outside the cluster CIDR to another node's pods (flannel's FLANNEL-POSTRTG). */
  masqueradesFromOutside?: boolean;
}

/** The answer of `node` when `route` is its route back to the sender. */
function answerOn(node: NodeFacts, route: NodeRoute): Answer & { guessed?: true } {
  switch (route.kind) {
    case 'local':
    case 'peer':
      return route.src !== undefined
        ? { address: route.src, interface: route.dev, because: `its route back leaves through ${route.dev}` }
        : answerVia(node, route.dev, route.kind === 'local' && route.addressless);
    case 'default':
      return answerVia(node, node.defaultRoute?.dev);
    case 'drop':
      return answerVia(node, undefined);
  }
}

/** The address a packet of this trace carries as its source. */
export function probeSource(ctx: WalkContext, mode: RoutedMode, dest: string): string | undefined {
  if (ctx.seenSource !== undefined) return ctx.seenSource;
  const src = ctx.source;
  if (!src) return undefined;
  switch (src.kind) {
    case 'pod':
      return src.pod.ip;
    case 'node':
      return answerOn(src.node, mode.route(ctx, src.node, dest)).address;
    case 'host':
      return src.host.interfaces.find((i) => i.address !== undefined)?.address;
  }
}

/** How `node` answers the probe: from the preferred source of its route back to the sender. */
export function answerOf(ctx: WalkContext, mode: RoutedMode, node: NodeFacts, dest: string): Answer {
  const sender = probeSource(ctx, mode, dest);
  const answer = sender === undefined ? answerVia(node, undefined) : answerOn(node, mode.route(ctx, node, sender));
  if (answer.guessed) ctx.notes.push(`${node.name}'s answer is a guess: ${answer.because}`);
  return answer;
}

/** A node passing on probes whose source lies outside the cluster CIDR (an office PC's), not its own. */
function forwardedFromOutside(ctx: WalkContext, mode: RoutedMode, at: Place, dest: string): boolean {
  if (ctx.source === undefined || (ctx.source.kind === 'node' && at.kind === 'node' && ctx.source.node.name === at.node.name)) return false;
  const src = probeSource(ctx, mode, dest);
  return src !== undefined && !inCidr(src, ctx.facts.clusterCIDR);
}

const answered = (node: NodeFacts, a: Answer) => `${node.name} answers from ${a.address}: ${a.because}`;

export function routedRules(mode: RoutedMode): ModeRules {
  return {
    next(ctx, at: Place, dest): Step {
      switch (at.kind) {
        case 'host':
          return hostNext(ctx, at.host, dest);
        case 'pod': {
          const own = mode.podLocal?.(ctx, at.pod, at.node, dest);
          if (own) return own;
          const answer = answerOf(ctx, mode, at.node, dest);
          return {
            kind: 'forward',
            to: { kind: 'node', node: at.node },
            answer: { address: answer.address, interface: answer.interface },
            why: `${mode.podExit(at.node)}; ${answered(at.node, answer)}`,
          };
        }
        case 'node': {
          const route = mode.route(ctx, at.node, dest);
          switch (route.kind) {
            case 'local':
              return { kind: 'deliver', why: route.why };
            case 'drop':
              return { kind: 'drop', reason: route.reason };
            case 'default':
              return viaDefaultRoute(ctx, at.node, dest);
            case 'peer': {
              const masq = mode.masqueradesFromOutside && forwardedFromOutside(ctx, mode, at, dest);
              if (masq) ctx.seenSource = answerOn(at.node, route).address;
              const answer = answerOf(ctx, mode, route.owner, dest);
              return {
                kind: 'forward',
                to: { kind: 'node', node: route.owner },
                answer: { address: answer.address, interface: answer.interface },
                why: `${route.why}; ${answered(route.owner, answer)}`,
              };
            }
          }
        }
      }
    },
  };
}
