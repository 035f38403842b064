// Integration tests build real network namespaces: they need root and the
// tools `hoplab doctor` lists. Without them they are skipped, and say why.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function whyNoNetns(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to build network namespaces';
  for (const c of ['ip', 'busybox', 'iptables-restore', 'nsenter']) if (!has(c)) return `needs ${c} (run scripts/setup.sh)`;
  if (!existsSync('/usr/lib/cni/bridge')) return 'needs containernetworking-plugins (run scripts/setup.sh)';
  return undefined;
}

export const NO_NETNS = whyNoNetns();
if (NO_NETNS) console.warn(`skipping namespace integration tests: ${NO_NETNS}`);

/** A lab name unique to this test run, short enough for the 12-character limit. */
export function testLabName(tag: string): string {
  return `t${tag}${process.pid.toString(36)}`.slice(0, 12);
}

/**
 * Points HOPLAB_STATE_DIR at a fresh temporary directory for this test file
 * and removes it afterwards. Call it at the top of the file, before anything
 * computes a lab's paths, or they land in /run/hoplab and stay there.
 */
export function useTempStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoplab-state-'));
  process.env.HOPLAB_STATE_DIR = dir;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
