// Jumping ahead: a step opened before the steps that make what it names (a
// pod, a Service). Said once, before anything runs or is asked, naming the
// step that creates it and how to get there, instead of every command and
// check failing on its own with a raw template.
import { labNamespace, type ClusterFacts } from '../core/facts.js';
import type { Lab } from './model.js';

export interface MissingObject {
  kind: 'pod' | 'service';
  name: string;
  /** The earlier step that creates it. */
  step: { index: number; title: string };
}

/** What the step needs from earlier steps (its `needs`) that the cluster does not have now. */
export function missingNeeds(lab: Lab, index: number, facts: ClusterFacts): MissingObject[] {
  const ns = labNamespace(facts);
  const out: MissingObject[] = [];
  for (const need of lab.steps[index]?.needs ?? []) {
    const step = lab.steps[need.step];
    if (!step) continue;
    for (const obj of need.objects) {
      const [kind, name] = obj.split('/', 2) as [string, string];
      const there =
        kind === 'pod' ? facts.pods.some((p) => p.name === name && p.namespace === ns)
        : kind === 'service' ? facts.services.some((s) => s.name === name && s.namespace === ns)
        : true; // a Deployment shows as its pods, named after it with a hash: not checked here
      if (!there && (kind === 'pod' || kind === 'service')) out.push({ kind, name, step: { index: need.step, title: step.title } });
    }
  }
  return out;
}

/**
 * One sentence per creating step: "httpd is not there yet: step 2 'Pods on
 * two nodes' creates it". `how` says how to get there from where the learner is.
 */
export function missingSentence(missing: readonly MissingObject[]): string {
  const byStep = new Map<number, MissingObject[]>();
  for (const m of missing) byStep.set(m.step.index, [...(byStep.get(m.step.index) ?? []), m]);
  return [...byStep.values()]
    .map((ms) => {
      const names = ms.map((m) => (m.kind === 'service' ? `Service ${m.name}` : m.name));
      const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
      return `${list} ${names.length === 1 ? 'is' : 'are'} not there yet: step ${ms[0]!.step.index + 1} '${ms[0]!.step.title}' creates ${names.length === 1 ? 'it' : 'them'}`;
    })
    .join('; ');
}
