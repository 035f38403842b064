// Evaluating a step's checks against the cluster as it is now: the runner
// calls this after running the solution; the TUI calls it after the learner
// worked in a shell. Each kind evaluates itself (checks/<kind>.ts); results
// are plain data; nothing is printed here.
import { errorMessage } from '../core/errors.js';
import type { Provider } from '../providers/provider.js';
import { kindOf } from './checks/index.js';
import { base } from './checks/common.js';
import { traceElsewhere } from './checks/hops.js';
import type { CheckOptions } from './checks/types.js';
import { makeContext, type RunContext } from './context.js';
import type { Lab, LabCheck, LabStep } from './model.js';
import { missingNeeds, missingSentence } from './missing.js';
import { unmetPreconditions } from './preconditions.js';
import { hoplabCmd } from '../core/suggest.js';
import { appendFaultGone } from './fault-step.js';
import { outcomeOf, type CheckResult } from './results.js';

export async function evaluateCheck(check: LabCheck, ctx: RunContext, answers: Record<string, string> = {}, opts: CheckOptions = {}): Promise<CheckResult> {
  const by = opts.by ?? 'learner';
  try {
    const v = await kindOf(check.kind).evaluate(check, { ctx, opts, answers });
    return { ...v, outcome: outcomeOf(v.passed, by) };
  } catch (err) {
    // Facts could not be read, the provider failed: the check could not be made.
    return { ...base(check), passed: false, outcome: 'failed', summary: errorMessage(err), error: errorMessage(err) };
  }
}

/**
 * Runs every check of one step against the cluster as it is now and returns
 * their results (also emitted as `check` events). `answers` holds what the
 * learner answered, by answer-check id.
 */
/** The step's checks failed with the reason its preconditions do not hold, or undefined when they hold. */
export async function preconditionFailures(step: LabStep, ctx: RunContext, transcript?: string): Promise<CheckResult[] | undefined> {
  if (!step.requires.length) return undefined;
  const facts = await ctx.facts();
  const unmet = unmetPreconditions(step.requires, facts);
  if (!unmet.length) return undefined;
  // A trace the learner ran in the wrong place is the likely cause: name it beside the reason.
  const elsewhere = (c: LabCheck) => (c.kind === 'hops' ? traceElsewhere(c, transcript, facts) : undefined);
  return step.checks.map((c) => ({ ...base(c), passed: false, outcome: 'failed' as const, summary: [...unmet, ...[elsewhere(c)].filter(Boolean)].join('; ') }));
}

export async function checkStep(lab: Lab, stepIndex: number, provider: Provider, answers: Record<string, string> = {}, opts: CheckOptions = {}): Promise<CheckResult[]> {
  const step = lab.steps[stepIndex];
  if (!step) throw new RangeError(`lab ${lab.id} has no step ${stepIndex} (it has ${lab.steps.length})`);
  const ctx = makeContext(provider, stepIndex, opts);
  // A cluster that is gone is one error for the caller, not the same message once per check.
  await ctx.facts();
  const results: CheckResult[] = [];
  // Jumped ahead: what the step names is not there. Said once, on the first check; the rest are not checked.
  const missing = missingNeeds(lab, stepIndex, await ctx.facts());
  if (missing.length) {
    const first = `${missingSentence(missing)} ('${hoplabCmd(provider.lab, `run ${lab.id} --from ${stepIndex + 1}`)}' catches up to this step)`;
    const out = step.checks.map((c, i): CheckResult => ({ ...base(c), passed: false, outcome: 'failed', skipped: true, summary: i === 0 ? first : 'not checked: what the step needs is not there (above)' }));
    for (const r of out) ctx.emit({ type: 'check', step: stepIndex, result: r });
    return out;
  }
  const unmet = await preconditionFailures(step, ctx, opts.transcript);
  if (unmet) {
    for (const r of unmet) ctx.emit({ type: 'check', step: stepIndex, result: r });
    return unmet;
  }
  for (const check of step.checks) {
    if (opts.signal?.aborted) break;
    const r = await evaluateCheck(check, ctx, answers, opts);
    ctx.emit({ type: 'check', step: stepIndex, result: r });
    results.push(r);
  }
  // A troubleshooting step: the learner's repair is graded too, not only the path it gives.
  await appendFaultGone(step, ctx, opts.by ?? 'learner', results);
  return results;
}
