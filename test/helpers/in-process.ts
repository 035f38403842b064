// Runs the CLI's main() in this process with captured streams: fast tests of
// what a command prints and its exit code, without spawning the binary.
import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

export async function hoplabInProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: CommandIO = { stdout, stderr, stdin: new PassThrough(), isTTY: false };
  return { code: await main(argv, io), out, err };
}
