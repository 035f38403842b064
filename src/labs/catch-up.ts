// Catch-up: brings a cluster to where a step can run by running the
// solutions (reset + run commands, no checks) of the earlier steps it depends
// on, in lab order. For the learner who fell behind or jumped ahead; the
// headless runner (`--from`, `--step`) and the TUI's catch-up key use it.
import { errorMessage } from '../core/errors.js';
import type { Provider } from '../providers/provider.js';
import { makeContext } from './context.js';
import { stepRunsOn, type Lab, type LabCommand } from './model.js';
import { catchUpPlan, kubectlCreates, kubectlNeeds, objectKey, wantedFrom } from './needs.js';
import { findTemplates } from './templates.js';
import type { CatchUpResult, CatchUpStep, CommandResult, EventSink } from './results.js';
import { commandFailure, runCommand } from './run-command.js';
import { ShellWordsError, shellWords } from '../core/shell-words.js';

export interface CatchUpOptions {
  signal?: AbortSignal;
  onEvent?: EventSink;
  pollMs?: number;
}

const LOOKING_KUBECTL = new Set(['get', 'describe', 'logs', 'explain', 'version', 'api-resources', 'api-versions', 'cluster-info', 'top']);
const LOOKING_TOOLS = new Set(['ping', 'traceroute', 'tracepath', 'mtr', 'cat', 'iptables-save', 'nslookup', 'dig', 'wget', 'curl', 'grep', 'head', 'tail', 'sed', 'awk', 'sort', 'wc', 'true', 'echo']);
const CHANGING_WORDS = /\b(add|del|delete|replace|change|set|flush|append|insert|-A|-D|-I|-F|-X|-N|-t\s+\S+\s+-[ADIFXN])\b/;

/**
 * Whether a command only looks at the cluster (kubectl get/describe/logs, ping,
 * traceroute, `ip route`, `iptables-save`, ...): catch-up skips those, since
 * only what a step changes matters to the steps after it. Anything with a
 * wait, a redirect or a tool not on the list counts as changing.
 */
export function onlyLooks(cmd: LabCommand): boolean {
  if (cmd.wait.length) return false;
  if (cmd.where.kind !== 'kubectl') return shellOnlyLooks(cmd.text);
  let argv: string[];
  try {
    argv = shellWords(cmd.text);
  } catch (err) {
    if (err instanceof ShellWordsError) return false;
    throw err;
  }
  const words = argv.filter((w, i) => !w.startsWith('-') && !/^(-n|--namespace|--context)$/.test(argv[i - 1] ?? ''));
  if (words[0] === 'exec') {
    const dash = argv.indexOf('--');
    return dash > 0 && shellOnlyLooks(argv.slice(dash + 1).join(' '));
  }
  return words[0] !== undefined && LOOKING_KUBECTL.has(words[0]);
}

function shellOnlyLooks(text: string): boolean {
  if (/[>`$(;&]|\bif\b/.test(text.replace(/2>\/dev\/null|\{\{.*?\}\}/g, ''))) return false;
  return text.split('|').every((seg) => {
    const words = seg.trim().split(/\s+/);
    const tool = words[0] === 'busybox' ? words[1] : words[0];
    if (tool === 'ip' || tool === 'bridge' || tool === 'route') return !CHANGING_WORDS.test(seg);
    if (tool === 'conntrack') return /\s-L\b/.test(seg);
    if (tool === 'iptables') return /\s-[LS]\b/.test(seg) && !CHANGING_WORDS.test(seg);
    if (tool === 'birdc') return /\sshow\s/.test(seg);
    return tool !== undefined && LOOKING_TOOLS.has(tool);
  });
}

/** What a command names that must exist: kubectl's objects, the pod it runs in, its templates' pods and Services. */
function commandNeeds(cmd: LabCommand): string[] {
  const out = cmd.where.kind === 'kubectl' ? kubectlNeeds(cmd.text).map(objectKey) : cmd.where.kind === 'pod' ? [`pod/${cmd.where.name}`] : [];
  for (const r of findTemplates(cmd.text).refs) if (r.root === 'pods' || r.root === 'services') out.push(`${r.root.slice(0, -1)}/${r.name}`);
  return out;
}

/**
 * The run commands of a plan step that catch-up runs: not those that only
 * look, nor those that only create what no later step (nor a kept command of
 * this one: `expose deployment web` keeps `create deployment web`) names.
 */
export function catchUpCommands(run: readonly LabCommand[], want: 'all' | Set<string> | undefined): LabCommand[] {
  const wanted = new Set(want === 'all' ? [] : want);
  const kept: LabCommand[] = [];
  for (const cmd of [...run].reverse()) {
    if (onlyLooks(cmd)) continue;
    const made = cmd.where.kind === 'kubectl' ? kubectlCreates(cmd.text).map(objectKey) : [];
    if (want !== 'all' && made.length && !made.some((o) => wanted.has(o))) continue;
    kept.unshift(cmd);
    for (const o of commandNeeds(cmd)) wanted.add(o);
  }
  return kept;
}

/** The steps catch-up would run for these targets on this provider (steps for other providers left out). */
export function catchUpSteps(lab: Lab, targets: readonly number[], provider: string): number[] {
  return catchUpPlan(lab.steps, targets).filter((i) => stepRunsOn(lab.steps[i]!, provider));
}

/**
 * Runs the solutions of the steps `targets` depend on, less the commands that
 * only look. Stops at the first
 * command that fails (what follows would fail for the same reason); a failure
 * is a result, not an exception.
 */
export async function catchUp(lab: Lab, targets: readonly number[], provider: Provider, opts: CatchUpOptions = {}): Promise<CatchUpResult> {
  const emit = opts.onEvent ?? (() => undefined);
  const started = Date.now();
  const plan = catchUpSteps(lab, targets, provider.name);
  const wanted = wantedFrom(lab.steps, targets);
  emit({ type: 'catch-up-start', targets: [...targets], steps: plan });
  const steps: CatchUpStep[] = [];
  let error: string | undefined;
  for (const index of plan) {
    const step = lab.steps[index]!;
    const t0 = Date.now();
    emit({ type: 'catch-up-step', step: index, id: step.id, title: step.title });
    const ctx = makeContext(provider, index, opts);
    const commands: CommandResult[] = [];
    try {
      const run = catchUpCommands(step.run, wanted.get(index));
      for (const [phase, list] of [['reset', step.reset], ['run', run]] as const) {
        for (const cmd of list) {
          if (opts.signal?.aborted) throw new Error('cancelled');
          if (onlyLooks(cmd)) continue;
          const r = await runCommand(cmd, ctx, phase);
          commands.push(r);
          if (!r.ok) throw new Error(commandFailure(r));
        }
      }
    } catch (err) {
      error = `step ${index + 1} '${step.id}': ${errorMessage(err)}`;
    }
    steps.push({ index, id: step.id, title: step.title, commands, durationMs: Date.now() - t0, ...(error ? { error } : {}) });
    if (error) break;
  }
  const result: CatchUpResult = { targets: [...targets], steps, ok: !error, durationMs: Date.now() - started, ...(error ? { error } : {}) };
  emit({ type: 'catch-up-end', result });
  return result;
}
