// What a subcommand module exports. Commands return their exit code; they throw
// UsageError/MachineError for the user to fix, anything else is our bug.
import type { Writable } from 'node:stream';

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
  isTTY: boolean;
}

export interface Command {
  name: string;
  usage: string; // shown by --help, one or more lines after `hoplab `
  run(argv: string[], io: CommandIO): Promise<number>;
}
