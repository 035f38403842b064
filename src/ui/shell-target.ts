// Where `s` opens a shell for a step: the nodes, pods or lab hosts its
// commands name, and for kubectl commands a shell on this machine with
// KUBECONFIG pointing at the lab, where the articles' `kubectl ...` lines
// work as printed. A step that names several places lets the learner pick.
import type { LabStep } from '../labs/model.js';
import type { Target } from '../providers/provider.js';
import type { T } from './i18n.js';

const asIs: T = (s, v) => s.replace(/\{(\w+)\}/g, (m, k: string) => String(v?.[k] ?? m));

export type ShellPlace = { kind: 'target'; target: Target } | { kind: 'kubectl' };

/** `t` translates for display; without it the label is the English one, which is also the place's key. */
export function placeLabel(p: ShellPlace, t: T = asIs): string {
  if (p.kind === 'kubectl') return t('here, with kubectl set for the lab');
  const target = p.target;
  return target.kind === 'pod' ? t('in pod {name}', { name: target.name }) : t('on {name}', { name: target.name });
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

export function shellTargetLabel(step: LabStep, t: T = asIs): string {
  const places = shellPlaces(step);
  if (places.length === 1) return placeLabel(places[0]!, t);
  return places.map((p) => (p.kind === 'kubectl' ? t('here (kubectl)') : placeLabel(p, t))).join(t(' or '));
}
