// Evaluating a step's checks against the cluster as it is now: the runner
// calls this after running the solution; the TUI calls it after the learner
// worked in a shell. Results are plain data; nothing is printed here.
import { errorMessage } from '../core/errors.js';
import type { ClusterFacts } from '../core/facts.js';
import type { ExpectedHop, PathPrediction } from '../path/types.js';
import type { Provider } from '../providers/provider.js';
import { answersMatch } from './answers.js';
import { makeContext, type RunContext } from './context.js';
import { endpointLabel, resolveEndpointText } from './endpoints.js';
import { grading } from './grading.js';
import type { AnswerRule, Lab, LabCheck, LabCommand, MachineTarget } from './model.js';
import { probesOf } from '../providers/probes.js';
import type { CheckResult, CommandResult, EventSink } from './results.js';
import { runCommand } from './run-command.js';
import { escapeRegExp, resolveTemplates } from './templates.js';

export interface CheckOptions {
  signal?: AbortSignal;
  onEvent?: EventSink;
  /** Trace text a learner pasted, by hop-check id: used instead of running the observe command. */
  traces?: Record<string, string>;
  /** Why an answer could not be given, by answer-check id (the runner's solution answers). */
  answerErrors?: Record<string, string>;
  pollMs?: number;
  /**
   * Results of commands that already ran in this step (the runner's solution
   * run): a check observing the same command grades that output instead of
   * running it again.
   */
  previous?: Map<LabCommand, CommandResult>;
}

async function observe(cmd: LabCommand, ctx: RunContext, opts: CheckOptions): Promise<CommandResult> {
  return opts.previous?.get(cmd) ?? (await runCommand(cmd, ctx, 'check'));
}

type Of<K extends LabCheck['kind']> = Extract<LabCheck, { kind: K }>;

function base(check: LabCheck): Pick<CheckResult, 'id' | 'kind' | 'title'> {
  return { id: check.id, kind: check.kind, title: check.title };
}

function hopWord(n: number): string {
  return `${n} hop${n === 1 ? '' : 's'}`;
}

async function prediction(facts: ClusterFacts, fromText: string, toText: string, expect?: string[]): Promise<PathPrediction> {
  if (expect) {
    const hops: ExpectedHop[] = expect.map((e) =>
      e === '*' ? { address: null, why: 'any router (the lab lists *)' } : { address: resolveTemplates(e, facts), why: 'listed by the lab' },
    );
    const last = hops[hops.length - 1]?.address;
    const dest = last ?? (() => { const to = resolveEndpointText(toText, facts); return to.kind === 'address' ? to.ip : endpointLabel(to); })();
    return { ok: true, hops, destination: dest, notes: [] };
  }
  return grading.predictPath(facts, resolveEndpointText(fromText, facts), resolveEndpointText(toText, facts));
}

