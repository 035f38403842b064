// Answer checks: what the learner said against what the cluster says, compared
// leniently (case, spaces, quotes, an interface's @ifN suffix, a /prefix the
// expected value lacks), and the answers the solution gives for headless runs.
import ipaddr from 'ipaddr.js';
import { errorMessage } from '../core/errors.js';
import type { RunContext } from './context.js';
import type { AnswerSource, LabStep } from './model.js';
import { runCommand } from './run-command.js';
import { resolveTemplates } from './templates.js';
import { printed } from './checks/common.js';

export function normaliseAnswer(text: string): string {
  // Quotes and a full stop around an answer are punctuation, not part of it.
  let t = text.trim().replace(/^["'`\s]+|["'`.\s]+$/g, '').replace(/\s+/g, ' ').toLowerCase();
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) t = ipaddr.IPv4.parse(t).toString();
  return t;
}

export function answersMatch(given: string, expected: string): boolean {
  const g = normaliseAnswer(given);
  const e = normaliseAnswer(expected);
  if (g === e) return true;
  // `ip link` prints veth peers as vethabc@if2; an address may come with its prefix.
  const bare = g.replace(/@\S*$/, '').replace(/\/\d{1,2}$/, '');
  return bare === e;
}

/** The answer a solution gives: a value (templates resolved) or what a command prints. */
export async function solutionAnswer(src: AnswerSource, ctx: RunContext): Promise<string> {
  if (src.kind === 'value') return resolveTemplates(src.text, await ctx.facts());
  const r = await runCommand(src.command, ctx, 'answer');
  if (r.error) throw new Error(r.error);
  if (r.exitCode !== 0) throw new Error(`${r.display} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  if (src.match === undefined) return r.stdout.trim();
  const m = new RegExp(src.match, 'm').exec(r.stdout);
  if (!m) throw new Error(`the answer could not be read: ${printed(r.display, r.stdout)}`);
  return (m[1] ?? m[0]).trim();
}

/** Every answer of the step's solution; an answer that cannot be computed is reported, not thrown. */
export async function solutionAnswers(step: LabStep, ctx: RunContext): Promise<{ answers: Record<string, string>; errors: Record<string, string> }> {
  const answers: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [id, src] of Object.entries(step.solution?.answers ?? {})) {
    try {
      answers[id] = await solutionAnswer(src, ctx);
    } catch (err) {
      errors[id] = `the solution's answer could not be computed: ${errorMessage(err)}`;
    }
  }
  return { answers, errors };
}
