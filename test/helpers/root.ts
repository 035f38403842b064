// Integration tests build real network namespaces: they need root and the
// tools `hoplab doctor` lists. Without them they are skipped, and say why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
