// The headless runner: every step of a lab with its solution (reset, run,
// waits, solution answers), then the step's checks. It only emits events and
// returns results; printing is the caller's business (report.ts, the TUI).
import { UsageError, errorMessage } from '../core/errors.js';
import { DEFAULT_LAB } from '../core/lab-name.js';
import { hoplabCmd } from '../core/suggest.js';
import type { Provider } from '../providers/provider.js';
import { solutionAnswers } from './answers.js';
import { catchUp } from './catch-up.js';
import { evaluateCheck, preconditionFailures } from './checks.js';
import { makeContext } from './context.js';
import { missingNeeds, missingSentence } from './missing.js';
import { gradedChecks, labSupports, stepRunsOn, type Lab, type LabCommand } from './model.js';
import { outcomeOf, type CheckResult, type CommandResult, type EventSink, type LabResult, type StepResult } from './results.js';
import { clearFaults } from '../faults/apply.js';
import { appendFaultGone, startStepFault } from './fault-step.js';
import { commandFailure, runCommand } from './run-command.js';

export interface RunLabOptions {
  /** The CNI mode the run is meant for; the cluster must run it. */
  cni?: string;
  onEvent?: EventSink;
  signal?: AbortSignal;
  /** Only these step indexes (0-based); default all. */
  steps?: number[];
  pollMs?: number;
  /** First run the solutions (unchecked) of the earlier steps the selected ones depend on. */
  catchUp?: boolean;
}

function workerCount(nodes: { roles: string[] }[]): number {
  return nodes.filter((n) => !n.roles.includes('control-plane')).length;
}

/** Whether the cluster has the netns office LAN a `cluster: { lan: true }` lab uses. */
export function hasOfficeLan(facts: { hosts?: { role: string }[] }): boolean {
  return (facts.hosts ?? []).some((h) => h.role === 'office');
}

export interface RunnableOptions {
  /** The --cni the run is meant for. */
  cni?: string;
  /** The lab cluster's name (--name), for the commands the messages suggest. */
  cluster?: string;
  /** The caller adds a missing office LAN itself (hoplab run, the TUI): do not refuse for it. */
  addsLan?: boolean;
}

/** Can this lab run on this cluster? Throws UsageError saying what to change. */
export function assertRunnable(lab: Lab, facts: { provider?: string; cni: string; nodes: { roles: string[] }[]; hosts?: { role: string }[] }, opts: RunnableOptions = {}): void {
  const { cni } = opts;
  const cmd = (rest: string) => hoplabCmd(opts.cluster ?? DEFAULT_LAB, rest);
  if (cni !== undefined && facts.cni !== cni) {
    throw new UsageError(`--cni ${cni}: the lab cluster runs ${facts.cni}`, `bring it down and up again with '${cmd('down')} && ${cmd(`up --cni ${cni}`)}'`);
  }
  if (!labSupports(lab, facts.cni)) {
    throw new UsageError(`lab '${lab.id}' is for ${(lab.cni as string[]).join(', ')}; the cluster runs ${facts.cni}`, `start a cluster in its mode: '${cmd('down')} && ${cmd(`up --cni ${(lab.cni as string[])[0]}`)}'`);
  }
  // Only the netns provider builds an office LAN; elsewhere the lab's provider-specific steps stand in for it.
  if (lab.cluster.lan && facts.provider === 'netns' && !hasOfficeLan(facts) && !opts.addsLan) {
    throw new UsageError(`lab '${lab.id}' uses the office LAN, which this cluster has not`, `add it with '${cmd('up --lan')}' (the cluster and its pods stay as they are)`);
  }
  const want = lab.cluster.workers;
  const have = workerCount(facts.nodes);
  if (want !== undefined && have < want) {
    throw new UsageError(`lab '${lab.id}' needs ${want} worker nodes; the cluster has ${have}`, `bring it up with '${cmd('down')} && ${cmd(`up --workers ${want}`)}'`);
  }
}

function skipped(checks: Lab['steps'][number]['checks'], why: string): CheckResult[] {
  return checks.map((c) => ({ id: c.id, kind: c.kind, title: c.title, passed: false, outcome: 'failed' as const, skipped: true, summary: `not checked: ${why}` }));
}

