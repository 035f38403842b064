// The kubeconfig provider with the oldest kubectl a fresh Debian gets and the
// newest these machines carry: it drives whichever is on the user's PATH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, hoplab } from '../helpers/cli.js';
import { cluster as clusterFor, learnerState, skip } from '../helpers/kubeconfig-cluster.js';
import { testLabName } from '../helpers/root.js';

const { userEnv } = learnerState();
const cluster = (tag: string, cni?: string) => clusterFor(tag, userEnv, cni);

// The oldest kubectl a fresh Debian gets (1.20, unpacked by scripts/fetch-kubectl-1.20.sh)
// and the newest these machines carry: the provider drives whichever is on the user's PATH.
const KUBECTLS = [
  ['1.20', join(ROOT, '.cache', 'kubectl-1.20', 'usr', 'bin', 'kubectl')],
  ['1.33', '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'],
] as const;

describe.skipIf(skip)('kubeconfig provider with the oldest and the newest kubectl', () => {
  const c = cluster('kcv');
  beforeAll(async () => {
    const r = await c.up();
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    expect((await c.down()).code).toBe(0);
  }, 60_000);

  for (const [version, binary] of KUBECTLS) {
    it.skipIf(!existsSync(binary))(`kubectl ${version}: up, a node command, pod-to-pod, down${existsSync(binary) ? '' : ` (skipped: no ${binary})`}`, async () => {
      const learner = testLabName(`kv${version.replace('.', '')}`);
      const env = { ...userEnv, KUBECONFIG: c.kubeconfig, HOPLAB_KUBECTL: binary };
      const up = await hoplab(['up', '--provider', 'kubeconfig', '--name', learner], env, 120_000);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout).toMatch(/✓ node node-1\s+\(eth0 10\.0\.2\.15, eth1 192\.168\.56\.11/);
      const ssh = await hoplab(['--name', learner, 'ssh', 'node-1', '--', 'sh', '-c', 'ip route show default; exit 4'], env);
      expect(ssh.code).toBe(4);
      expect(ssh.stdout).toContain('default via 10.0.2.2 dev eth0');
      const run = await hoplab(['run', 'pod-to-pod', '--name', learner], env, 240_000);
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      const down = await hoplab(['down', '--name', learner], env, 60_000);
      expect(down.stdout).toContain(`deleted namespace hoplab-tester-${learner}`);
    }, 300_000);
  }
});
