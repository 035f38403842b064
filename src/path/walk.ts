// Walks a packet from its source towards an address, one router at a time,
// asking the CNI mode's rules where each place sends it. Each router that
// forwards it is a hop whose answer comes from the address the packet reached
// it on; the place holding the destination answers with the destination.
import type { ClusterFacts } from '../core/facts.js';
import type { ExpectedHop } from './types.js';
import { type Place, describePlace, holderNear, holds, placeKey } from './places.js';

export interface WalkContext {
  facts: ClusterFacts;
  /** Things the prediction should tell the learner (no route owner, unseen routers). */
  notes: string[];
  /** Where the trace starts: a router answers towards it, so modes whose answers depend on the route back need it. */
  source?: Place;
  /**
   * The probes' source as routers further on see it, once a node on the way
   * masqueraded them (flannel does for traffic from outside the cluster to
   * another node's pods): their answers go back to this address instead.
   */
  seenSource?: string;
}

export type Step =
  /** The destination is on a link of this place: the next hop is the destination itself. */
  | { kind: 'deliver'; why: string }
  /** Forward to a router; `to` is null when the facts do not describe it (it answers, then the path goes out of sight). */
  | { kind: 'forward'; to: Place | null; answer: { address: string; interface?: string }; why: string }
  /** Routers the facts do not describe lie between here and the destination. */
  | { kind: 'unseen'; why: string }
  /** The packet goes nowhere: no route. */
  | { kind: 'drop'; reason: string };

/** One CNI mode's forwarding rules: where `at` sends a packet for `dest`. */
export interface ModeRules {
  next(ctx: WalkContext, at: Place, dest: string): Step;
}

export type WalkResult = { ok: true; hops: ExpectedHop[] } | { ok: false; reason: string };

const MAX_HOPS = 30; // traceroute's default limit

export function walk(ctx: WalkContext, rules: ModeRules, source: Place, dest: string): WalkResult {
  const hops: ExpectedHop[] = [];
  const seen = new Set<string>([placeKey(source)]);
  let at: Place = source;
  if (holds(source, dest)) return { ok: true, hops: [destinationHop(ctx, dest, source)] };

  while (hops.length < MAX_HOPS) {
    const step = rules.next(ctx, at, dest);
    switch (step.kind) {
      case 'drop':
        return { ok: false, reason: step.reason };
      case 'deliver':
        hops.push(destinationHop(ctx, dest, at));
        return { ok: true, hops };
      case 'unseen': {
        const last = hops.at(-1)?.address ?? 'the source';
        hops.push({ address: null, many: true, why: step.why });
        hops.push(destinationHop(ctx, dest, at));
        ctx.notes.push(`between ${last} and ${dest} lie routers the lab facts do not describe: any number of hops may answer there`);
        return { ok: true, hops };
      }
      case 'forward': {
        const arrived = step.to ? holds(step.to, dest) : step.answer.address === dest;
        if (arrived) {
          hops.push(destinationHop(ctx, dest, step.to ?? at));
          return { ok: true, hops };
        }
        const hop: ExpectedHop = { address: step.answer.address, why: step.why };
        if (step.to) hop.node = step.to.kind === 'host' ? step.to.host.name : step.to.node.name;
        if (step.answer.interface) hop.interface = step.answer.interface;
        hops.push(hop);
        if (!step.to) {
          hops.push({ address: null, many: true, why: `beyond ${step.answer.address}: routers the lab facts do not describe` });
          hops.push(destinationHop(ctx, dest, at));
          ctx.notes.push(`${step.answer.address} is not in the lab facts: the hops after it cannot be predicted, only the destination`);
          return { ok: true, hops };
        }
        const key = placeKey(step.to);
        if (seen.has(key)) return { ok: false, reason: `routing loop: the packet for ${dest} comes back to ${describePlace(step.to)}` };
        seen.add(key);
        at = step.to;
        break;
      }
    }
  }
  return { ok: false, reason: `no way to ${dest} within ${MAX_HOPS} hops` };
}

export function destinationHop(ctx: WalkContext, dest: string, near: Place): ExpectedHop {
  const holder = holderNear(ctx.facts, dest, near);
  if (!holder) return { address: dest, why: `the destination ${dest} answers itself` };
  const hop: ExpectedHop = { address: dest, why: `the destination: ${describePlace(holder.place)} answers itself` };
  const p = holder.place;
  if (p.kind === 'pod') {
    hop.pod = p.pod.name;
    hop.node = p.node.name;
  } else hop.node = p.kind === 'node' ? p.node.name : p.host.name;
  if (holder.iface) hop.interface = holder.iface;
  return hop;
}