async function runStep(lab: Lab, index: number, provider: Provider, opts: RunLabOptions): Promise<StepResult> {
  const step = lab.steps[index]!;
  const started = Date.now();
  const ctx = makeContext(provider, index, opts);
  ctx.emit({ type: 'step-start', step: index, id: step.id, title: step.title });
  const mode = step.cni ? (await ctx.facts()).cni : undefined;
  const otherMode = mode !== undefined && !(step.cni as string[]).includes(mode);
  if (!stepRunsOn(step, provider.name) || otherMode) {
    const skippedStep: StepResult = {
      index, id: step.id, title: step.title, passed: true, outcome: 'shown', commands: [], checks: [],
      skipped: otherMode ? `only for ${step.cni!.join(' and ')}; the cluster runs ${mode}` : `only for the ${step.providers!.join(' and ')} provider${step.providers!.length === 1 ? '' : 's'}`,
      durationMs: 0,
    };
    ctx.emit({ type: 'step-end', step: index, result: skippedStep });
    return skippedStep;
  }
  // Jumped ahead (an earlier step failed or was left out): said once, naming the step that makes it, not per command and check.
  // (The facts stay cached: every command after this forgets them, a step without commands checks on them.)
  const missing = step.needs?.some((n) => n.objects.length) ? missingNeeds(lab, index, await ctx.facts()) : [];
  if (missing.length) {
    const why = `${missingSentence(missing)} ('${hoplabCmd(provider.lab, `run ${lab.id} --from ${index + 1}`)}' catches up to this step)`;
    const result: StepResult = { index, id: step.id, title: step.title, passed: false, outcome: 'failed', commands: [], checks: skipped(step.checks, 'what the step needs is not there'), error: why, durationMs: Date.now() - started };
    for (const c of result.checks) ctx.emit({ type: 'check', step: index, result: c });
    ctx.emit({ type: 'step-end', step: index, result });
    return result;
  }
  const commands: CommandResult[] = [];
  const previous = new Map<LabCommand, CommandResult>();
  let error: string | undefined;
  // A command that ran but whose wait timed out (a traceroute still going on a
  // broken path) leaves something to look at: the checks still grade it.
  let gradeAnyway = false;
  const broken = await startStepFault(step, ctx);
  if (broken) commands.push(broken);
  if (broken && !broken.ok) error = `breaking the cluster for the step: ${commandFailure(broken)}`;
  // The solution's repair runs after the step's own commands, as a learner's fix would.
  const repair = step.solution?.run ?? [];
  for (const [phase, list] of error ? [] : ([['reset', step.reset], ['run', step.run], ['run', repair]] as const)) {
    for (const cmd of list) {
      if (opts.signal?.aborted) break;
      const r = await runCommand(cmd, ctx, phase);
      commands.push(r);
      previous.set(cmd, r);
      if (!r.ok) {
        error = `${phase === 'reset' ? 'resetting the step: ' : ''}${commandFailure(r)}`;
        gradeAnyway = phase === 'run' && !r.error && (r.exitCode === 0 || cmd.mayFail);
        break;
      }
    }
    if (error) break;
  }
  let checks: CheckResult[];
  if (opts.signal?.aborted) {
    checks = skipped(step.checks, 'cancelled');
    error ??= 'cancelled';
  } else if (error && !gradeAnyway) {
    checks = skipped(step.checks, 'a command of the step failed');
  } else {
    const { answers, errors } = await solutionAnswers(step, ctx);
    checks = (await preconditionFailures(step, ctx)) ?? [];
    for (const r of checks) ctx.emit({ type: 'check', step: index, result: r });
    for (const check of checks.length ? [] : step.checks) {
      if (opts.signal?.aborted) break;
      const r = await evaluateCheck(check, ctx, answers, { answerErrors: errors, previous, by: 'hoplab' });
      ctx.emit({ type: 'check', step: index, result: r });
      checks.push(r);
    }
    await appendFaultGone(step, ctx, 'hoplab', checks);
    // Cancelled between two checks: the rest are named as not checked, so a
    // failed step always says which checks did not pass and why.
    if (checks.length < step.checks.length) {
      checks.push(...skipped(step.checks.slice(checks.length), 'cancelled'));
      error ??= 'cancelled';
    }
  }
  for (const c of checks.filter((x) => x.skipped)) ctx.emit({ type: 'check', step: index, result: c });
  const passed = !error && checks.length === gradedChecks(step) && checks.every((c) => c.passed);
  const result: StepResult = {
    index,
    id: step.id,
    title: step.title,
    passed,
    // hoplab ran the solution: a pass shows the step, it is not the learner's.
    outcome: outcomeOf(passed, 'hoplab'),
    commands,
    checks,
    ...(error ? { error } : {}),
    durationMs: Date.now() - started,
  };
  ctx.emit({ type: 'step-end', step: index, result });
  return result;
}

