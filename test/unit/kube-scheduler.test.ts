import { describe, expect, it } from 'vitest';
import { schedule, tolerates, matchesNodeSelection } from '../../src/kube/scheduler.js';

const node = (name: string, opts: { controlPlane?: boolean; unschedulable?: boolean; labels?: Record<string, string> } = {}) => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}), ...(opts.labels ?? {}) } },
  spec: {
    ...(opts.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    ...(opts.unschedulable ? { unschedulable: true } : {}),
  },
});
const nodes = [node('controlplane', { controlPlane: true }), node('node-1'), node('node-2')];
const pod = (spec: Record<string, any> = {}) => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });

describe('scheduler', () => {
  it('honours a nodeSelector on kubernetes.io/hostname', () => {
    expect(schedule(pod({ nodeSelector: { 'kubernetes.io/hostname': 'node-2' } }), nodes, {})).toEqual({ ok: true, node: 'node-2' });
  });

  it('spreads over the workers: fewest pods first, then by name; never the tainted control plane', () => {
    expect(schedule(pod(), nodes, {})).toEqual({ ok: true, node: 'node-1' });
    expect(schedule(pod(), nodes, { 'node-1': 1 })).toEqual({ ok: true, node: 'node-2' });
    expect(schedule(pod(), nodes, { 'node-1': 2, 'node-2': 2 })).toEqual({ ok: true, node: 'node-1' });
  });

  it('places a pod that tolerates the control-plane taint there when asked', () => {
    const p = pod({
      nodeSelector: { 'kubernetes.io/hostname': 'controlplane' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(schedule(p, nodes, {})).toEqual({ ok: true, node: 'controlplane' });
  });

  it("words the failure like kube-scheduler's FitError", () => {
    const r = schedule(pod({ nodeSelector: { 'kubernetes.io/hostname': 'controlplane' } }), nodes, {});
    expect(r).toEqual({
      ok: false,
      message:
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    });
  });

  it('skips cordoned nodes', () => {
    const r = schedule(pod(), [node('controlplane', { controlPlane: true }), node('node-1', { unschedulable: true })], {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('1 node(s) were unschedulable');
    expect(schedule(pod(), [], {})).toEqual({ ok: false, message: 'no nodes available to schedule pods' });
  });

  it('evaluates required node affinity (terms ORed, expressions ANDed, matchFields on the name)', () => {
    const affinity = (terms: any[]) => pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const n2 = node('node-2', { labels: { zone: 'b' } });
    expect(matchesNodeSelection(affinity([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }]), n2)).toBe(true);
    expect(matchesNodeSelection(affinity([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }]), n2)).toBe(false);
    expect(matchesNodeSelection(affinity([{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }]), n2)).toBe(true);
    expect(matchesNodeSelection(affinity([{}]), n2)).toBe(false);
  });

  it('matches tolerations to taints by key, operator, value and effect', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'v' }, taint)).toBe(true);
    expect(tolerates({ key: 'k', value: 'w' }, taint)).toBe(false);
    expect(tolerates({ operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });
});
