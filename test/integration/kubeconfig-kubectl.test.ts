// The kubeconfig provider with the oldest kubectl a fresh Debian gets and the
// newest these machines carry: it drives whichever is on the user's PATH. Up,
// a node command and down here; a whole lab with each runs in the per-mode
// files (test/helpers/kubeconfig-modes.ts: flannel-vxlan with 1.20, calico-bgp
// with 1.33), so that no lab runs only to change the kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { hoplab } from '../helpers/cli.js';
import { cluster as clusterFor, learnerState, skip } from '../helpers/kubeconfig-cluster.js';
import { KUBECTLS } from '../helpers/kubeconfig-modes.js';
import { testLabName } from '../helpers/root.js';

const { userEnv } = learnerState();
const cluster = (tag: string, cni?: string) => clusterFor(tag, userEnv, cni);

describe.skipIf(skip)('kubeconfig provider with the oldest and the newest kubectl', () => {
  const c = cluster('kcv');
  beforeAll(async () => {
    const r = await c.up();
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    expect((await c.down()).code).toBe(0);
  }, 60_000);

  for (const [version, binary] of Object.entries(KUBECTLS)) {
    it.skipIf(!existsSync(binary))(`kubectl ${version}: up, a node command, down${existsSync(binary) ? '' : ` (skipped: no ${binary})`}`, async () => {
      const learner = testLabName(`kv${version.replace('.', '')}`);
      const env = { ...userEnv, KUBECONFIG: c.kubeconfig, HOPLAB_KUBECTL: binary };
      const up = await hoplab(['up', '--provider', 'kubeconfig', '--name', learner], env, 120_000);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout).toMatch(/✓ node node-1\s+\(eth0 10\.0\.2\.15, eth1 192\.168\.56\.11/);
      const ssh = await hoplab(['--name', learner, 'ssh', 'node-1', '--', 'sh', '-c', 'ip route show default; exit 4'], env);
      expect(ssh.code).toBe(4);
      expect(ssh.stdout).toContain('default via 10.0.2.2 dev eth0');
      const down = await hoplab(['down', '--name', learner], env, 60_000);
      expect(down.stdout).toContain(`deleted namespace hoplab-tester-${learner}`);
    }, 300_000);
  }
});
