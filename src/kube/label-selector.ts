// metav1.LabelSelector (matchLabels + matchExpressions), as Deployments,
// ReplicaSets and Services carry it: matching pods and printing it the way
// the apiserver's LabelSelectorAsSelector().String() does ("app=web").
import type { LabelRequirement, LabelSelector } from './selectors.js';
import { matchesLabels } from './selectors.js';

export interface MetaLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const OPS: Record<string, LabelRequirement['op']> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' };

/** Requirements sorted by key, as labels.Selector keeps them; undefined selects nothing. */
export function requirementsOf(sel: MetaLabelSelector | undefined): LabelSelector | undefined {
  if (!sel) return undefined;
  const reqs: LabelSelector = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: '=', values: [value] });
  for (const e of sel.matchExpressions ?? []) {
    const op = OPS[e.operator];
    if (op) reqs.push({ key: e.key, op, values: [...(e.values ?? [])].sort() });
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A metav1.LabelSelector against an object's labels. An empty selector matches everything; a missing one nothing. */
export function selectorMatches(sel: MetaLabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const reqs = requirementsOf(sel);
  if (!reqs) return false;
  return matchesLabels(reqs, labels);
}

/** A Service's map selector: an empty or missing one selects no pods (no endpoints are managed). */
export function mapSelectorMatches(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

function requirementString(r: LabelRequirement): string {
  switch (r.op) {
    case '=':
      return `${r.key}=${r.values[0]}`;
    case 'in':
      return `${r.key} in (${r.values.join(',')})`;
    case 'notin':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case '!exists':
      return `!${r.key}`;
    default:
      return `${r.key}${r.op === '!=' ? '!=' : ''}${r.values.join(',')}`;
  }
}

/** "app=web,tier=front", as `kubectl get -o wide` and Scale.status.selector show a selector. */
export function selectorString(sel: MetaLabelSelector | undefined): string {
  return (requirementsOf(sel) ?? []).map(requirementString).join(',');
}

/** A Service's selector map as printed: keys sorted, "k=v" joined by commas. */
export function mapSelectorString(sel: Record<string, string> | undefined): string {
  return Object.keys(sel ?? {})
    .sort()
    .map((k) => `${k}=${sel![k]}`)
    .join(',');
}