/** Options of the single-command entry points the TUI uses. */
export interface CommandOptions {
  signal?: AbortSignal;
  onEvent?: EventSink;
  pollMs?: number;
}

/** Runs one of a step's `run` commands (the TUI's "let hoplab run it"), waits included. */
export async function runStepCommand(lab: Lab, stepIndex: number, commandIndex: number, provider: Provider, opts: CommandOptions = {}): Promise<CommandResult> {
  const step = lab.steps[stepIndex];
  const cmd = step?.run[commandIndex];
  if (!step || !cmd) throw new RangeError(`lab ${lab.id} has no command ${commandIndex} in step ${stepIndex}`);
  return runCommand(cmd, makeContext(provider, stepIndex, opts), 'run');
}

/** Runs a step's `reset` commands (the TUI's "reset step"); stops at the first that fails. */
export async function resetStep(lab: Lab, stepIndex: number, provider: Provider, opts: CommandOptions = {}, breakAgain = true): Promise<CommandResult[]> {
  const step = lab.steps[stepIndex];
  if (!step) throw new RangeError(`lab ${lab.id} has no step ${stepIndex} (it has ${lab.steps.length})`);
  const ctx = makeContext(provider, stepIndex, opts);
  const results: CommandResult[] = [];
  // A troubleshooting step starts broken again.
  const broken = breakAgain ? await startStepFault(step, ctx) : undefined;
  if (broken) results.push(broken);
  if (broken && !broken.ok) return results;
  for (const cmd of step.reset) {
    if (opts.signal?.aborted) break;
    const r = await runCommand(cmd, ctx, 'reset');
    results.push(r);
    if (!r.ok) break;
  }
  return results;
}

/**
 * Undoes what a lab made, for "start the lab over": every step's reset, last
 * step first, so the first step's clean-up runs last. Steps for another
 * provider are left out; stops at the first reset command that fails.
 */
export async function resetLab(lab: Lab, provider: Provider, opts: CommandOptions = {}): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  for (let i = lab.steps.length - 1; i >= 0; i--) {
    if (opts.signal?.aborted) break;
    if (!stepRunsOn(lab.steps[i]!, provider.name)) continue;
    const done = await resetStep(lab, i, provider, opts, false);
    results.push(...done);
    if (done.some((r) => !r.ok)) break;
  }
  // A troubleshooting lab leaves no fault behind when started over.
  if (lab.steps.some((s) => s.fault)) await clearFaults(provider);
  return results;
}

/**
 * Runs a lab headless on a running cluster. Throws UsageError when the lab
 * cannot run on this cluster (wrong CNI mode, too few workers) and whatever
 * the provider throws when it cannot reach the cluster; a failing step or
 * check is a result, not an exception.
 */
export async function runLab(lab: Lab, provider: Provider, opts: RunLabOptions = {}): Promise<LabResult> {
  const emit = opts.onEvent ?? (() => undefined);
  const started = Date.now();
  const facts = await provider.facts();
  assertRunnable(lab, facts, { ...(opts.cni ? { cni: opts.cni } : {}), cluster: provider.lab });
  emit({ type: 'lab-start', lab: lab.id, title: lab.title, steps: lab.steps.length, provider: provider.name, cni: facts.cni });
  const indexes = opts.steps ?? lab.steps.map((_, i) => i);
  const steps: StepResult[] = [];
  let error: string | undefined;
  const caughtUp = opts.catchUp ? await catchUp(lab, indexes, provider, opts) : undefined;
  if (caughtUp && !caughtUp.ok) error = `catching up: ${caughtUp.error}`;
  for (const i of error ? [] : indexes) {
    if (opts.signal?.aborted) {
      error = 'cancelled';
      break;
    }
    try {
      steps.push(await runStep(lab, i, provider, opts));
    } catch (err) {
      // Only a bug or a vanished cluster gets here; report it as the step's failure.
      const step = lab.steps[i]!;
      steps.push({ index: i, id: step.id, title: step.title, passed: false, outcome: 'failed', commands: [], checks: skipped(step.checks, errorMessage(err)), error: errorMessage(err), durationMs: 0 });
    }
  }
  const result: LabResult = {
    lab: lab.id,
    title: lab.title,
    provider: provider.name,
    cni: facts.cni,
    passed: !error && steps.length === indexes.length && steps.every((s) => s.passed),
    steps,
    durationMs: Date.now() - started,
    ...(error ? { error } : {}),
    ...(caughtUp ? { catchUp: caughtUp } : {}),
  };
  emit({ type: 'lab-end', result });
  return result;
}
