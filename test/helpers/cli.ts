// Runs the built hoplab binary as a user would, and waits for kubectl-visible states.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';

export const ROOT = join(import.meta.dirname, '..', '..');
export const HOPLAB = join(ROOT, 'bin', 'hoplab.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `wrap` runs hoplab under another program, e.g. setpriv to run it as another user. */
export function hoplab(args: string[], env: Record<string, string> = {}, timeout = 60_000, wrap: string[] = []): Promise<CliResult> {
  const [file, ...pre] = [...wrap, process.execPath];
  return new Promise((resolve) => {
    execFile(file!, [...pre, HOPLAB, ...args], { env: { ...process.env, ...env }, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      // Killed by a signal (a timeout): 128 + its number, as a shell reports it, not a 1 that reads like a failed check.
      const e = err as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
      const code = !e ? 0 : typeof e.code === 'number' ? e.code : e.signal ? 128 + (osConstants.signals[e.signal] ?? 0) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
