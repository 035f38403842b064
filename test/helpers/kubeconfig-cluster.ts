// An embedded lab (netns) standing in for a user's existing cluster, for the
// kubeconfig provider's tests: reached only through its kubeconfig and the
// real kubectl, as a user's kind or cloud cluster would be.
import { kubectlProgram } from '../../src/core/exec.js';
import { KUBE_VERSION } from '../../src/providers/netns/kube-version.js';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT, hoplab, type CliResult } from './cli.js';
import { NO_NETNS, testLabName } from './root.js';

export const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');
const stateRoot = process.env.HOPLAB_STATE_DIR ?? '/run/hoplab';

/** The learner's state directory for one test file (removed after it) and the env that points hoplab at it. */
export function learnerState(): { state: string; userEnv: Record<string, string> } {
  const state = mkdtempSync(join(tmpdir(), 'hoplab-kc-state-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  // Each kubeconfig lab's namespace is hoplab-<user>-<lab>: the user is fixed for the test.
  return { state, userEnv: { XDG_STATE_HOME: state, USER: 'tester' } };
}

export function kubectl(kubeconfig: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(kubectlProgram(KUBE_VERSION), args, { env: { ...process.env, KUBECONFIG: kubeconfig }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * A kubectl that notes its arguments (one line per call) and then runs the real one: what
 * hoplab asked kubectl, for tests of what it reads without it. HOPLAB_KUBECTL in `env` picks it.
 */
export function loggingKubectl(): { env: Record<string, string>; calls(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hoplab-kc-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'calls');
  const wrapper = join(dir, 'kubectl');
  writeFileSync(log, '');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${kubectlProgram(KUBE_VERSION)}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { env: { HOPLAB_KUBECTL: wrapper }, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** An embedded lab (netns) to stand in for the user's cluster, and helpers to act on it as its admin and as hoplab's user. */
export function cluster(tag: string, userEnv: Record<string, string>, cni?: string) {
  const lab = testLabName(tag);
  const kubeconfig = join(stateRoot, lab, 'kubeconfig');
  return {
    lab,
    kubeconfig,
    up: () => hoplab(['up', '--name', lab, ...(cni ? ['--cni', cni] : [])], userEnv, 90_000),
    down: () => hoplab(['down', '--name', lab, '--provider', 'netns'], userEnv, 60_000),
    admin: (...args: string[]) => kubectl(kubeconfig, args),
    /** hoplab with KUBECONFIG pointing at this cluster, as a user of it runs hoplab. */
    hoplab: (args: string[], timeout = 120_000) => hoplab(args, { ...userEnv, KUBECONFIG: kubeconfig }, timeout),
  };
}
