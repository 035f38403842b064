// predictPath: the hops a traceroute from one endpoint to another must show,
// computed from the cluster facts alone with the rules of the cluster's CNI mode.
import type { ClusterFacts } from '../core/facts.js';
import { inCidr } from './cidr.js';
import { describePlace, describeTarget, destinationAddress, sourcePlace } from './endpoints.js';
import { predictedModes, rulesFor } from './modes/index.js';
import { nodeOf } from './places.js';
import { sourceAddress } from './host-routes.js';
import type { EndpointRef, PathPrediction } from './types.js';
import { type WalkContext, walk } from './walk.js';
import { predictServicePath } from './service.js';

export function predictPath(facts: ClusterFacts, from: EndpointRef, to: EndpointRef): PathPrediction {
  const rules = rulesFor(facts.cni);
  if (!rules) return { ok: false, reason: `no prediction for CNI ${facts.cni}: hoplab predicts paths for ${predictedModes().join(', ')}` };
  const src = sourcePlace(facts, from);
  if (!src.ok) return { ok: false, reason: `source: ${src.reason}` };
  const dst = destinationAddress(facts, to, src.value);
  if (!dst.ok) return { ok: false, reason: `destination: ${dst.reason}` };
  // A ClusterIP: kube-proxy rewrites it to one of the Service's pods on the way.
  if (inCidr(dst.value, facts.serviceCIDR)) return predictServicePath(facts, rules, src.value, dst.value);
  const ctx: WalkContext = { facts, notes: [], source: src.value };
  const walked = walk(ctx, rules, src.value, dst.value);
  if (!walked.ok) return walked;
  const prediction: PathPrediction = {
    ok: true,
    hops: walked.hops,
    destination: dst.value,
    notes: ctx.notes,
    source: describePlace(src.value),
    target: describeTarget(facts, dst.value, src.value),
  };
  const node = nodeOf(src.value);
  if (node !== undefined) prediction.sourceNode = node;
  const sentFrom = src.value.kind === 'host' ? sourceAddress(src.value, dst.value) : undefined;
  if (sentFrom !== undefined) prediction.sourceAddress = sentFrom;
  return prediction;
}
