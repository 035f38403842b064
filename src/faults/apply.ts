// Puts a fault into a running lab and takes it out again, through the
// provider (so how a command reaches a node stays the provider's business),
// and remembers what went in, per lab, so `hoplab fault clear`, `down` and a
// troubleshooting lab's next step know what to undo.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MachineError, UsageError, stderrTail } from '../core/errors.js';
import type { RunResult } from '../core/exec.js';
import type { ClusterFacts, CniMode } from '../core/facts.js';
import { shellWords } from '../core/shell-words.js';
import { userStateDir } from '../core/user-state.js';
import type { Provider } from '../providers/provider.js';
import { refusal } from './select.js';
import type { Fault, FaultAction, FaultTarget, Finding } from './types.js';

export interface InjectedFault {
  name: string;
  target: FaultTarget;
  mode: string;
  at: string;
  took: FaultAction;
  clear: FaultAction[];
  finds: Finding;
}

const stateFile = (lab: string) => join(userStateDir(), 'faults', `${lab}.json`);

export async function recordedFaults(lab: string): Promise<InjectedFault[]> {
  try {
    const data = JSON.parse(await readFile(stateFile(lab), 'utf8')) as unknown;
    return Array.isArray(data) ? (data as InjectedFault[]) : [];
  } catch {
    return [];
  }
}

async function record(lab: string, faults: InjectedFault[]): Promise<void> {
  if (!faults.length) return forgetFaults(lab);
  await mkdir(join(userStateDir(), 'faults'), { recursive: true });
  await writeFile(stateFile(lab), JSON.stringify(faults, null, 2) + '\n');
}

export async function forgetFaults(lab: string): Promise<void> {
  await rm(stateFile(lab), { force: true });
}

export function actionText(a: FaultAction): string {
  return 'kubectl' in a ? `kubectl ${a.kubectl}` : `${a.on}: ${a.cmd}`;
}

export function runAction(provider: Provider, a: FaultAction, timeoutMs = 180_000): Promise<RunResult> {
  return 'kubectl' in a ? provider.kubectl(shellWords(a.kubectl), { timeoutMs }) : provider.run({ kind: 'node', name: a.on }, ['sh', '-c', a.cmd], { timeoutMs });
}

async function runOk(provider: Provider, a: FaultAction, what: string): Promise<void> {
  const r = await runAction(provider, a);
  if (r.exitCode !== 0) {
    const tail = stderrTail(r.stderr || r.stdout);
    throw new MachineError(`${what}: \`${actionText(a)}\` failed (exit ${r.exitCode})${tail ? `: ${tail}` : ''}`);
  }
}

/** Is the fault in place? (its `took` command exits 0) */
export async function faultInPlace(provider: Provider, f: Pick<InjectedFault, 'took'>): Promise<boolean> {
  return (await runAction(provider, f.took, 30_000)).exitCode === 0;
}

/**
 * Injects `fault` at `target` and checks that it took. Refuses (UsageError,
 * MachineError) before touching anything when the mode or provider cannot
 * have it; a command failing half-way undoes what went in.
 */
export async function injectFault(provider: Provider, facts: ClusterFacts, fault: Fault, target: FaultTarget): Promise<InjectedFault> {
  const no = refusal(fault, facts.cni, provider.name);
  if (no) throw no.kind === 'bad' ? new UsageError(no.reason) : new MachineError(no.reason);
  const plan = fault.plan(facts, target, facts.cni as CniMode);
  const injected: InjectedFault = { name: fault.name, target, mode: facts.cni, at: new Date().toISOString(), took: plan.took, clear: plan.clear, finds: plan.finds };
  // Recorded first: a crash half-way still leaves `clear` knowing what to undo.
  await record(provider.lab, [...(await recordedFaults(provider.lab)), injected]);
  try {
    for (const a of plan.inject) await runOk(provider, a, `injecting ${fault.name}`);
    if (!(await faultInPlace(provider, injected))) throw new MachineError(`injecting ${fault.name}: it did not take (\`${actionText(plan.took)}\` says it is not in place)`);
  } catch (err) {
    await clearFaults(provider).catch(() => undefined);
    throw err;
  }
  return injected;
}

/** Undoes every recorded fault of the lab, last first, and forgets them; returns what was cleared. */
export async function clearFaults(provider: Provider): Promise<InjectedFault[]> {
  const faults = await recordedFaults(provider.lab);
  const left: InjectedFault[] = [];
  const problems: string[] = [];
  for (const f of [...faults].reverse()) {
    try {
      for (const a of f.clear) await runOk(provider, a, `clearing ${f.name}`);
      if (await faultInPlace(provider, f)) throw new MachineError(`clearing ${f.name}: it is still in place`);
    } catch (err) {
      left.unshift(f);
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  await record(provider.lab, left);
  if (problems.length) throw new MachineError(problems.join('; '));
  return faults;
}
