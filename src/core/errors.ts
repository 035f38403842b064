// Two kinds of failure reach the user: things they can fix (bad flags, a
// malformed lab, a machine missing a package) and things that are our bug.
// Exit codes are part of the CLI contract: 0 ok, 1 a check failed, 2 bad
// input, 3 the machine or provider failed, 70 an internal error.

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, machine: 3, internal: 70, interrupted: 130 } as const;

/** Bad input: flags, arguments, lab files. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The machine or the provider cannot do what was asked (missing package, no root, kernel lacks a device). Exit 3. */
export class MachineError extends Error {
  readonly exitCode = EXIT.machine;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'MachineError';
  }
}

/** The user stopped it (Ctrl-C, SIGTERM): exit 130, what a shell reports for a SIGINT. */
export class InterruptedError extends Error {
  readonly exitCode = EXIT.interrupted;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** The last few lines of a program's stderr: what it said about why, without pages of noise. */
export function stderrTail(text: string, lines = 4, chars = 400): string {
  const tail = text.trim().split('\n').slice(-lines).join('\n');
  return tail.length > chars ? `…${tail.slice(-chars)}` : tail;
}

/**
 * Another program (ip, iptables, a CNI plugin, vagrant) failed. That is the
 * machine's failure, not a bug in hoplab: exit 3, naming the command.
 */
export class CommandError extends MachineError {
  readonly stderrTail: string;
  constructor(
    readonly argv: readonly string[],
    readonly commandExitCode: number,
    stderr: string,
    what?: string,
    hint?: string,
  ) {
    const tail = stderrTail(stderr);
    super(`${what ?? `\`${argv.join(' ')}\``} failed (exit ${commandExitCode})${tail ? `: ${tail}` : ''}`, hint);
    this.name = 'CommandError';
    this.stderrTail = tail;
  }
}

export type UserFacingError = UsageError | MachineError | InterruptedError;

export function isUserFacing(err: unknown): err is UserFacingError {
  return err instanceof UsageError || err instanceof MachineError || err instanceof InterruptedError;
}

export interface DescribedError {
  message: string;
  hint?: string;
  exitCode: number;
  /** Not the user's input nor the machine: a bug in hoplab. */
  internal: boolean;
}

/** What to tell the user about an error, the same on the command line and in the TUI. */
export function describeError(err: unknown): DescribedError {
  if (isUserFacing(err)) return { message: err.message, ...(err.hint ? { hint: err.hint } : {}), exitCode: err.exitCode, internal: false };
  return { message: `internal error: ${errorMessage(err)}`, exitCode: EXIT.internal, internal: true };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A user-facing error on one line: the message, then what to do. */
export function errorLine(e: { message: string; hint?: string }): string {
  return `${e.message}${e.hint ? ` — ${e.hint}` : ''}`;
}
