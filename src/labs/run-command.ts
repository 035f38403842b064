// Runs one lab command on the provider: templates resolved from fresh facts,
// kubectl arguments split like a shell, node/pod/host commands through sh -c,
// then the command's wait conditions.
import { errorMessage } from '../core/errors.js';
import type { RunResult } from '../core/exec.js';
import type { RunContext } from './context.js';
import type { CommandWhere, LabCommand } from './model.js';
import type { CommandPhase, CommandResult } from './results.js';
import { shellWords } from '../core/shell-words.js';
import { hasTemplates, resolveTemplates } from './templates.js';
import { waitFor } from './waits.js';

export function whereLabel(where: CommandWhere): string {
  switch (where.kind) {
    case 'kubectl':
      return 'kubectl';
    case 'node':
      return where.name;
    case 'pod':
      return `pod/${where.namespace ? `${where.namespace}/` : ''}${where.name}`;
    case 'host':
      return `host/${where.name}`;
  }
}

function lines(text: string): string[] {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** The command text with templates resolved, as it will run. Throws TemplateError. */
export async function resolveCommandText(cmd: LabCommand, ctx: RunContext): Promise<string> {
  return hasTemplates(cmd.text) ? resolveTemplates(cmd.text, await ctx.facts()) : cmd.text;
}

/** `sh: 1: tcpdump: not found` (exit 127): the program the shell could not find. */
function missingProgram(r: RunResult): string | undefined {
  if (r.exitCode !== 127) return undefined;
  return /(\S+): (?:command )?not found/.exec(r.stderr)?.[1];
}

export async function runCommand(cmd: LabCommand, ctx: RunContext, phase: CommandPhase): Promise<CommandResult> {
  const where = whereLabel(cmd.where);
  const started = Date.now();
  const fail = (display: string, error: string): CommandResult => {
    const result: CommandResult = { display, where, exitCode: -1, ok: false, stdout: '', stderr: '', durationMs: Date.now() - started, waits: [], error };
    ctx.emit({ type: 'command-end', step: ctx.step, phase, result });
    return result;
  };
  let text: string;
  try {
    text = await resolveCommandText(cmd, ctx);
  } catch (err) {
    ctx.emit({ type: 'command-start', step: ctx.step, phase, display: cmd.display, where });
    return fail(cmd.display, `${cmd.at}: ${errorMessage(err)}`);
  }
  const display = cmd.where.kind === 'kubectl' ? `kubectl ${text}` : text;
  ctx.emit({ type: 'command-start', step: ctx.step, phase, display, where });
  const opts = { timeoutMs: cmd.timeoutSec * 1000, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  let r: RunResult;
  try {
    r = cmd.where.kind === 'kubectl' ? await ctx.provider.kubectl(shellWords(text), opts) : await ctx.provider.run(cmd.where, ['sh', '-c', text], opts);
  } catch (err) {
    return fail(display, errorMessage(err));
  } finally {
    // Whatever the command did, the cluster may look different now.
    ctx.changed();
  }
  for (const line of lines(r.stdout)) ctx.emit({ type: 'output', step: ctx.step, stream: 'stdout', line });
  for (const line of lines(r.stderr)) ctx.emit({ type: 'output', step: ctx.step, stream: 'stderr', line });
  const waits = [];
  if (r.exitCode === 0 || cmd.mayFail) {
    for (const w of cmd.wait) {
      const res = await waitFor(ctx, w);
      waits.push(res);
      ctx.changed();
      if (!res.ok) break;
    }
  }
  // A program that is not there is the machine's failure, never an allowed exit status.
  const missing = missingProgram(r);
  const ok = !missing && (r.exitCode === 0 || cmd.mayFail) && waits.every((w) => w.ok);
  const result: CommandResult = {
    display, where, exitCode: r.exitCode, ok, stdout: r.stdout, stderr: r.stderr, durationMs: Date.now() - started, waits,
    ...(missing
      ? { error: cmd.where.kind === 'pod' || cmd.where.kind === 'kubectl' ? `${missing}: not found in ${where}` : `${missing} is not installed on this machine: 'sudo hoplab doctor' installs what the labs use` }
      : {}),
  };
  ctx.emit({ type: 'command-end', step: ctx.step, phase, result });
  return result;
}

/** One line: why a command did not succeed (could not run, a wait timed out, or its exit status). */
export function commandFailure(c: CommandResult): string {
  if (c.error) return c.error;
  const w = c.waits.find((x) => !x.ok);
  if (w) return `${c.display}: waiting for ${w.condition}: ${w.detail}`;
  const first = (c.stderr || c.stdout).trim().split('\n')[0] ?? '';
  return `${c.display} exited ${c.exitCode}${first ? `: ${first}` : ''}`;
}
