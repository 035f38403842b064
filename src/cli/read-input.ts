// Text a command grades: from --file, or pasted or piped on stdin.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import type { CommandIO } from './command.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of --file (or `-`/none: stdin, which must not be a terminal nobody pastes into). */
export async function readText(file: string | undefined, io: CommandIO, what = 'check-trace: paste the traceroute output on stdin (end with Ctrl-D), or pass --file FILE'): Promise<string> {
  if (file === undefined || file === '-') {
    if ((io.stdin as { isTTY?: boolean }).isTTY) throw new UsageError(what);
    return readAll(io.stdin);
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}
