// Where `s` opens a shell for a step: the nodes, pods or lab hosts its
// commands name, and for kubectl commands a shell on this machine with
// KUBECONFIG pointing at the lab, where the articles' `kubectl ...` lines
// work as printed. A step that names several places lets the learner pick.
import type { LabStep } from '../labs/model.js';
import type { Target } from '../providers/provider.js';

export type ShellPlace = { kind: 'target'; target: Target } | { kind: 'kubectl' };

export function placeLabel(p: ShellPlace): string {
  if (p.kind === 'kubectl') return 'here, with kubectl set for the lab';
  const t = p.target;
  return t.kind === 'pod' ? `in pod ${t.name}` : `on ${t.name}`;
}

export function shellPlaces(step: LabStep): ShellPlace[] {
  const cmds = [...step.run, ...step.checks.flatMap((c) => ('observe' in c ? [c.observe] : 'command' in c ? [c.command] : []))];
  const seen = new Map<string, ShellPlace>();
  for (const c of cmds) {
    const place: ShellPlace = c.where.kind === 'kubectl' ? { kind: 'kubectl' } : { kind: 'target', target: c.where };
    const key = placeLabel(place);
    if (!seen.has(key)) seen.set(key, place);
  }
  return seen.size ? [...seen.values()] : [{ kind: 'kubectl' }];
}

export function shellTargetLabel(step: LabStep): string {
  const places = shellPlaces(step);
  return places.length === 1 ? placeLabel(places[0]!) : places.map(placeLabel).map((l) => l.replace(/^here, with kubectl set for the lab$/, 'here (kubectl)')).join(' or ');
}
