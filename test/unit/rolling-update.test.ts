// A rolling update's steps against the Deployment's maxSurge/maxUnavailable,
// as kube-controller-manager takes them (Kubernetes documentation,
// "Deployments: Rolling Update Deployment").
import { describe, expect, it } from 'vitest';
import { rollingLimits, rollingStep, type SetSize } from '../../src/kube/replica-math.js';

/** Runs steps until the new set has everything, every pod becoming available one step after it was asked for. */
function rollout(desired: number, rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string }) {
  const limits = rollingLimits(rollingUpdate, desired);
  let cur: SetSize = { name: 'new', replicas: 0, available: 0 };
  let old: SetSize[] = [{ name: 'old', replicas: desired, available: desired }];
  const seen: { total: number; available: number }[] = [];
  for (let i = 0; i < 50 && !(cur.replicas === desired && old.every((s) => s.replicas === 0)); i++) {
    const step = rollingStep(desired, limits, cur, old);
    cur = { ...cur, replicas: step.newReplicas };
    old = old.map((s) => ({ ...s, replicas: step.old[s.name]!, available: Math.min(s.available, step.old[s.name]!) }));
    seen.push({ total: cur.replicas + old.reduce((n, s) => n + s.replicas, 0), available: cur.available + old.reduce((n, s) => n + s.available, 0) });
    cur = { ...cur, available: cur.replicas }; // the new pods start and become ready
  }
  return { cur, old, seen, limits };
}

describe('rolling update', () => {
  it('resolves percentages as the controller does (surge up, unavailable down) and never both zero', () => {
    expect(rollingLimits({ maxSurge: '25%', maxUnavailable: '25%' }, 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(rollingLimits(undefined, 4)).toEqual({ surge: 1, unavailable: 1 });
    expect(rollingLimits({ maxSurge: 0, maxUnavailable: 0 }, 4)).toEqual({ surge: 0, unavailable: 1 });
  });

  it('maxSurge 1, maxUnavailable 0: one extra pod at a time, never fewer available than desired', () => {
    const r = rollout(4, { maxSurge: 1, maxUnavailable: 0 });
    expect(r.cur.replicas).toBe(4);
    expect(Math.max(...r.seen.map((s) => s.total))).toBe(5);
    expect(Math.min(...r.seen.map((s) => s.available))).toBe(4);
  });

  it('maxSurge 0, maxUnavailable 1: never more pods than desired, at most one unavailable', () => {
    const r = rollout(4, { maxSurge: 0, maxUnavailable: 1 });
    expect(r.cur.replicas).toBe(4);
    expect(Math.max(...r.seen.map((s) => s.total))).toBe(4);
    expect(Math.min(...r.seen.map((s) => s.available))).toBe(3);
  });

  it('maxSurge 100%: the whole new set at once, old pods removed once the new ones are available', () => {
    const r = rollout(3, { maxSurge: '100%', maxUnavailable: 0 });
    expect(r.seen[0]).toEqual({ total: 6, available: 3 });
    expect(r.old[0]!.replicas).toBe(0);
  });

  it('removes an unavailable old pod first, which costs no availability', () => {
    // 2 of 4 available, at least 3 wanted: only a broken pod may go.
    const step = rollingStep(4, { surge: 0, unavailable: 1 }, { name: 'new', replicas: 0, available: 0 }, [{ name: 'old', replicas: 4, available: 2 }]);
    expect(step).toEqual({ newReplicas: 0, old: { old: 3 } });
  });

  it('scales a finished Deployment up and down directly', () => {
    expect(rollingStep(5, { surge: 1, unavailable: 1 }, { name: 'n', replicas: 3, available: 3 }, []).newReplicas).toBe(5);
    expect(rollingStep(1, { surge: 1, unavailable: 1 }, { name: 'n', replicas: 3, available: 3 }, []).newReplicas).toBe(1);
  });
});
