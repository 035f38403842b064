// succeeds / fails: a command's exit status.
import { z } from 'zod';
import { checkBase, commandSchema, strict } from '../schema-parts.js';
import { base, noDetail, observe } from './common.js';
import type { CheckKind, CheckOf } from './types.js';

function commandKind<K extends 'succeeds' | 'fails'>(kind: K) {
  const schema = strict({ kind: z.literal(kind), ...checkBase, run: commandSchema }, `a ${kind} check with run: COMMAND`);
  const module: CheckKind<CheckOf<K>, typeof schema> = {
    schema,
    load(c, b, l) {
      const command = l.command(c.run, ['run']);
      return { kind, ...b, command, title: c.title ?? `${command.display} ${kind}` } as unknown as CheckOf<K>;
    },
    validate(c, path, v) {
      v.command(c.run, [...path, 'run']);
    },
    commands: (c) => [(c as CheckOf<'succeeds' | 'fails'>).command],
    async evaluate(c, { ctx, opts }) {
      const check = c as CheckOf<'succeeds' | 'fails'>;
      const command = await observe(check.command, ctx, opts);
      if (command.error) return { ...base(check), passed: false, summary: command.error, error: command.error, command };
      // 126/127: the shell could not find or run the program, which is not the failure a lab asks for.
      if (kind === 'fails' && (command.exitCode === 126 || command.exitCode === 127)) {
        return { ...base(check), passed: false, summary: `${command.display} could not run (exit ${command.exitCode}): ${command.stderr.trim().split('\n')[0] ?? ''}`, command };
      }
      const passed = kind === 'succeeds' ? command.exitCode === 0 : command.exitCode !== 0;
      const firstErr = (command.stderr || command.stdout).trim().split('\n')[0] ?? '';
      const summary = passed
        ? `${command.display} ${kind === 'succeeds' ? 'succeeded' : `failed as expected (exit ${command.exitCode})`}`
        : kind === 'succeeds'
          ? `${command.display} exited ${command.exitCode}${firstErr ? `: ${firstErr}` : ''}`
          : `${command.display} succeeded, but it should fail`;
      return { ...base(check), passed, summary, command };
    },
    render: noDetail,
  };
  return module;
}

export const succeedsKind = commandKind('succeeds');
export const failsKind = commandKind('fails');
