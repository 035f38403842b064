// Helpers the benchmarks share: timing, running the binary and the plain
// script, the lab's API record.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labPaths, type ApiRecord } from '../src/providers/netns/state.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const hoplab = join(root, 'bin', 'hoplab.js');
export const plain = join(root, 'bench', 'plain-topology.sh');

export const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

export function timed(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return since(t);
}

export function sh(file: string, args: string[], env?: Record<string, string>): string {
  const r = spawnSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr}`);
  return String(r.stdout);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export const apiRecord = (lab: string) => JSON.parse(readFileSync(labPaths(lab).apiFile, 'utf8')) as ApiRecord;
