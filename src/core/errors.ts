// Two kinds of failure reach the user: things they can fix (bad flags, a
// malformed lab, a machine missing a package) and things that are our bug.
// Exit codes are part of the CLI contract: 0 ok, 1 a check failed, 2 bad
// input, 3 the machine or provider failed, 70 an internal error.

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, machine: 3, internal: 70 } as const;

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

export type UserFacingError = UsageError | MachineError;

export function isUserFacing(err: unknown): err is UserFacingError {
  return err instanceof UsageError || err instanceof MachineError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A user-facing error on one line: the message, then what to do. */
export function errorLine(e: { message: string; hint?: string }): string {
  return `${e.message}${e.hint ? ` — ${e.hint}` : ''}`;
}
