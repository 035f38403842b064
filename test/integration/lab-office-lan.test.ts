// Seed 001's second half on the real kernel: the office LAN in the lab's
// namespaces, the office-lan lab headless (its traces graded against the path
// engine), and held-back wrong states — a node without its route back, a
// gateway pointed at the wrong node — that must fail with the right hop named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { ROOT, hoplab } from '../helpers/cli.js';
import { inLab } from '../helpers/lab-direct.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

/** The machine's own network, to prove the lab leaves it alone. */
function rootNetwork(): string {
  const route = execFileSync('ip', ['-j', 'route', 'show', 'table', 'all']).toString();
  const links = (JSON.parse(execFileSync('ip', ['-j', 'link', 'show']).toString()) as { ifname: string }[]).map((l) => l.ifname).sort();
  return JSON.stringify({ route, links });
}

describe.skipIf(skip)('hoplab up --lan (netns)', () => {
  const lab = testLabName('lan');
  const env = { HOPLAB_LAB: lab };
  let before = '';

  beforeAll(async () => {
    before = rootNetwork();
    const r = await hoplab(['up', '--lan'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/office LAN: hoplab --name \S+ ssh office-pc/);
  }, 60_000);
  afterAll(async () => {
    await hoplab(['down'], env);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
    expect(existsSync(`/etc/netns/hoplab-${lab}-lan-office-pc`)).toBe(false);
  });

  it('builds the office hosts in the lab namespaces and nothing on the machine itself', async () => {
    const ns = (await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-lan-`)).sort();
    expect(ns).toEqual(['branch-gw', 'branch-pc', 'corp-gw', 'office-gw', 'office-pc'].map((h) => `hoplab-${lab}-lan-${h}`));
    expect(rootNetwork()).toBe(before);
  });

  it('lists them in status, with roles, addresses and their routing tables', async () => {
    const r = await hoplab(['status', '--json'], env);
    const hosts = JSON.parse(r.stdout).facts.hosts as { name: string; role: string; interfaces: { address?: string }[]; routes?: unknown[] }[];
    const by = Object.fromEntries(hosts.map((h) => [h.name, h]));
    expect(by['office-pc']).toMatchObject({ role: 'office', interfaces: [{ address: '192.168.1.10' }], routes: [{ dest: 'default', via: '192.168.1.1', dev: 'eth0' }] });
    expect(by['office-gw']).toMatchObject({ role: 'gateway', interfaces: [{ address: '192.168.1.1' }, { address: '192.168.56.2' }], routes: [] });
    expect(by['corp-gw']).toMatchObject({ role: 'gateway', routes: [{ dest: '192.168.2.0/24', via: '172.16.0.2', dev: 'eth0' }] });
    const text = await hoplab(['status'], env);
    expect(text.stdout).toMatch(/office-gw\s+gateway\s+eth0 192\.168\.1\.1\s+eth1 192\.168\.56\.2/);
  });

  it('opens the office hosts with hoplab ssh, named and with a resolver that fails at once', async () => {
    const addr = await hoplab(['ssh', 'office-pc', '--', 'ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'], env);
    expect(addr.stdout).toMatch(/inet 192\.168\.1\.10\/24/);
    expect((await hoplab(['ssh', 'office-gw', '--', 'hostname'], env)).stdout.trim()).toBe('office-gw');
    expect((await hoplab(['ssh', 'branch-pc', '--', 'cat', '/etc/resolv.conf'], env)).stdout).toMatch(/^nameserver 127\.0\.0\.1$/m);
    const started = Date.now();
    await hoplab(['ssh', 'office-pc', '--', 'getent', 'hosts', 'example.com'], env);
    expect(Date.now() - started).toBeLessThan(4500); // a resolver that waits would take 5 s per try
    // The office reaches the nodes' network, but not the pods: that route is the lab's.
    const gw = await hoplab(['ssh', 'office-gw', '--', 'ip', 'route', 'get', '10.244.1.2'], env);
    expect(gw.code).not.toBe(0);
    expect(gw.stderr).toMatch(/Network is unreachable/);
  });

  it('says it is already up when asked again', async () => {
    const r = await hoplab(['up', '--lan'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already up .*office LAN/);
  });
});

describe.skipIf(skip)('hoplab run office-lan (netns, flannel-host-gw)', () => {
  const lab = testLabName('olab');
  const env = { HOPLAB_LAB: lab };
  let result: any;

  beforeAll(async () => {
    // Up without the LAN: the run adds what the lab asks for.
    expect((await hoplab(['up'], env)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await hoplab(['down'], env);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('adds the office LAN to the running lab and passes every step and check', async () => {
    const r = await hoplab(['run', 'office-lan', '--json'], env, 240_000);
    expect(r.stderr).toMatch(/uses the office LAN: adding it/);
    result = JSON.parse(r.stdout);
    const failed = result.steps.flatMap((s: any) => s.checks.filter((c: any) => !c.passed).map((c: any) => `${s.id}/${c.id}: ${c.summary}`));
    expect(failed).toEqual([]);
    expect(r.code).toBe(0);
    expect(result).toMatchObject({ lab: 'office-lan', provider: 'netns', cni: 'flannel-host-gw', passed: true });
    expect(result.steps.filter((s: any) => s.skipped).map((s: any) => s.id)).toEqual(['your-own-machine']);
  }, 240_000);

  it('checked the hops the engine predicts: one gateway, the wrong node, two gateways, the VirtualBox host', () => {
    const hops = (step: string) => {
      const c = result.steps.find((s: any) => s.id === step).checks.find((x: any) => x.kind === 'hops');
      expect(c.passed).toBe(true);
      return c.hops.expected.map((h: any) => `${h.address} ${h.node}`);
    };
    const pod = result.steps.find((s: any) => s.id === 'the-way-back').checks.find((c: any) => c.kind === 'hops').hops.expected.at(-1).address;
    expect(pod).toMatch(/^10\.244\.1\.\d+$/);
    expect(hops('the-way-back')).toEqual(['192.168.1.1 office-gw', '192.168.56.11 node-1', `${pod} node-1`]);
    expect(hops('the-wrong-node')).toEqual(['192.168.1.1 office-gw', '192.168.56.10 controlplane', '192.168.56.11 node-1', `${pod} node-1`]);
    expect(hops('two-gateways')).toEqual(['192.168.2.1 branch-gw', '172.16.0.1 corp-gw', '192.168.56.11 node-1', `${pod} node-1`]);
    expect(hops('the-virtualbox-host')).toEqual(['192.168.56.10 controlplane', '192.168.56.11 node-1', `${pod} node-1`]);
    // To a ClusterIP: the gateway as itself, then node-1 and the pod answering as the Service (kube-proxy's DNAT, un-NATed ICMP).
    const vip = hops('a-service-from-the-office').at(-1)!.split(' ')[0];
    expect(vip).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(hops('a-service-from-the-office')).toEqual(['192.168.1.1 office-gw', `${vip} node-1`, `${vip} node-1`]);
    // The real traces agree hop by hop where they answered (the VirtualBox host's hop 1 may be silent: ICMP redirects use up controlplane's allowance).
    const verdict = result.steps.find((s: any) => s.id === 'the-way-back').checks.find((c: any) => c.kind === 'hops').hops.verdict;
    expect(verdict.hops.map((h: any) => h.status)).toEqual(['match', 'match', 'match']);
  });

  it('fails at hop 2, naming node-1 and the missing route back, when node-1 has no way back to the office', async () => {
    const ip = result.steps.find((s: any) => s.id === 'the-way-back').checks.find((c: any) => c.kind === 'hops').hops.expected.at(-1).address;
    expect((await inLab(lab)('office-gw', ['ip', 'route', 'replace', '10.244.0.0/16', 'via', '192.168.56.11'])).code).toBe(0);
    expect((await inLab(lab)('node-1', ['ip', 'route', 'del', '192.168.1.0/24'])).code).toBe(0);
    const trace = await inLab(lab)('office-pc', ['traceroute', '-n', '-w', '1', '-m', '5', ip]);
    expect(trace.stdout).toMatch(/^ ?2\s+\* \* \*/m);
    const graded = await checkTrace(env, 'host/office-pc', 'pod/httpd', trace.stdout);
    expect(graded.code).toBe(1);
    expect(graded.verdict.firstDifference).toBe(2);
    expect(graded.verdict.diagnosis).toMatch(/node-1 has no route back to 192\.168\.1\.0\/24/);
    expect(graded.verdict.diagnosis).toMatch(/ip route add 192\.168\.1\.0\/24 via 192\.168\.56\.2 dev eth1/);
    await inLab(lab)('node-1', ['ip', 'route', 'add', '192.168.1.0/24', 'via', '192.168.56.2', 'dev', 'eth1']);
  }, 60_000);

  it('fails at hop 2, naming the wrong node and office-gw, for a trace through controlplane graded against a route to node-1', async () => {
    const ip = result.steps.find((s: any) => s.id === 'the-way-back').checks.find((c: any) => c.kind === 'hops').hops.expected.at(-1).address;
    // The trace taken while office-gw pointed at controlplane ...
    await inLab(lab)('office-gw', ['ip', 'route', 'replace', '10.244.0.0/16', 'via', '192.168.56.10']);
    await inLab(lab)('office-pc', ['ping', '-c', '1', '-W', '2', ip]);
    const trace = await inLab(lab)('office-pc', ['traceroute', '-n', '-w', '1', '-m', '6', ip]);
    expect(trace.stdout).toMatch(/^ ?2\s+192\.168\.56\.10\s/m);
    // ... graded after the route was put back on node-1, as a learner pasting an old trace would.
    await inLab(lab)('office-gw', ['ip', 'route', 'replace', '10.244.0.0/16', 'via', '192.168.56.11']);
    const graded = await checkTrace(env, 'host/office-pc', 'pod/httpd', trace.stdout);
    expect(graded.code).toBe(1);
    expect(graded.verdict.firstDifference).toBe(2);
    expect(graded.verdict.diagnosis).toMatch(/192\.168\.56\.10 is eth1 of controlplane/);
    expect(graded.verdict.diagnosis).toMatch(/on office-gw points at the wrong node/);
  }, 60_000);

  it("resets a step to its start whatever the learner tried: a wrong route on office-gw, a stray route back", async () => {
    // What a learner may leave behind in route-on-the-gateway: the route to the wrong node, a route back on node-2.
    expect((await inLab(lab)('office-gw', ['ip', 'route', 'replace', '10.244.0.0/16', 'via', '192.168.56.12'])).code).toBe(0);
    await inLab(lab)('node-2', ['ip', 'route', 'replace', '192.168.1.0/24', 'via', '192.168.56.2', 'dev', 'eth1']);
    const r = await hoplab(['run', 'office-lan', '--step', 'route-on-the-gateway', '--step', 'the-way-back', '--step', 'a-service-from-the-office', '--json'], env, 120_000);
    const out = JSON.parse(r.stdout);
    expect(out.steps.map((s: any) => [s.id, s.error ?? '', s.checks.filter((c: any) => !c.passed).map((c: any) => c.summary)])).toEqual([
      ['route-on-the-gateway', '', []],
      ['the-way-back', '', []],
      ['a-service-from-the-office', '', []],
    ]);
    expect(r.code).toBe(0);
  }, 120_000);
});

async function checkTrace(env: Record<string, string>, from: string, to: string, text: string): Promise<{ code: number; verdict: any }> {
  const file = join('/tmp', `hoplab-trace-${process.pid}-${Date.now()}.txt`);
  const { writeFile, rm } = await import('node:fs/promises');
  await writeFile(file, text);
  try {
    const r = await hoplab(['check-trace', '--from', from, '--to', to, '--file', file, '--json'], env);
    const out = JSON.parse(r.stdout);
    return { code: r.code, verdict: out.verdict ?? out };
  } finally {
    await rm(file, { force: true });
  }
}
