// The path the engine predicts between two endpoints, as a path to light in
// a drawing (`hoplab topology --path FROM,TO`, the presenter's topology).
import type { ClusterFacts } from '../core/facts.js';
import { UsageError } from '../core/errors.js';
import { predictPath } from '../path/predict.js';
import { resolveEndpoint } from '../path/resolve.js';
import type { TracedPath } from './path.js';

/** Throws UsageError naming the endpoints when they are unknown or the engine has no prediction. */
export function predictedPath(facts: ClusterFacts, from: string, to: string): TracedPath {
  const src = resolveEndpoint(facts, from);
  const dst = resolveEndpoint(facts, to);
  const p = predictPath(facts, src, dst);
  if (!p.ok) throw new UsageError(`--path ${from},${to}: ${p.reason}`);
  return {
    ...(src.kind === 'pod' ? { fromPod: src.name } : {}),
    ...(src.kind === 'host' ? { fromHost: src.name } : {}),
    ...(p.sourceNode ? { fromNode: p.sourceNode } : src.kind === 'node' ? { fromNode: src.name } : {}),
    hops: p.hops.map((h, i) => ({ ttl: i + 1, address: h.address, ...(h.node ? { node: h.node } : {}) })),
  };
}
