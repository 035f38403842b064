// Which steps of a lab can run where some kinds of command are refused (an
// existing cluster's RBAC or Pod Security): said up front by `up`, so the
// learner knows before a step fails.
import type { Refusals } from '../providers/provider.js';
import { kindOf } from './checks/index.js';
import type { Lab, LabCommand } from './model.js';

/** Where a lab command runs, as the access rules see it. */
function needOf(cmd: LabCommand): keyof Refusals {
  switch (cmd.where.kind) {
    case 'kubectl':
      return 'kubectl';
    case 'pod':
      return 'pods';
    case 'node':
      return 'nodes';
    case 'host':
      return 'hosts';
  }
}

/** Every command a step runs headless: reset, run, the checks' own commands, the solution's answers. */
export function stepCommands(step: Lab['steps'][number]): LabCommand[] {
  const out = [...step.reset, ...step.run];
  for (const c of step.checks) out.push(...kindOf(c.kind).commands(c));
  for (const a of Object.values(step.solution?.answers ?? {})) if (a.kind === 'command') out.push(a.command);
  return out;
}

export interface StepAccess {
  id: string;
  /** Why it cannot run here; absent when it can. */
  blocked?: string;
}

/** For each step of a lab: can it run with these refusals? */
export function labStepAccess(lab: Lab, why: Refusals): StepAccess[] {
  return lab.steps.map((step) => {
    const needs = new Set(stepCommands(step).map(needOf));
    const reason = (['hosts', 'nodes', 'pods', 'kubectl'] as const).find((n) => needs.has(n) && why[n]);
    return reason ? { id: step.id, blocked: `${reason === 'nodes' ? 'it runs commands on nodes: ' : reason === 'pods' ? 'it runs commands in pods: ' : ''}${why[reason]}` } : { id: step.id };
  });
}

/** One line per lab: the steps that still run. */
export function stepsThatRunLines(labs: Lab[], why: Refusals): string[] {
  return labs.map((lab) => {
    const ok = labStepAccess(lab, why).filter((s) => !s.blocked).map((s) => s.id);
    return `lab ${lab.id}: ${ok.length ? `steps that still run: ${ok.join(', ')}` : 'no step runs without node commands'}`;
  });
}
