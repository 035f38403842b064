// The seed's lab, headless, on the embedded cluster: every step's solution,
// every check graded against the real kernel's traceroutes. Then a broken
// route (node-2 sends node-1's pod CIDR out of eth0) must fail at the hop the
// checker names, with node-2's own `ip route get` beside the diagnosis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { ROOT, hoplab } from '../helpers/cli.js';
import { inLab, labKubectl } from '../helpers/lab-direct.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const lab = testLabName('lab');
const env = { HOPLAB_LAB: lab };
const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

describe.skipIf(skip)('hoplab run pod-to-pod (netns, flannel-host-gw)', () => {
  beforeAll(async () => {
    expect((await hoplab(['up'], env)).code).toBe(0);
  });
  afterAll(async () => {
    await hoplab(['down'], env);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('passes every step and check', async () => {
    const r = await hoplab(['run', 'pod-to-pod', '--json'], env, 180_000);
    const result = JSON.parse(r.stdout);
    const failed = result.steps.flatMap((s: any) => s.checks.filter((c: any) => !c.passed).map((c: any) => `${s.id}/${c.id}: ${c.summary}`));
    expect(failed).toEqual([]);
    expect(r.code).toBe(0);
    expect(result).toMatchObject({ lab: 'pod-to-pod', provider: 'netns', cni: 'flannel-host-gw', passed: true });
    const hopChecks = result.steps.flatMap((s: any) => s.checks).filter((c: any) => c.kind === 'hops');
    expect(hopChecks.length).toBeGreaterThanOrEqual(4);
    const across = hopChecks.at(-1);
    expect(across.hops.expected.map((h: any) => h.address).slice(0, 2)).toEqual(['10.244.2.1', '192.168.56.11']);
  }, 180_000); // the run brings the lab up first: as long as the run may take, so a slow run fails with its own output

  it('fails with the hop named when node-2 routes node-1 pods out of eth0', async () => {
    const broken = await inLab(lab)('node-2', ['ip', 'route', 'replace', '10.244.1.0/24', 'via', '10.0.2.2', 'dev', 'eth0']);
    expect(broken.code).toBe(0);
    const r = await hoplab(['run', 'pod-to-pod', '--json'], env, 180_000);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    const across = result.steps.at(-1).checks.find((c: any) => c.kind === 'hops');
    expect(across.passed).toBe(false);
    expect(across.hops.verdict.firstDifference).toBe(2);
    expect(across.hops.verdict.diagnosis).toMatch(/node-2/);
    expect(across.hops.verdict.diagnosis).toMatch(/10\.244\.1\.0\/24/);
    // The proof beside it: node-2's own route lookup, run on node-2, says eth0 and the NAT router.
    // The netns NAT router cannot answer the pod (it has no route back to 10.244.2.0/24): the trace
    // dies after node-2's gateway. Were 10.0.2.2 to answer, the diagnosis would say the NAT side.
    expect(['no-route-at-gateway', 'nat-side']).toContain(across.hops.verdict.wrongAt.kind);
    expect(across.hops.verdict.wrongAt.machine).toBe('node-2');
    expect(across.hops.evidence).toMatchObject({ machine: 'node-2', kind: across.hops.verdict.wrongAt.kind });
    expect(across.hops.evidence.items).toHaveLength(1); // host-gw: the route is all the evidence
    const route = across.hops.evidence.items[0];
    expect(route.command).toMatch(/^ip route get 10\.244\.1\.\d+$/);
    expect(route.exitCode).toBe(0);
    expect(route.lines[0]).toMatch(/^10\.244\.1\.\d+ via 10\.0\.2\.2 dev eth0 /);
    // check-trace on the same trace prints it under the verdict.
    const file = join(mkdtempSync(join(tmpdir(), 'hoplab-trace-')), 'trace.txt');
    writeFileSync(file, across.command.stdout);
    const text = await hoplab(['check-trace', '--from', 'traceroute', '--to', 'httpd', '--file', file], env);
    rmSync(dirname(file), { recursive: true, force: true });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('evidence on node-2, where the path went wrong:');
    expect(text.stdout).toMatch(/node-2\$ ip route get 10\.244\.1\.\d+ .*\n\s+10\.244\.1\.\d+ via 10\.0\.2\.2 dev eth0 /);
    await inLab(lab)('node-2', ['ip', 'route', 'replace', '10.244.1.0/24', 'via', '192.168.56.11', 'dev', 'eth1']);
  }, 120_000); // the whole lab, with traceroute waiting out the silent hops of the broken path (up to ~24 s) and every pod a sandbox to start

  // The audit of step preconditions, on the real cluster: another lab's step whose checks say "node-2" fails first with the reason.
  it("fails pod-to-service's conntrack step with its precondition when the client runs on node-1", async () => {
    const run = await labKubectl(lab)('run', 'client', '--image=busybox', `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-1"}}}`, '--', 'sleep', '60');
    expect(run.code, run.stderr).toBe(0);
    // What the lab's first step makes (the web Service), or the check says the step was jumped to before it.
    expect((await labKubectl(lab)('create', 'service', 'clusterip', 'web', '--tcp=80:80')).code).toBe(0);
    const r = await hoplab(['check', 'pod-to-service', '--step', 'conntrack', '--answer', 'reply-source=10.96.0.1', '--file', '/dev/null'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('client runs on node-1, this step needs it on node-2');
    await labKubectl(lab)('delete', 'pod', 'client', '--wait=false');
    await labKubectl(lab)('delete', 'service', 'web');
  });
});
