// The kubeconfig provider with the oldest kubectl a fresh Debian gets and the
// newest these machines carry: it drives whichever is on the user's PATH. Up,
// a node command and down here; a whole lab with each runs in the per-mode
// files (test/helpers/kubeconfig-modes.ts: flannel-vxlan with 1.20, calico-bgp
// with 1.33), so that no lab runs only to change the kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { hoplab } from '../helpers/cli.js';
import { cluster as clusterFor, learnerState, loggingKubectl, skip } from '../helpers/kubeconfig-cluster.js';
import { KUBECTLS } from '../helpers/kubeconfig-modes.js';
import { testLabName } from '../helpers/root.js';

const { userEnv } = learnerState();

/** The cluster's kubeconfig with its token handed out by an exec plugin, as GKE's and EKS's are: hoplab cannot read with it itself. */
function execPluginKubeconfig(kubeconfig: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoplab-kc-exec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = yaml.load(readFileSync(kubeconfig, 'utf8')) as any;
  const user = config.users[0].user;
  const plugin = join(dir, 'credential');
  const credential = { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: user.token } };
  writeFileSync(plugin, `#!/bin/sh\necho '${JSON.stringify(credential)}'\n`);
  chmodSync(plugin, 0o755);
  config.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin } };
  const file = join(dir, 'config');
  writeFileSync(file, yaml.dump(config), { mode: 0o600 });
  return file;
}
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

  const log = loggingKubectl();
  it('a user whose token comes from an exec plugin (GKE, EKS): the facts are read through kubectl', async () => {
    const learner = testLabName('kvexec');
    const env = { ...userEnv, KUBECONFIG: execPluginKubeconfig(c.kubeconfig), ...log.env };
    try {
      const up = await hoplab(['up', '--provider', 'kubeconfig', '--name', learner], env, 120_000);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      const before = log.calls().length;
      const s = JSON.parse((await hoplab(['status', '--json', '--name', learner], env)).stdout);
      expect(s.facts.nodes.map((n: any) => n.name)).toEqual(['controlplane', 'node-1', 'node-2']);
      expect(log.calls().slice(before)).toContain(`get nodes,pods -n hoplab-tester-${learner} -o json`);
    } finally {
      await hoplab(['down', '--name', learner], env, 60_000);
    }
  }, 300_000);

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
