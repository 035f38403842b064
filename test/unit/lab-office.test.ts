// The lab format's additions for the office-LAN lab: steps for one provider
// only, `cluster: { lan: true }`, route and reach checks (asked through the
// provider's probes), and the parsers behind the route lookups of Linux,
// macOS and Windows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { ClusterFacts } from '../../src/core/facts.js';
import type { RunResult } from '../../src/core/exec.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { lanHostFacts } from '../../src/providers/netns/lan-facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { labErrors, labFrom } from '../helpers/labs.js';
import { summary } from '../../src/labs/report.js';
import { assertRunnable, runLab } from '../../src/labs/runner.js';
import { linuxProbes, type NetworkProbes } from '../../src/providers/probes.js';
import type { Provider, Target } from '../../src/providers/provider.js';
import { addRouteCommands, parseIpRouteGet, parseMacRouteGet, parseWindowsRoute } from '../../src/providers/route-parse.js';

const plan = planLab('t', 'flannel-host-gw', 2, { lan: true });
const FACTS: ClusterFacts = (() => {
  const f = labFacts(plan, [{ name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.2', phase: 'Running' }]);
  return { ...f, hosts: [...f.hosts, ...lanHostFacts(plan)] };
})();

const lab = labFrom;
const errorsOf = labErrors;

const HEAD = `id: demo
title: Demo
summary: A demo.
cni: any
minutes: 5
`;

describe('office-lan.yaml', () => {
  const l = lab(readFileSync(new URL('../../labs/office-lan.yaml', import.meta.url), 'utf8'));

  it('asks for the LAN, marks its provider-specific steps, and uses route and reach checks', () => {
    expect(l.cluster).toEqual({ workers: 2, lan: true });
    expect(l.steps.map((s) => [s.id, s.providers ?? 'all'])).toEqual([
      ['a-pod-to-reach', 'all'],
      ['the-office', ['netns']],
      ['out-of-reach', ['netns']],
      ['route-on-the-gateway', ['netns']],
      ['the-way-back', ['netns']],
      ['the-wrong-node', ['netns']],
      ['two-gateways', ['netns']],
      ['a-service-from-the-office', ['netns']],
      ['the-virtualbox-host', ['netns']],
      ['your-own-machine', ['vagrant']],
    ]);
    const own = l.steps.at(-1)!;
    expect(own.checks.map((c) => c.kind)).toEqual(['route', 'reach']);
    expect(own.checks[0]).toMatchObject({ kind: 'route', on: { kind: 'host', name: 'host' }, to: '{{ pods.httpd.ip }}' });
    expect(own.checks[0]).not.toHaveProperty('via');
    expect(own.checks[1]).toMatchObject({ kind: 'reach', port: 80 });
  });

  it("prints the route command for each system, with the node's address", () => {
    const text = l.steps.at(-1)!.text;
    const c = addRouteCommands('10.244.0.0/16', '{{ nodes.controlplane.internalIP }}');
    expect(text).toContain(c.linux);
    expect(text).toContain(c.macos);
    expect(text).toContain(c.windows);
  });
});

describe('lab format: providers, lan, route and reach', () => {
  it('reads them', () => {
    const l = lab(`${HEAD}cluster: { lan: true }
steps:
  - id: s
    title: S
    text: t
    providers: [vagrant, kubeconfig]
    run:
      - kubectl: run httpd --image=httpd
    checks:
      - kind: route
        on: node-1
        to: '{{ pods.httpd.ip }}'
        via: 192.168.56.11
      - kind: reach
        on: host/office-pc
        to: 10.244.1.2
        port: 8080
`);
    expect(l.cluster).toEqual({ lan: true });
    expect(l.steps[0]!.providers).toEqual(['vagrant', 'kubeconfig']);
    expect(l.steps[0]!.checks).toMatchObject([
      { kind: 'route', on: { kind: 'node', name: 'node-1' }, to: '{{ pods.httpd.ip }}', via: '192.168.56.11', title: 'node-1 routes {{ pods.httpd.ip }} via 192.168.56.11' },
      { kind: 'reach', on: { kind: 'host', name: 'office-pc' }, to: '10.244.1.2', port: 8080 },
    ]);
  });

  it('names the file, line, field and what was expected', () => {
    const bad = `${HEAD}cluster: { workers: 2, lan: yes }
steps:
  - id: s
    title: S
    text: t
    providers: [docker]
    checks:
      - kind: route
        on: node-9
        to: pod/httpd
      - kind: reach
        on: host/office-pc
        to: 10.244.1.2
        port: 70000
      - kind: route
        on: node-1
        to: 10.244.1.2
        via: '{{ pods.httpd.node }}'
`;
    const errors = errorsOf(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^labs\/demo\.yaml:6:\d+: cluster\.lan: expected true or false, got "yes"/),
        expect.stringMatching(/^labs\/demo\.yaml:11:\d+: steps\[0\]\.providers\[0\]: expected a provider: one of netns, vagrant, kubeconfig/),
        expect.stringMatching(/^labs\/demo\.yaml:15:\d+: steps\[0\]\.checks\[0\]\.to: expected an IPv4 address or a template of one/),
        expect.stringMatching(/^labs\/demo\.yaml:19:\d+: steps\[0\]\.checks\[1\]\.port: expected a port from 1 to 65535/),
        expect.stringMatching(/steps\[0\]\.checks\[2\]\.via: \{\{ pods\.httpd\.node \}\} is not an address/),
      ]),
    );
    const nodes = errorsOf(`${HEAD}cluster: { workers: 2 }
steps:
  - id: s
    title: S
    text: t
    checks:
      - kind: route
        on: node-9
        to: 10.244.1.2
`);
    expect(nodes).toEqual([expect.stringMatching(/steps\[0\]\.checks\[0\]\.on: no node 'node-9': the lab asks for 2 workers/)]);
  });
});