async function hopsCheck(check: Of<'hops'>, ctx: RunContext, opts: CheckOptions): Promise<CheckResult> {
  const facts = await ctx.facts();
  const hops = { from: check.from, to: check.to, expected: null, expectedFrom: check.expect ? 'lab' : 'engine', notes: [], traceWarnings: [] } as NonNullable<CheckResult['hops']>;
  let pred: PathPrediction;
  try {
    hops.from = endpointLabel(resolveEndpointText(check.from, facts));
    hops.to = endpointLabel(resolveEndpointText(check.to, facts));
    pred = await prediction(facts, check.from, check.to, check.expect);
  } catch (err) {
    return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}`, hops };
  }
  if (!pred.ok) return { ...base(check), passed: false, summary: `no expected path: ${pred.reason}`, error: pred.reason, hops };
  hops.expected = pred.hops;
  hops.notes = pred.notes;
  let text = opts.traces?.[check.id];
  let command;
  if (text === undefined) {
    command = await observe(check.observe, ctx, opts);
    if (command.error) return { ...base(check), passed: false, summary: command.error, error: command.error, command, hops };
    text = command.stdout;
    if (!text.trim()) {
      const why = `${command.display} printed no trace${command.stderr.trim() ? `: ${command.stderr.trim().split('\n')[0]}` : ''}`;
      return { ...base(check), passed: false, summary: why, command, hops };
    }
  }
  const trace = grading.parseTrace(text);
  hops.format = trace.format;
  hops.traceWarnings = trace.warnings;
  const verdict = grading.checkTrace(pred, trace, facts);
  // To a ClusterIP the length depends on the endpoint kube-proxy picked: show the path the trace fitted.
  const shown = pred.alternatives ? verdict.hops.flatMap((h) => (h.expected ? [h.expected] : [])) : pred.hops;
  hops.verdict = verdict;
  const summary = verdict.passed
    ? `${hopWord(shown.length)} as expected: ${shown.map((h) => h.address ?? '*').join(' → ')}`
    : (verdict.diagnosis ?? `hop ${verdict.firstDifference ?? '?'} differs from the expected path`);
  return { ...base(check), passed: verdict.passed, summary, ...(command ? { command } : {}), hops };
}

async function commandCheck(check: Of<'succeeds' | 'fails'>, ctx: RunContext, opts: CheckOptions): Promise<CheckResult> {
  const command = await observe(check.command, ctx, opts);
  if (command.error) return { ...base(check), passed: false, summary: command.error, error: command.error, command };
  // 126/127: the shell could not find or run the program, which is not the failure a lab asks for.
  if (check.kind === 'fails' && (command.exitCode === 126 || command.exitCode === 127)) {
    return { ...base(check), passed: false, summary: `${command.display} could not run (exit ${command.exitCode}): ${command.stderr.trim().split('\n')[0] ?? ''}`, command };
  }
  const passed = check.kind === 'succeeds' ? command.exitCode === 0 : command.exitCode !== 0;
  const firstErr = (command.stderr || command.stdout).trim().split('\n')[0] ?? '';
  const summary = passed
    ? `${command.display} ${check.kind === 'succeeds' ? 'succeeded' : `failed as expected (exit ${command.exitCode})`}`
    : check.kind === 'succeeds'
      ? `${command.display} exited ${command.exitCode}${firstErr ? `: ${firstErr}` : ''}`
      : `${command.display} succeeded, but it should fail`;
  return { ...base(check), passed, summary, command };
}

async function outputCheck(check: Of<'output'>, ctx: RunContext, opts: CheckOptions): Promise<CheckResult> {
  const command = await observe(check.command, ctx, opts);
  if (command.error) return { ...base(check), passed: false, summary: command.error, error: command.error, command };
  const out = command.stdout + command.stderr;
  const facts = await ctx.facts();
  const problems: string[] = [];
  try {
    if (check.matches !== undefined) {
      const pattern = resolveTemplates(check.matches, facts, escapeRegExp);
      if (!new RegExp(pattern, 'm').test(out)) problems.push(`no line matches /${pattern}/`);
    }
    if (check.contains !== undefined) {
      const text = resolveTemplates(check.contains, facts);
      if (!out.includes(text)) problems.push(`it does not contain ${JSON.stringify(text)}`);
    }
  } catch (err) {
    return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}`, command };
  }
  const passed = problems.length === 0;
  const summary = passed ? `output of ${command.display} as expected` : `output of ${command.display}: ${problems.join('; ')}`;
  return { ...base(check), passed, summary, command };
}

/** The value an answer check expects in this cluster. Throws when it cannot be computed. */
export async function expectedAnswer(rule: AnswerRule, facts: ClusterFacts): Promise<string> {
  if (rule.kind === 'value') return resolveTemplates(rule.text, facts);
  const pred = await grading.predictPath(facts, resolveEndpointText(rule.from, facts), resolveEndpointText(rule.to, facts));
  if (!pred.ok) throw new Error(`no expected path from ${rule.from} to ${rule.to}: ${pred.reason}`);
  const hop = pred.hops[rule.hop - 1];
  if (!hop) throw new Error(`the path from ${rule.from} to ${rule.to} has ${hopWord(pred.hops.length)}, not ${rule.hop}`);
  const value = rule.field === 'address' ? hop.address : rule.field === 'node' ? hop.node : hop.interface;
  if (!value) throw new Error(`hop ${rule.hop} from ${rule.from} to ${rule.to} has no known ${rule.field}`);
  return value;
}

