// The two secrets of a room, kept in its data directory (mode 0600): the join
// code attendees type, and the instructor's token the dashboard, status and
// export need. Both survive a restart of the server; `--code` replaces the code.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeFileAtomicSync } from './journal.js';

export interface Secrets {
  code: string;
  instructorToken: string;
}

// No 0/O, 1/I/L: a code read off a projector is typed right the first time.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_RE = /^[A-Za-z0-9-]{4,64}$/;

export function randomCode(length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export const instructorTokenPath = (dataDir: string) => join(dataDir, 'instructor.token');

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function loadSecrets(dataDir: string, code?: string): Promise<Secrets> {
  if (code !== undefined && !CODE_RE.test(code)) throw new UsageError(`--code '${code}': expected 4-64 letters, digits or -`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const codePath = join(dataDir, 'code');
  const saved = await readTrimmed(codePath);
  const theCode = code ?? (saved && CODE_RE.test(saved) ? saved : randomCode());
  if (theCode !== saved) writeFileAtomicSync(codePath, theCode + '\n');
  let token = await readTrimmed(instructorTokenPath(dataDir));
  if (!token || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
    token = randomBytes(24).toString('base64url');
    writeFileAtomicSync(instructorTokenPath(dataDir), token + '\n');
  }
  return { code: theCode, instructorToken: token };
}

/** The instructor's token from a data directory, for the dashboard, status and export on the same machine. */
export async function readInstructorToken(dataDir: string): Promise<string | undefined> {
  return readTrimmed(instructorTokenPath(dataDir));
}