/** A provider double: facts as given, probes answering from tables, every run recorded. */
function fakeProvider(name: Provider['name'], probes: NetworkProbes, facts: ClusterFacts = FACTS): Provider & { calls: string[] } {
  const calls: string[] = [];
  const none = async (): Promise<RunResult> => ({ exitCode: 0, stdout: '', stderr: '' });
  return {
    name,
    lab: 't',
    calls,
    up: async () => undefined,
    down: async () => undefined,
    status: async () => ({ lab: 't', provider: name, state: 'up', notes: [] }),
    run: async (t: Target, argv: string[]) => (calls.push(`${t.kind}:${t.name}$ ${argv.join(' ')}`), none()),
    kubectl: async (args: string[]) => (calls.push(`kubectl ${args.join(' ')}`), none()),
    shell: async () => ({ file: 'true', args: [], env: {} }),
    kubeEnv: async () => ({}),
    facts: async () => ({ ...facts, provider: name }),
    probes,
  };
}

const ROUTE_LAB = `${HEAD}steps:
  - id: office
    title: From the office
    text: t
    providers: [netns]
    run:
      - kubectl: run httpd --image=httpd
    checks:
      - kind: route
        id: gw
        on: host/office-gw
        to: '{{ pods.httpd.ip }}'
        via: '{{ nodes.node-1.internalIP }}'
      - kind: reach
        id: http
        on: host/office-pc
        to: '{{ pods.httpd.ip }}'
  - id: mine
    title: From my machine
    text: t
    providers: [vagrant]
    checks:
      - kind: route
        id: any-node
        on: host/host
        to: '{{ pods.httpd.ip }}'
`;

