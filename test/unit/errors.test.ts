import { describe, expect, it } from 'vitest';
import { CommandError, EXIT, MachineError, UsageError, describeError } from '../../src/core/errors.js';
import { runOk } from '../../src/core/exec.js';

describe('failures of other programs', () => {
  it('runOk throws a CommandError naming the command, its exit code and the tail of stderr: exit 3', async () => {
    const err = await runOk(['sh', '-c', 'for i in 1 2 3 4 5 6; do echo line$i >&2; done; exit 4']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    const c = err as CommandError;
    expect(c.argv).toEqual(['sh', '-c', 'for i in 1 2 3 4 5 6; do echo line$i >&2; done; exit 4']);
    expect(c.commandExitCode).toBe(4);
    expect(c.stderrTail).toBe('line3\nline4\nline5\nline6');
    expect(c.message).toBe('`sh -c for i in 1 2 3 4 5 6; do echo line$i >&2; done; exit 4` failed (exit 4): line3\nline4\nline5\nline6');
    expect(describeError(c)).toEqual({ message: c.message, exitCode: EXIT.machine, internal: false });
  });

  it('describeError keeps bad input at 2 with its hint and calls anything else a bug (70)', () => {
    expect(describeError(new UsageError('bad --cni', 'one of …'))).toEqual({ message: 'bad --cni', hint: 'one of …', exitCode: 2, internal: false });
    expect(describeError(new MachineError('no root'))).toMatchObject({ exitCode: 3, internal: false });
    expect(describeError(new TypeError('x is undefined'))).toEqual({ message: 'internal error: x is undefined', exitCode: 70, internal: true });
  });
});
