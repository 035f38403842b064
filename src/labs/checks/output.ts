// output: what a command prints matches a pattern or contains a text.
import { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import { checkBase, commandSchema, strict, text } from '../schema-parts.js';
import { escapeRegExp, resolveTemplates } from '../templates.js';
import { base, fromShell, learnerOutput, literalLead, noDetail, observe, seen } from './common.js';
import type { CheckKind, CheckOf } from './types.js';

const schema = strict(
  {
    kind: z.literal('output'),
    ...checkBase,
    run: commandSchema,
    matches: text('a regular expression').optional(),
    contains: text('the text the output must contain').optional(),
  },
  'an output check with run and matches or contains',
).superRefine((c, ctx) => {
  if (c.matches === undefined && c.contains === undefined) ctx.addIssue({ code: 'custom', message: 'an output check needs matches: REGEX or contains: TEXT' });
});

export const outputKind: CheckKind<CheckOf<'output'>, typeof schema> = {
  schema,
  load(c, b, l) {
    const command = l.command(c.run, ['run']);
    // An untitled check says what it looks for in words; a failure quotes this title, never a regex.
    const what = c.matches !== undefined ? 'shows what the lab expects' : `contains ${JSON.stringify(c.contains)}`;
    return {
      kind: 'output', ...b, command,
      title: c.title ?? `output of ${command.display} ${what}`,
      ...(c.matches !== undefined ? { matches: c.matches } : {}),
      ...(c.contains !== undefined ? { contains: c.contains } : {}),
    };
  },
  validate(c, path, v) {
    v.command(c.run, [...path, 'run']);
    v.regex(c.matches, [...path, 'matches']);
  },
  commands: (c) => [c.command],
  async evaluate(check, { ctx, opts }) {
    const facts = await ctx.facts();
    let out: string;
    let display: string;
    let command;
    if (fromShell(check.command, opts)) {
      // The learner's own run of the command, from their shell.
      const mine = learnerOutput(check.command, opts.transcript, facts);
      if ('missing' in mine) return { ...base(check), passed: false, summary: mine.missing };
      out = mine.output;
      display = `your ${mine.display}`;
    } else {
      command = await observe(check.command, ctx, opts);
      if (command.error) return { ...base(check), passed: false, summary: command.error, error: command.error, command };
      out = command.stdout + command.stderr;
      display = command.display;
    }
    let found: boolean;
    let about: string | undefined;
    try {
      const pattern = check.matches === undefined ? undefined : resolveTemplates(check.matches, facts, escapeRegExp);
      about = pattern === undefined ? undefined : literalLead(pattern);
      found = (pattern === undefined || new RegExp(pattern, 'm').test(out)) && (check.contains === undefined || out.includes(resolveTemplates(check.contains, facts)));
    } catch (err) {
      return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}`, ...(command ? { command } : {}) };
    }
    // Beside the title (what was expected, in words): what the command showed, never the pattern.
    const summary = found ? `output of ${display} as expected` : seen(display, out, command, facts, about);
    return { ...base(check), passed: found, summary, ...(command ? { command } : {}) };
  },
  render: noDetail,
};
