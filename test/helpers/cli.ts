// Runs the built hoplab binary as a user would, and waits for kubectl-visible states.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const HOPLAB = join(ROOT, 'bin', 'hoplab.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function hoplab(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', [HOPLAB, ...args], { env: { ...process.env, ...env }, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0;
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
