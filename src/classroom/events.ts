// Lab results turned into what goes over the wire: results, not shell output.
// A check carries its title, one-line summary, the hops (addresses and
// interfaces, expected vs observed) and the diagnosis, never the command's
// stdout, so nothing from the learner's machine beyond the lab leaves it.
import type { StepStarted } from '../labs/reporter.js';
import type { CheckResult } from '../labs/results.js';
import type { EventInput, Hop, Outcome } from './protocol.js';

const cut = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, n - 1).join('') + '…' : s);

function expectedText(h: { address: string | null; interface?: string; node?: string } | undefined): string | undefined {
  if (!h) return undefined;
  return cut([h.address ?? '*', h.interface, h.node].filter(Boolean).join(' '), 120);
}

export function stepStartedEvent(s: StepStarted): EventInput {
  return { type: 'step-started', lab: s.lab, ...(s.labTitle ? { labTitle: cut(s.labTitle, 120) } : {}), steps: Math.min(200, Math.max(1, s.steps)), step: s.step, stepId: s.stepId, title: cut(s.title, 160) };
}

export function checkEvent(c: { lab: string; step: number; stepId: string; stepTitle?: string; check: CheckResult }, outcome: Outcome): EventInput {
  const v = c.check.hops?.verdict;
  const hops: Hop[] | undefined = v?.hops.slice(0, 40).map((h) => ({
    ttl: h.ttl,
    ...(h.expected ? { expected: expectedText(h.expected)! } : {}),
    observed: h.observed.slice(0, 8).map((o) => cut(o, 64)),
    status: h.status,
  }));
  const first = v && v.firstDifference !== undefined ? v.hops.find((h) => h.ttl === v.firstDifference) : undefined;
  return {
    type: 'check',
    lab: c.lab,
    step: c.step,
    stepId: c.stepId,
    ...(c.stepTitle ? { stepTitle: cut(c.stepTitle, 160) } : {}),
    checkId: c.check.id,
    title: cut(c.check.title, 160),
    kind: c.check.kind,
    outcome,
    summary: cut(c.check.summary, 300),
    ...(first ? { wrongHop: { ttl: first.ttl, ...(first.expected ? { expected: expectedText(first.expected)! } : {}), observed: first.observed.slice(0, 8).map((o) => cut(o, 64)) } } : {}),
    ...(v?.diagnosis && !v.passed ? { diagnosis: cut(v.diagnosis, 500) } : {}),
    ...(hops ? { hops } : {}),
  };
}
