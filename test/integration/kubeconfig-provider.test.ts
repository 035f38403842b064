// The kubeconfig provider against a cluster it did not build: the embedded
// lab's API, reached only through its kubeconfig and the real kubectl, as a
// user's kind or cloud cluster would be. Built binary, real kernel.
// (The other CNI modes and kubectl versions: kubeconfig-modes, kubeconfig-kubectl.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { hoplab } from '../helpers/cli.js';
import { cluster as clusterFor, learnerState, loggingKubectl, skip } from '../helpers/kubeconfig-cluster.js';
import { testLabName } from '../helpers/root.js';

const { state, userEnv } = learnerState();
const cluster = (tag: string, cni?: string) => clusterFor(tag, userEnv, cni);

/** The cluster's machines (nodes, NAT routers, switches), not its pods' namespaces. */
const nodeNamespaces = async (lab: string) => (await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`) && !n.startsWith(`hoplab-${lab}-pod-`));

describe.skipIf(skip)('kubeconfig provider on an existing cluster (the embedded lab, flannel host-gw)', () => {
  const c = cluster('kcc');
  const learner = testLabName('kca');
  const second = testLabName('kcb');
  const guarded = testLabName('kcs');
  const ns = `hoplab-tester-${learner}`;
  const ns2 = `hoplab-tester-${second}`;
  const keep = `keep-${c.lab}`;
  const psa = `psa-${c.lab}`;
  const log = loggingKubectl();
  let netnsBefore: string[] = [];

  beforeAll(async () => {
    const r = await c.up();
    expect(r.code, r.stderr).toBe(0);
    netnsBefore = await nodeNamespaces(c.lab);
    // What the cluster's other users have: hoplab must leave it alone.
    expect((await c.admin('create', 'namespace', keep)).code).toBe(0);
    expect((await c.admin('run', 'keeper', '-n', 'default', '--image=busybox', '--', 'sleep', '600')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const l of [learner, second, guarded]) await c.hoplab(['down', '--name', l, '--provider', 'kubeconfig'], 60_000);
    const r = await c.down();
    expect(r.code).toBe(0);
  }, 180_000);

  it('the embedded API answers access reviews, as `kubectl auth can-i` asks them', async () => {
    const r = await c.admin('auth', 'can-i', 'create', 'pods', '--subresource=exec', '-n', 'anywhere');
    expect(r.stdout.trim()).toBe('yes');
  });

  it('up discovers the cluster, maps the roles, creates its labelled namespace', async () => {
    const r = await c.hoplab(['up', '--provider', 'kubeconfig', '--name', learner]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`✓ kubeconfig\\s+\\(context hoplab-${c.lab}, https://127\\.0\\.0\\.1:\\d+\\)`));
    expect(r.stdout).toMatch(/✓ cni\s+\(flannel-host-gw \(hoplab predicts its paths\)\)/);
    expect(r.stdout).toMatch(/cni evidence: node node-1: backend-type host-gw/);
    expect(r.stdout).toMatch(/✓ roles\s+\(controlplane, node-1, node-2\)/);
    expect(r.stdout).toMatch(new RegExp(`✓ namespace\\s+\\(created namespace ${ns}\\)`));
    expect(r.stdout).toMatch(/✓ node node-2\s+\(eth0 10\.0\.2\.15, eth1 192\.168\.56\.12/);
    expect(r.stdout).toMatch(/cluster DNS 10\.96\.0\.10 \(kube-system\/kube-dns\)/);
    expect(r.stdout).toMatch(new RegExp(`is up in [\\d.]+s: kubeconfig, flannel-host-gw, 3 nodes with lab roles, namespace ${ns}`));
    const got = JSON.parse((await c.admin('get', 'namespace', ns, '-o', 'json')).stdout);
    expect(got.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'hoplab', 'hoplab.dev/lab': learner });
  });

  it('status --json reports the cluster under the lab role names, and an owner-only kubeconfig', async () => {
    const r = await c.hoplab(['status', '--json', '--name', learner]);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ lab: learner, provider: 'kubeconfig', state: 'up', cni: 'flannel-host-gw' });
    expect(s.facts.nodes.map((n: any) => n.name)).toEqual(['controlplane', 'node-1', 'node-2']);
    const n1 = s.facts.nodes.find((n: any) => n.name === 'node-1');
    expect(n1).toMatchObject({ internalIP: '192.168.56.11', podCIDR: '10.244.1.0/24', defaultRoute: { via: '10.0.2.2', dev: 'eth0' } });
    expect(n1.interfaces).toContainEqual({ name: 'eth1', address: '192.168.56.11', prefixLength: 24 });
    expect(s.facts.serviceCIDR).toBe('10.96.0.0/12');
    expect(s.kubeconfig.startsWith(state)).toBe(true);
    expect(statSync(s.kubeconfig).mode & 0o777).toBe(0o600);
  });

  it('runs node commands through a host-network debug pod: the node namespace, exit codes and streams as on the node', async () => {
    const host = await c.hoplab(['--name', learner, 'ssh', 'node-1', '--', 'hostname']);
    expect(host.stdout.trim()).toBe('node-1');
    const addr = await c.hoplab(['--name', learner, 'ssh', 'node-2', '--', 'ip', '-4', '-o', 'addr', 'show', 'dev', 'eth1']);
    expect(addr.stdout).toMatch(/inet 192\.168\.56\.12\/24/);
    const fail = await c.hoplab(['--name', learner, 'ssh', 'node-1', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(fail.code).toBe(3);
    expect(fail.stdout.trim()).toBe('out');
    expect(fail.stderr).toContain('err');
    const pods = JSON.parse((await c.admin('get', 'pods', '-n', ns, '-l', 'hoplab.dev/node-shell', '-o', 'json')).stdout).items;
    expect(pods.length).toBeGreaterThanOrEqual(2);
    for (const p of pods) {
      expect(p.spec).toMatchObject({ hostNetwork: true, hostPID: true });
      expect(p.spec.containers[0].securityContext).toEqual({ privileged: true });
      expect(p.status.podIP).toBe({ controlplane: '192.168.56.10', 'node-1': '192.168.56.11', 'node-2': '192.168.56.12' }[p.spec.nodeName as string]);
    }
  });

  it("hoplab kubectl lands in the lab's namespace, never in default", async () => {
    const r = await c.hoplab(['--name', learner, 'kubectl', 'run', 'probe', '--image=busybox', '--', 'sleep', '60']);
    expect(r.stdout.trim()).toBe('pod/probe created');
    expect((await c.admin('get', 'pod', 'probe', '-n', ns)).code).toBe(0);
    expect((await c.admin('get', 'pod', 'probe', '-n', 'default')).code).not.toBe(0);
  });

  it("runs pod-to-service end to end: kube-proxy's rules and DNS names carry the lab's namespace, the NodePort is asked from a node", async () => {
    // The cluster's own default namespace has a web Service too: the lab must look at its own.
    expect((await c.admin('create', 'deployment', 'web', '-n', 'default', '--image=nginxdemos/hello:plain-text')).code).toBe(0);
    expect((await c.admin('expose', 'deployment', 'web', '-n', 'default', '--port', '80')).code).toBe(0);
    const r = await hoplab(['run', 'pod-to-service', '--name', learner], { ...userEnv, KUBECONFIG: c.kubeconfig, ...log.env }, 240_000);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0);
    // The lab's kubeconfig holds a token and its CA: facts, waits and finding the node debug pods read the API over HTTPS, not through kubectl.
    const calls = log.calls();
    expect(calls.length).toBeGreaterThan(0); // writes, exec and logs are still kubectl's
    const reads = (a: string) => /^get (nodes,pods|pods,services|services,endpoints) /.test(a) || /^get pods? (\S+ )?-n \S+ (-l hoplab\.dev\/node-shell )?-o json$/.test(a);
    expect(calls.filter(reads)).toEqual([]);
    expect(r.stdout).toMatch(/pod-to-service: PASSED: 9 of 9 steps, (\d+) of \1 checks passed \(kubeconfig, flannel-host-gw/);
    expect(r.stdout).toContain(`nslookup web.${ns}.svc.cluster.local`);
    expect(r.stdout).toContain(`search ${ns}.svc.cluster.local svc.cluster.local cluster.local`);
    expect(r.stdout).toMatch(new RegExp(`-A KUBE-SEP-\\S+ -p tcp -m comment --comment "${ns}/web" .*DNAT`));
    expect(r.stdout).not.toContain('"default/web');
    expect((await c.admin('get', 'svc', 'web-nodeport', '-n', ns)).code).toBe(0);
    expect((await c.admin('get', 'svc', 'web-nodeport', '-n', 'default')).code).not.toBe(0);
  }, 240_000);

  // The first learner's run is this file's pod-to-pod end to end; the second's, beside it, swaps the workers.
  it('runs pod-to-pod end to end, and a second learner, workers swapped with --nodes, runs it at the same time in a namespace of their own', async () => {
    const up = await c.hoplab(['up', '--provider', 'kubeconfig', '--name', second, '--nodes', 'controlplane,node-2,node-1']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/✓ roles\s+\(controlplane, node-1=node-2, node-2=node-1\)/);
    const [a, b] = await Promise.all([
      c.hoplab(['run', 'pod-to-pod', '--name', learner], 240_000),
      c.hoplab(['run', 'pod-to-pod', '--name', second], 240_000),
    ]);
    expect(a.code, a.stdout.slice(-3000) + a.stderr).toBe(0);
    expect(a.stdout).toMatch(/pod-to-pod: PASSED: 4 of 4 steps, \d+ of \d+ checks passed \(kubeconfig, flannel-host-gw/);
    expect(a.stdout).toContain('10.244.2.1 → 192.168.56.11 → 10.244.1.');
    expect(b.code, b.stdout.slice(-3000)).toBe(0);
    // The lab's node-1 is the cluster's node-2 here: httpd runs there, and the trace from the lab's node-2 crosses to it.
    expect(b.stdout).toMatch(/10\.244\.1\.1 → 192\.168\.56\.12 → 10\.244\.2\.\d+/);
    const httpd = JSON.parse((await c.admin('get', 'pod', 'httpd', '-n', ns2, '-o', 'json')).stdout);
    expect(httpd.spec.nodeName).toBe('node-2');
  }, 300_000);

  it('refuses node commands where Pod Security forbids the debug pod, says which lab steps still run, and leaves a namespace it did not make', async () => {
    expect((await c.admin('create', 'namespace', psa)).code).toBe(0);
    expect((await c.admin('label', 'namespace', psa, 'pod-security.kubernetes.io/enforce=baseline')).code).toBe(0);
    const up = await c.hoplab(['up', '--provider', 'kubeconfig', '--name', guarded, '--namespace', psa]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain(`namespace ${psa} exists and was not made by hoplab`);
    expect(up.stdout).toMatch(/✗ node access\s+\(Pod Security admission \(level baseline:latest\) refuses privileged host-network pods/);
    expect(up.stdout).toContain('steps that only use kubectl and commands in pods still run');
    expect(up.stdout).toMatch(/lab pod-to-pod: no step runs without node commands/);
    const ssh = await c.hoplab(['--name', guarded, 'ssh', 'node-1', '--', 'true']);
    expect(ssh.code).toBe(3);
    expect(ssh.stderr).toMatch(/commands on nodes cannot run on this cluster: Pod Security admission/);
    expect((await c.admin('get', 'pods', '-n', psa, '-l', 'hoplab.dev/node-shell', '-o', 'name')).stdout.trim()).toBe('');
    const down = await c.hoplab(['down', '--name', guarded]);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`namespace ${psa} was not made by hoplab: left in place`);
    expect((await c.admin('get', 'namespace', psa)).code).toBe(0);
  });

  it("down removes exactly its own namespace: other namespaces, other users' pods and the nodes stay", async () => {
    for (const [l, n] of [
      [learner, ns],
      [second, ns2],
    ] as const) {
      const r = await c.hoplab(['down', '--name', l]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`deleted namespace ${n}`);
      expect((await c.admin('get', 'namespace', n)).code).not.toBe(0);
    }
    const left = (await c.admin('get', 'namespaces', '-o', 'name')).stdout.split('\n').filter(Boolean).sort();
    expect(left).toEqual(['namespace/default', `namespace/${keep}`, 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system', `namespace/${psa}`].sort());
    expect((await c.admin('get', 'pod', 'keeper', '-n', 'default')).code).toBe(0);
    expect((await c.admin('get', 'pods', '--all-namespaces', '-l', 'hoplab.dev/node-shell', '-o', 'name')).stdout.trim()).toBe('');
    expect(await nodeNamespaces(c.lab)).toEqual(netnsBefore);
    const st = await c.hoplab(['status', '--name', learner, '--provider', 'kubeconfig']);
    expect(st.stdout).toMatch(/state:\s+down/);
  });
});

describe.skipIf(skip)('kubeconfig provider on a cluster with one worker', () => {
  const c = cluster('kcw');
  const learner = testLabName('kcw1');
  beforeAll(async () => {
    const r = await hoplab(['up', '--name', c.lab, '--workers', '1'], userEnv, 90_000);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await c.hoplab(['down', '--name', learner, '--provider', 'kubeconfig'], 60_000);
    expect((await c.down()).code).toBe(0);
  }, 120_000);

  it('says at up that two-worker labs cannot run, and pod-to-pod refuses before its first step', async () => {
    const up = await c.hoplab(['up', '--provider', 'kubeconfig', '--name', learner]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/✓ roles\s+\(controlplane, node-1\)/);
    expect(up.stdout).toContain('the cluster gives the labs one worker: labs that need two workers (pod-to-pod) say so and do not run');
    const run = await c.hoplab(['run', 'pod-to-pod', '--name', learner]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("lab 'pod-to-pod' needs 2 worker nodes; the cluster has 1");
    expect(run.stdout).not.toMatch(/\$ kubectl run/);
  });
});

