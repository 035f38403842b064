// A troubleshooting step's fault (`fault:` in the lab): injected when the
// step starts (after clearing whatever an earlier try left), and graded gone
// beside the step's own checks — the path checker says the way is right, this
// says the cause is repaired, not worked around.
import { errorMessage } from '../core/errors.js';
import { clearFaults, faultInPlace, injectFault, recordedFaults } from '../faults/apply.js';
import { findFault } from '../faults/catalogue.js';
import { resolveTarget } from '../faults/select.js';
import type { RunContext } from './context.js';
import type { LabStep } from './model.js';
import { outcomeOf, type CheckResult, type CommandResult, type DoneBy } from './results.js';

export const FAULT_GONE_ID = 'fault-gone';

/** Breaks the cluster the way the step says; the result reads like a command's, so the runner and the TUI show it as one. */
export async function startStepFault(step: LabStep, ctx: RunContext): Promise<CommandResult | undefined> {
  const want = step.fault;
  if (!want) return undefined;
  const started = Date.now();
  const display = `hoplab fault inject ${want.name}${want.node ? ` --node ${want.node}` : ''}`;
  ctx.emit({ type: 'command-start', step: ctx.step, phase: 'reset', display, where: 'hoplab' });
  let result: CommandResult;
  try {
    await clearFaults(ctx.provider);
    const facts = await ctx.facts();
    const fault = findFault(want.name)!;
    const done = await injectFault(ctx.provider, facts, fault, resolveTarget(fault, facts, want));
    result = { display, where: 'hoplab', exitCode: 0, ok: true, stdout: `symptom: ${done.finds.symptom}\n`, stderr: '', durationMs: Date.now() - started, waits: [] };
  } catch (err) {
    result = { display, where: 'hoplab', exitCode: -1, ok: false, stdout: '', stderr: '', durationMs: Date.now() - started, waits: [], error: errorMessage(err) };
  } finally {
    ctx.changed();
  }
  ctx.emit({ type: 'command-end', step: ctx.step, phase: 'reset', result });
  return result;
}

/** "The fault is gone": its own verify command no longer finds it. Undefined for a step without a fault. */
async function faultGoneCheck(step: LabStep, ctx: RunContext, by: DoneBy): Promise<CheckResult | undefined> {
  if (!step.fault) return undefined;
  const base = { id: FAULT_GONE_ID, kind: 'fails' as const, title: 'the cause is repaired, not worked around' };
  const injected = (await recordedFaults(ctx.provider.lab)).filter((f) => f.name === step.fault!.name).at(-1);
  if (!injected) {
    return { ...base, passed: false, outcome: 'failed', summary: `the step's fault ${step.fault.name} was never injected into this lab: reset the step to start it broken` };
  }
  try {
    const still = await faultInPlace(ctx.provider, injected);
    const passed = !still;
    return { ...base, passed, outcome: outcomeOf(passed, by), summary: passed ? `${injected.name} on ${injected.target.node} is gone` : `still broken on ${injected.target.node}: ${injected.finds.symptom}` };
  } catch (err) {
    return { ...base, passed: false, outcome: 'failed', summary: errorMessage(err), error: errorMessage(err) };
  }
}

/**
 * Once every check of the step was evaluated (none cut short by a cancel):
 * "the cause is repaired" after them, emitted like the others.
 */
export async function appendFaultGone(step: LabStep, ctx: RunContext, by: DoneBy, checks: CheckResult[]): Promise<void> {
  if (checks.length !== step.checks.length || ctx.signal?.aborted) return;
  const gone = await faultGoneCheck(step, ctx, by);
  if (!gone) return;
  ctx.emit({ type: 'check', step: ctx.step, result: gone });
  checks.push(gone);
}
