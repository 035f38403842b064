// The default scheduler's decision for one pod, as a pure function: filter
// nodes the way its filter plugins do (NodeUnschedulable, TaintToleration,
// NodeAffinity incl. nodeSelector), then take the least loaded node. The
// failure message is worded like kube-scheduler's FitError.
import type { KubeObject } from './runtime.js';

export type ScheduleResult = { ok: true; node: string } | { ok: false; message: string };

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

function untoleratedTaint(pod: KubeObject, node: KubeObject): Taint | undefined {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  const taints: Taint[] = node.spec?.taints ?? [];
  return taints.find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => tolerates(t, taint)));
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementHolds(r: Requirement, value: string | undefined): boolean {
  const has = value !== undefined;
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(r.values?.[0] ?? '')) return false;
      return r.operator === 'Gt' ? Number(value) > Number(r.values![0]) : Number(value) < Number(r.values![0]);
    }
    default:
      return false;
  }
}

/** spec.nodeSelector and required node affinity (terms ORed, expressions ANDed). */
export function matchesNodeSelection(pod: KubeObject, node: KubeObject): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const terms: any[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((term) => {
    const exprs: Requirement[] = term.matchExpressions ?? [];
    const fields: Requirement[] = term.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false; // an empty term matches nothing
    return (
      exprs.every((r) => requirementHolds(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) &&
      fields.every((r) => r.key === 'metadata.name' && requirementHolds(r, node.metadata?.name))
    );
  });
}

/** Why a node cannot take the pod (the first failing filter), or undefined if it can. */
export function unfitReason(pod: KubeObject, node: KubeObject): string | undefined {
  if (node.spec?.unschedulable) {
    const tolerated = (pod.spec?.tolerations ?? []).some((t: Toleration) =>
      tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
    );
    if (!tolerated) return 'node(s) were unschedulable';
  }
  const taint = untoleratedTaint(pod, node);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (!matchesNodeSelection(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

/**
 * Picks a node for an unbound pod. `load` counts the non-terminated pods
 * already on each node; the pod goes to the least loaded fitting node, ties
 * broken by name, which spreads pods over the workers.
 */
export function schedule(pod: KubeObject, nodes: KubeObject[], load: Record<string, number>): ScheduleResult {
  if (nodes.length === 0) return { ok: false, message: 'no nodes available to schedule pods' };
  const reasons = new Map<string, number>();
  const fit: KubeObject[] = [];
  for (const node of nodes) {
    const why = unfitReason(pod, node);
    if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    else fit.push(node);
  }
  if (fit.length === 0) {
    const parts = [...reasons].map(([why, n]) => `${n} ${why}`).sort();
    const total = nodes.length;
    return {
      ok: false,
      message: `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`,
    };
  }
  fit.sort((a, b) => {
    const la = load[a.metadata.name] ?? 0;
    const lb = load[b.metadata.name] ?? 0;
    if (la !== lb) return la - lb;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  return { ok: true, node: fit[0]!.metadata.name };
}
