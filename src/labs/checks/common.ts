// Pieces every check kind's evaluate uses.
import type { LabCheck, LabCommand } from '../model.js';
import type { RunContext } from '../context.js';
import type { CheckVerdict, CommandResult } from '../results.js';
import { runCommand } from '../run-command.js';
import type { CheckOptions } from './types.js';

export async function observe(cmd: LabCommand, ctx: RunContext, opts: CheckOptions): Promise<CommandResult> {
  return opts.previous?.get(cmd) ?? (await runCommand(cmd, ctx, 'check'));
}

export function base(check: LabCheck): Pick<CheckVerdict, 'id' | 'kind' | 'title'> {
  return { id: check.id, kind: check.kind, title: check.title };
}

export function hopWord(n: number): string {
  return `${n} hop${n === 1 ? '' : 's'}`;
}

export const noDetail = (): string[] => [];
