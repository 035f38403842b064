// A step's preconditions: what must hold in the cluster for its checks to
// mean what their titles say ("traceroute reaches httpd without leaving
// node-1" is only that with both pods on node-1). Checked before the checks;
// an unmet one fails them with its reason, in words.
import type { ClusterFacts } from '../core/facts.js';
import type { Precondition } from './model.js';

/** Why the step's preconditions do not hold here, or nothing. */
export function unmetPreconditions(requires: Precondition[], facts: ClusterFacts): string[] {
  const pod = (name: string) => facts.pods.find((p) => p.name === name && p.namespace === 'default') ?? facts.pods.find((p) => p.name === name);
  const out: string[] = [];
  for (const r of requires) {
    const p = pod(r.pod);
    if ('on' in r) {
      if (!p) out.push(`there is no pod ${r.pod} yet: this step needs it on ${r.on}`);
      else if (p.node !== r.on) out.push(`${r.pod} runs on ${p.node || 'no node yet'}, this step needs it on ${r.on}`);
    } else {
      const other = pod(r.apartFrom);
      if (!p || !other) out.push(`this step needs pods ${r.pod} and ${r.apartFrom} on different nodes; ${!p ? r.pod : r.apartFrom} does not exist yet`);
      else if (p.node === other.node) out.push(`${r.pod} runs on ${p.node}, the same node as ${r.apartFrom}: this step needs them on different nodes`);
    }
  }
  return out;
}