describe('route and reach checks in a run', () => {
  const asked: string[] = [];
  const probes = (routes: Record<string, { via?: string; dev?: string; unreachable?: string; dest?: string }>, http: Record<string, boolean>): NetworkProbes => ({
    async route(t, ip) {
      asked.push(`route ${t.name} ${ip}`);
      return { to: ip, ...routes[t.name] };
    },
    async http(t, url) {
      asked.push(`http ${t.name} ${url}`);
      return http[t.name] ? { ok: true, status: 200, detail: `${url} answered HTTP 200` } : { ok: false, detail: `${url} did not answer within 5 s` };
    },
  });

  it('passes on netns, skipping the vagrant step, and asks the machines named', async () => {
    asked.length = 0;
    const p = fakeProvider('netns', probes({ 'office-gw': { via: '192.168.56.11', dev: 'eth1' } }, { 'office-pc': true }));
    const r = await runLab(lab(ROUTE_LAB), p);
    expect(r.passed).toBe(true);
    expect(r.steps.map((s) => s.skipped ?? 'ran')).toEqual(['ran', 'only for the vagrant provider']);
    expect(r.steps[0]!.checks.map((c) => c.summary)).toEqual([
      'office-gw routes 10.244.1.2 via 192.168.56.11 dev eth1',
      'from office-pc: http://10.244.1.2/ answered HTTP 200',
    ]);
    expect(asked).toEqual(['route office-gw 10.244.1.2', 'http office-pc http://10.244.1.2/']);
    expect(summary(r)).toMatch(/PASSED: 1 of 1 steps, 2 of 2 checks passed .*; 1 step for other providers skipped/);
  });

  it('fails a route to the wrong next hop, a missing route and a silent server, saying what it saw', async () => {
    const wrong = await runLab(lab(ROUTE_LAB), fakeProvider('netns', probes({ 'office-gw': { via: '192.168.56.10', dev: 'eth1' } }, {})));
    expect(wrong.steps[0]!.checks.map((c) => [c.passed, c.summary])).toEqual([
      [false, 'office-gw routes 10.244.1.2 via 192.168.56.10 dev eth1, expected via 192.168.56.11'],
      [false, 'from office-pc: http://10.244.1.2/ did not answer within 5 s'],
    ]);
    const none = await runLab(lab(ROUTE_LAB), fakeProvider('netns', probes({ 'office-gw': { unreachable: 'RTNETLINK answers: Network is unreachable' } }, {})));
    expect(none.steps[0]!.checks[0]!.summary).toBe('office-gw has no route to 10.244.1.2: RTNETLINK answers: Network is unreachable');
  });

  it("on vagrant, a route without `via` passes through any node and fails on the host's default route", async () => {
    const ok = await runLab(lab(ROUTE_LAB), fakeProvider('vagrant', probes({ host: { via: '192.168.56.10', dev: 'vboxnet0' } }, {})));
    expect(ok.steps.map((s) => s.skipped ?? 'ran')).toEqual(['only for the netns provider', 'ran']);
    expect(ok.passed).toBe(true);
    const def = await runLab(lab(ROUTE_LAB), fakeProvider('vagrant', probes({ host: { via: '192.168.0.1', dev: 'en0', dest: 'default' } }, {})));
    expect(def.passed).toBe(false);
    expect(def.steps[1]!.checks[0]!.summary).toBe(
      "host routes 10.244.1.2 via 192.168.0.1 dev en0 (its default route: no route for that address yet), expected via one of the cluster's nodes",
    );
  });

  it('refuses a lan lab on a netns cluster without the LAN, and says how to add it', () => {
    const l = lab(`${HEAD}cluster: { lan: true }\nsteps:\n  - id: s\n    title: S\n    text: t\n`);
    const noLan = { ...FACTS, hosts: FACTS.hosts.filter((h) => h.role !== 'office' && h.role !== 'gateway') };
    expect(() => assertRunnable(l, noLan)).toThrow(UsageError);
    expect(() => assertRunnable(l, noLan)).toThrow(/office LAN/);
    expect(() => assertRunnable(l, FACTS)).not.toThrow();
    expect(() => assertRunnable(l, { ...noLan, provider: 'vagrant' })).not.toThrow();
  });
});

describe('the Linux probes through run', () => {
  const runner = (out: Partial<RunResult>) => {
    const seen: string[][] = [];
    return {
      seen,
      run: async (_t: Target, argv: string[]): Promise<RunResult> => (seen.push(argv), { exitCode: 0, stdout: '', stderr: '', ...out }),
    };
  };

  it('asks `ip -j route get` and reads its JSON', async () => {
    const r = runner({ stdout: '[{"dst":"10.244.1.2","gateway":"192.168.56.11","dev":"eth1","prefsrc":"192.168.56.2","flags":[],"uid":0,"cache":[]}]' });
    expect(await linuxProbes(r).route({ kind: 'host', name: 'office-gw' }, '10.244.1.2')).toEqual({ to: '10.244.1.2', via: '192.168.56.11', dev: 'eth1' });
    expect(r.seen[0]).toEqual(['ip', '-j', 'route', 'get', '10.244.1.2']);
  });

  it('counts any HTTP status as an answer and 000 (curl) or a time-out as none', async () => {
    const p = (out: Partial<RunResult>) => linuxProbes(runner(out)).http({ kind: 'host', name: 'office-pc' }, 'http://10.244.1.2/', 5000);
    expect(await p({ stdout: 'HTTP 200\n' })).toEqual({ ok: true, status: 200, detail: 'http://10.244.1.2/ answered HTTP 200' });
    expect(await p({ stdout: 'HTTP 404\n' })).toMatchObject({ ok: true, status: 404 });
    expect(await p({ exitCode: 28, stdout: 'HTTP 000\n', stderr: 'curl: (28) Connection timed out after 5001 milliseconds\n' })).toMatchObject({ ok: false });
    expect(await p({ exitCode: 0, stdout: 'HTTP answered\n' })).toMatchObject({ ok: true });
    expect(await p({ exitCode: 143, stderr: 'Terminated\n' })).toEqual({ ok: false, detail: 'http://10.244.1.2/ did not answer within 5 s: Terminated' });
  });
});