async function answerCheck(check: Of<'answer'>, ctx: RunContext, answers: Record<string, string>, errors: Record<string, string>): Promise<CheckResult> {
  const given = answers[check.id];
  let expected: string;
  try {
    expected = await expectedAnswer(check.expect, await ctx.facts());
  } catch (err) {
    return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}`, answer: { question: check.question, ...(given !== undefined ? { given } : {}) } };
  }
  if (given === undefined) {
    const why = errors[check.id] ?? 'not answered yet';
    return { ...base(check), passed: false, summary: why, answer: { question: check.question, expected } };
  }
  const passed = answersMatch(given, expected);
  return {
    ...base(check),
    passed,
    summary: passed ? `${JSON.stringify(given)} is right` : `${JSON.stringify(given)} is not the answer`,
    answer: { question: check.question, given, expected },
  };
}

/** office-gw, node-1: how a summary names the machine. */
function machineLabel(t: MachineTarget): string {
  return t.name;
}

async function routeCheck(check: Of<'route'>, ctx: RunContext): Promise<CheckResult> {
  const facts = await ctx.facts();
  let to: string;
  let via: string | undefined;
  try {
    to = resolveTemplates(check.to, facts);
    via = check.via === undefined ? undefined : resolveTemplates(check.via, facts);
  } catch (err) {
    return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}` };
  }
  const where = machineLabel(check.on);
  const route = await probesOf(ctx.provider).route(check.on, to);
  if (route.unreachable) return { ...base(check), passed: false, summary: `${where} has no route to ${to}: ${route.unreachable}`, route };
  const seen = `${where} routes ${to} ${route.via ? `via ${route.via}` : 'straight onto its link'}${route.dev ? ` dev ${route.dev}` : ''}`;
  const node = facts.nodes.find((n) => n.internalIP === route.via || n.interfaces.some((i) => i.address === route.via));
  const passed = via !== undefined ? route.via === via : node !== undefined;
  const want = via !== undefined ? `via ${via}` : "via one of the cluster's nodes";
  const hint = !passed && route.dest === 'default' ? ' (its default route: no route for that address yet)' : '';
  return { ...base(check), passed, summary: passed ? seen : `${seen}${hint}, expected ${want}`, route };
}

async function reachCheck(check: Of<'reach'>, ctx: RunContext): Promise<CheckResult> {
  let to: string;
  try {
    to = resolveTemplates(check.to, await ctx.facts());
  } catch (err) {
    return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}` };
  }
  const url = `http://${to}${check.port === 80 ? '' : `:${check.port}`}/`;
  const r = await probesOf(ctx.provider).http(check.on, url, REACH_TIMEOUT_MS);
  return { ...base(check), passed: r.ok, summary: `from ${machineLabel(check.on)}: ${r.detail}` };
}

const REACH_TIMEOUT_MS = 5000;

export async function evaluateCheck(check: LabCheck, ctx: RunContext, answers: Record<string, string> = {}, opts: CheckOptions = {}): Promise<CheckResult> {
  try {
    switch (check.kind) {
      case 'hops':
        return await hopsCheck(check, ctx, opts);
      case 'succeeds':
      case 'fails':
        return await commandCheck(check, ctx, opts);
      case 'output':
        return await outputCheck(check, ctx, opts);
      case 'answer':
        return await answerCheck(check, ctx, answers, opts.answerErrors ?? {});
      case 'route':
        return await routeCheck(check, ctx);
      case 'reach':
        return await reachCheck(check, ctx);
    }
  } catch (err) {
    // Facts could not be read, the provider failed: the check could not be made.
    return { ...base(check), passed: false, summary: errorMessage(err), error: errorMessage(err) };
  }
}

/**
 * Runs every check of one step against the cluster as it is now and returns
 * their results (also emitted as `check` events). `answers` holds what the
 * learner answered, by answer-check id.
 */
export async function checkStep(lab: Lab, stepIndex: number, provider: Provider, answers: Record<string, string> = {}, opts: CheckOptions = {}): Promise<CheckResult[]> {
  const step = lab.steps[stepIndex];
  if (!step) throw new RangeError(`lab ${lab.id} has no step ${stepIndex} (it has ${lab.steps.length})`);
  const ctx = makeContext(provider, stepIndex, opts);
  // A cluster that is gone is one error for the caller, not the same message once per check.
  await ctx.facts();
  const results: CheckResult[] = [];
  for (const check of step.checks) {
    if (opts.signal?.aborted) break;
    const r = await evaluateCheck(check, ctx, answers, opts);
    ctx.emit({ type: 'check', step: stepIndex, result: r });
    results.push(r);
  }
  return results;
}
