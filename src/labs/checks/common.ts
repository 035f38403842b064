// Pieces every check kind's evaluate uses.
import type { LabCheck, LabCommand } from '../model.js';
import type { RunContext } from '../context.js';
import type { CheckVerdict, CommandResult } from '../results.js';
import { runCommand } from '../run-command.js';
import type { ClusterFacts } from '../../core/facts.js';
import { lastRunOf, shellRuns } from '../transcript.js';
import { resolveTemplates } from '../templates.js';
import type { CheckOptions } from './types.js';

/** A command as the learner would type it here (templates resolved where they can be). */
export function typed(cmd: LabCommand, facts: ClusterFacts): string {
  try {
    return resolveTemplates(cmd.display, facts);
  } catch {
    return cmd.display;
  }
}

/** Where a command runs, in words: "on node-1", "in pod httpd". */
export function whereWords(cmd: LabCommand): string {
  const w = cmd.where;
  return w.kind === 'kubectl' ? 'with kubectl' : w.kind === 'pod' ? `in pod ${w.name}` : `on ${w.name}`;
}

/** Does this check grade the learner's own shell (a transcript is given, the command is not kubectl)? */
export function fromShell(cmd: LabCommand, opts: CheckOptions): opts is CheckOptions & { transcript: string } {
  return opts.transcript !== undefined && cmd.where.kind !== 'kubectl';
}

/** Where a name the transcript gives runs, in words: "in pod traceroute (on node-1)", "on node-2". */
export function placeWords(name: string, facts: ClusterFacts): string {
  const pod = facts.pods.find((p) => p.name === name && p.namespace === 'default') ?? facts.pods.find((p) => p.name === name);
  return pod ? `in pod ${name}${pod.node ? ` (on ${pod.node})` : ''}` : `on ${name}`;
}

/** What the learner's own run of `cmd` printed, or why there is none: for output checks in learner mode. */
export function learnerOutput(cmd: LabCommand, transcript: string, facts: ClusterFacts): { output: string; display: string } | { missing: string } {
  const display = typed(cmd, facts);
  const { run, elsewhere } = lastRunOf(shellRuns(transcript), display, cmd.where.kind === 'kubectl' ? undefined : cmd.where.name);
  if (!run && elsewhere?.ranOn) {
    return { missing: `your \`${display}\` ran ${placeWords(elsewhere.ranOn, facts)}, but this check reads it ${whereWords(cmd)}: run it there (s in hoplab's lab screen, or hoplab ssh)` };
  }
  if (!run) return { missing: `no \`${display}\` in your shell yet: run it ${whereWords(cmd)} (s in hoplab's lab screen, or hoplab ssh)` };
  return { output: run.output, display };
}

export async function observe(cmd: LabCommand, ctx: RunContext, opts: CheckOptions): Promise<CommandResult> {
  return opts.previous?.get(cmd) ?? (await runCommand(cmd, ctx, 'check'));
}

const clip = (line: string, max = 90) => JSON.stringify(line.length > max ? `${line.slice(0, max - 1)}…` : line);

/**
 * What a command showed, in words, beside a failed check's title (which says
 * what was expected): the pod it needed when that is not there, its error
 * when it failed, else the lines the check was about (`about`, the literal
 * text they start with) or its first lines.
 */
export function seen(display: string, out: string, command: CommandResult | undefined, facts: ClusterFacts, about?: string): string {
  if (command && command.exitCode !== 0) {
    const pod = command.where.startsWith('pod/') ? command.where.slice(4) : undefined;
    if (pod && !facts.pods.some((p) => p.name === pod)) return `there is no pod ${pod} to run ${display} in (kubectl get pods lists the pods)`;
    const first = (command.stderr.trim() || command.stdout.trim()).split('\n')[0]?.trim() ?? '';
    return `${display} failed (exit ${command.exitCode})${first ? `: ${clip(first)}` : ''}`;
  }
  return printed(display, out, about);
}

/** `ip route printed "default via …" / "…" … (4 lines)`: a command's lines with `about` in them, else its first lines, quoted. */
export function printed(display: string, out: string, about?: string): string {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!lines.length) return `${display} printed nothing`;
  const quoted = (ls: string[]) => ls.slice(0, ls.length > 3 ? 2 : 3).map((l) => clip(l)).join(' / ') + (ls.length > 3 ? ` … (${ls.length} lines)` : '');
  if (about) {
    const hits = lines.filter((l) => l.includes(about));
    return hits.length ? `${display} printed ${quoted(hits)}` : `${display} printed no line with ${JSON.stringify(about)}; it printed ${quoted(lines)}`;
  }
  return `${display} printed ${quoted(lines)}`;
}

/** The literal text a pattern starts with (`^endpoints/web\s+…` → `endpoints/web`): what the lines it looks for have in them. */
export function literalLead(pattern: string): string | undefined {
  const m = /^\^?((?:\\[-.\/*+?()[\]{}|$^ :"=]|[^\\.*+?()[\]{}|$^])+)/.exec(pattern);
  const lead = m?.[1]?.replace(/\\(.)/g, '$1').trim();
  return lead && lead.length >= 3 ? lead : undefined;
}

export function base(check: LabCheck): Pick<CheckVerdict, 'id' | 'kind' | 'title'> {
  return { id: check.id, kind: check.kind, title: check.title };
}

export function hopWord(n: number): string {
  return `${n} hop${n === 1 ? '' : 's'}`;
}

export const noDetail = (): string[] => [];