describe('route lookups of each system', () => {
  it('Linux: the route, or why there is none', () => {
    expect(parseIpRouteGet('10.244.1.2', 2, '', 'RTNETLINK answers: Network is unreachable\n')).toEqual({ to: '10.244.1.2', unreachable: 'RTNETLINK answers: Network is unreachable' });
    expect(parseIpRouteGet('192.168.56.11', 0, '[{"dst":"192.168.56.11","dev":"eth1","prefsrc":"192.168.56.2","flags":[],"uid":0,"cache":[]}]', '')).toEqual({ to: '192.168.56.11', dev: 'eth1' });
  });

  it('macOS: route -n get (format of route(8) on macOS 14)', () => {
    const out = [
      '   route to: 10.244.1.2',
      'destination: 10.244.0.0',
      '       mask: 255.255.0.0',
      '    gateway: 192.168.56.10',
      '  interface: vboxnet0',
      '      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING>',
      ' recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire',
      '       0         0         0         0         0         0      1500         0',
    ].join('\n');
    expect(parseMacRouteGet('10.244.1.2', 0, out, '')).toEqual({ to: '10.244.1.2', via: '192.168.56.10', dev: 'vboxnet0', dest: '10.244.0.0/16' });
    const viaDefault = ['   route to: 10.244.1.2', 'destination: default', '       mask: default', '    gateway: 192.168.1.254', '  interface: en0'].join('\n');
    expect(parseMacRouteGet('10.244.1.2', 0, viaDefault, '')).toEqual({ to: '10.244.1.2', via: '192.168.1.254', dev: 'en0', dest: 'default' });
    expect(parseMacRouteGet('10.244.1.2', 1, '', 'route: writing to routing socket: not in table\n')).toEqual({ to: '10.244.1.2', unreachable: 'route: writing to routing socket: not in table' });
  });

  it("Windows: Find-NetRoute's route as JSON (0.0.0.0 = on-link)", () => {
    expect(parseWindowsRoute('10.244.1.2', 0, '{"DestinationPrefix":"10.244.0.0/16","NextHop":"192.168.56.10","InterfaceAlias":"VirtualBox Host-Only Network"}', '')).toEqual({
      to: '10.244.1.2',
      via: '192.168.56.10',
      dev: 'VirtualBox Host-Only Network',
      dest: '10.244.0.0/16',
    });
    expect(parseWindowsRoute('192.168.56.11', 0, '{"DestinationPrefix":"192.168.56.0/24","NextHop":"0.0.0.0","InterfaceAlias":"VirtualBox Host-Only Network"}', '')).toEqual({
      to: '192.168.56.11',
      dev: 'VirtualBox Host-Only Network',
      dest: '192.168.56.0/24',
    });
    expect(parseWindowsRoute('10.244.1.2', 1, '', 'Find-NetRoute : No matching MSFT_NetRoute objects found\n')).toMatchObject({ unreachable: expect.stringMatching(/No matching/) });
  });

  it('prints the route commands for Linux, macOS and Windows', () => {
    expect(addRouteCommands('10.244.0.0/16', '192.168.56.10')).toEqual({
      linux: 'sudo ip route add 10.244.0.0/16 via 192.168.56.10',
      macos: 'sudo route -n add -net 10.244.0.0/16 192.168.56.10',
      windows: 'route ADD 10.244.0.0 MASK 255.255.0.0 192.168.56.10',
    });
    expect(addRouteCommands('10.96.0.0/12', '192.168.56.10').windows).toBe('route ADD 10.96.0.0 MASK 255.240.0.0 192.168.56.10');
  });
});
