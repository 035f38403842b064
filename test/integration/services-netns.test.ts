// Services on the embedded lab, through the built binary, the real kubectl
// and the real kernel: kube-proxy's rules in a node's nat table, the
// conntrack entry of a request, cluster DNS, a NodePort from the host, the
// endpoints and rules following a scale-down, IPVS refused on a kernel
// without it, and the evidence of a trace whose DNAT rule is gone. (The
// pod-to-service lab itself runs headless on every mode in lab-modes-*.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { endpointChain, serviceChain } from '../../src/kube/proxy-chains.js';
import { probeIpvs } from '../../src/providers/netns/proxy-mode.js';
import { ROOT, hoplab, until } from '../helpers/cli.js';
import { inLab, labKubectl } from '../helpers/lab-direct.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const lab = testLabName('svc');
const env = { HOPLAB_LAB: lab };
const on = (node: string) => `{"spec": { "nodeSelector": {"kubernetes.io/hostname": "${node}"}}}`;
const k = labKubectl(lab);
const ssh = (target: string, ...argv: string[]) => inLab(lab)(target, argv);
const exec = (pod: string, script: string) => k('exec', pod, '--', 'sh', '-c', script);
const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

async function endpointIPs(svc: string): Promise<string[]> {
  const r = await k('get', 'endpoints', svc, '-o', 'jsonpath={.subsets[*].addresses[*].ip}');
  return r.stdout.split(/\s+/).filter(Boolean);
}

describe.skipIf(skip)('Services on the netns lab', () => {
  let vip = '';
  let clientIP = '';

  beforeAll(async () => {
    const r = await hoplab(['up'], env);
    expect(r.code).toBe(0);
    expect((await k('create', 'deployment', 'hello', '--image=nginxdemos/hello:plain-text', '--replicas', '3')).code).toBe(0);
    expect((await k('rollout', 'status', 'deployment', 'hello', '--timeout', '60s')).code).toBe(0);
    expect((await k('expose', 'deployment', 'hello', '--port', '80')).code).toBe(0);
    vip = (await k('get', 'svc', 'hello', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    expect((await k('run', 'client', '--image=busybox', `--overrides=${on('node-2')}`, '--', 'sleep', '3600')).code).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/client', '--timeout=60s')).code).toBe(0);
    clientIP = (await k('get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}')).stdout;
  }, 120_000);

  afterAll(async () => {
    const r = await hoplab(['down'], env);
    expect(r.code).toBe(0);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('runs cluster DNS as coredns pods behind kube-dns at 10.96.0.10', async () => {
    const svc = await k('-n', 'kube-system', 'get', 'svc', 'kube-dns');
    expect(svc.stdout).toMatch(/\nkube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s+/);
    const pods = await k('-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns');
    expect(pods.stdout.match(/^coredns-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/gm)).toHaveLength(2);
  });

  it('writes kube-proxy\'s chains into the node\'s nat table', async () => {
    const ips = await endpointIPs('hello');
    expect(ips).toHaveLength(3);
    const save = (await ssh('node-2', 'iptables-save', '-t', 'nat')).stdout;
    const svc = serviceChain('default/hello', 'TCP');
    const seps = ips.map((ip) => `${ip}:80`).sort().map((ep) => endpointChain('default/hello', 'TCP', ep));
    expect(save).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(save).toContain('-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
    expect(save).toMatch(new RegExp(`^-A KUBE-SERVICES -d ${vip.replace(/\./g, '\\.')}/32 -p tcp -m comment --comment "default/hello cluster IP" -m tcp --dport 80 -j ${svc}$`, 'm'));
    const jumps = save.split('\n').filter((l) => l.startsWith(`-A ${svc} `) && l.includes('KUBE-SEP'));
    expect(jumps.map((l) => l.replace(/.*--probability (\S+) .*/, '$1').replace(/^-A .*/, 'last'))).toEqual(['0.33333333349', '0.50000000000', 'last']);
    expect(jumps.map((l) => l.split(' -j ')[1])).toEqual(seps);
    for (const [i, sep] of seps.entries()) expect(save).toMatch(new RegExp(`^-A ${sep} -p tcp .*-j DNAT --to-destination ${[...ips].sort((a, b) => (`${a}:80` < `${b}:80` ? -1 : 1))[i]}:80$`, 'm'));
    // The well-known chains of every kubeadm cluster are there too.
    expect(save).toContain(':KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]');
    expect(save).toContain(':KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]');
  });

  it('shows the translation in conntrack after a request', async () => {
    const r = await exec('client', `wget -qO- http://${vip}`);
    expect(r.stdout).toMatch(/^Server name: hello-/m);
    const ct = await ssh('node-2', 'conntrack', '-L', '-p', 'tcp', '--orig-dst', vip);
    const entry = ct.stdout.split('\n').find((l) => l.includes(`src=${clientIP} dst=${vip} `));
    expect(entry).toBeDefined();
    const reply = /dport=80 src=(\S+) dst=(\S+) sport=80/.exec(entry!);
    expect(await endpointIPs('hello')).toContain(reply![1]);
    expect(reply![2]).toBe(clientIP);
  });

  it('spreads requests over the pods', async () => {
    const r = await exec('client', `for i in $(seq 15); do wget -qO- http://${vip} | grep 'Server name'; done`);
    expect(new Set(r.stdout.trim().split('\n')).size).toBeGreaterThan(1);
  });

  it('answers Service names, short names and reverse lookups through the cluster DNS', async () => {
    expect((await exec('client', 'cat /etc/resolv.conf')).stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const fq = await exec('client', 'nslookup hello.default.svc.cluster.local');
    expect(fq.stdout).toMatch(new RegExp(`Name:\\s+hello\\.default\\.svc\\.cluster\\.local\\nAddress:\\s+${vip.replace(/\./g, '\\.')}\\n`));
    expect((await exec('client', 'wget -qO- http://hello')).stdout).toMatch(/^Server name: hello-/m);
    const ptr = await exec('client', `nslookup ${vip}`);
    expect(ptr.stdout).toContain('name = hello.default.svc.cluster.local');
    // A pod's address that no Service names: NXDOMAIN at once, not a time-out (traceroute resolves every hop).
    const started = Date.now();
    const none = await exec('client', 'nslookup 10.244.2.1');
    expect(none.stdout + none.stderr).toMatch(/NXDOMAIN/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reaches a NodePort from the host-only host', async () => {
    expect((await k('expose', 'deployment', 'hello', '--name', 'hello-np', '--type', 'NodePort', '--port', '80')).code).toBe(0);
    const port = (await k('get', 'svc', 'hello-np', '-o', 'jsonpath={.spec.ports[0].nodePort}')).stdout;
    expect(Number(port)).toBeGreaterThanOrEqual(30000);
    const page = await until('the NodePort answers', async () => {
      const r = await ssh('host', 'wget', '-qO-', `http://192.168.56.11:${port}`);
      return r.code === 0 ? r.stdout : undefined;
    });
    expect(page).toMatch(/^Server name: hello-/m);
  });

  it("a trace to the ClusterIP without kube-proxy's jump fails with the node's nat rules for the Service beside it", async () => {
    const svc = serviceChain('default/hello', 'TCP');
    const listed = (await ssh('node-2', 'iptables', '-t', 'nat', '-L', 'KUBE-SERVICES', '-n', '--line-numbers')).stdout;
    const num = listed.split('\n').find((l) => l.split(/\s+/).includes(vip))?.split(/\s+/)[0];
    expect(num).toMatch(/^\d+$/);
    expect((await ssh('node-2', 'iptables', '-t', 'nat', '-D', 'KUBE-SERVICES', num!)).code).toBe(0);
    try {
      const trace = await ssh('node-2', 'traceroute', '-T', '-p', '80', '-n', '-m', '4', '-w', '1', '-q', '1', vip);
      const dir = mkdtempSync(join(tmpdir(), 'hoplab-trace-'));
      writeFileSync(join(dir, 'trace.txt'), trace.stdout);
      const r = await hoplab(['check-trace', '--from', 'node-2', '--to', vip, '--file', join(dir, 'trace.txt'), '--json'], env);
      rmSync(dir, { recursive: true, force: true });
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout);
      expect(result.verdict.wrongAt).toEqual({ kind: 'service', machine: 'node-2', lookup: vip });
      expect(result.evidence).toMatchObject({ machine: 'node-2', kind: 'service' });
      const [nat, route] = result.evidence.items;
      expect(nat.command).toBe('iptables-save -t nat');
      expect(nat.note).toMatch(new RegExp(`^no KUBE-SERVICES rule for ${vip.replace(/\./g, '\\.')}: packets to it are not DNATed`));
      // The Service's own chain is still there, and only its rules are shown.
      expect(nat.lines.length).toBeGreaterThan(0);
      expect(nat.lines.every((l: string) => l.startsWith(`-A ${svc} `) || l.startsWith('-A KUBE-SEP-'))).toBe(true);
      expect(route.command).toBe(`ip route get ${vip}`);
      expect(route.lines[0]).toMatch(new RegExp(`^${vip.replace(/\./g, '\\.')} via 10\\.0\\.2\\.2 dev eth0 `));
    } finally {
      await ssh('node-2', 'iptables', '-t', 'nat', '-I', 'KUBE-SERVICES', '1', '-d', `${vip}/32`, '-p', 'tcp', '-m', 'comment', '--comment', 'default/hello cluster IP', '-m', 'tcp', '--dport', '80', '-j', svc);
    }
  });

  it('follows a scale-down in the endpoints and the rules', async () => {
    expect((await k('scale', 'deployment', 'hello', '--replicas', '2')).code).toBe(0);
    expect((await k('rollout', 'status', 'deployment', 'hello', '--timeout', '60s')).code).toBe(0);
    const ips = await until('2 endpoints', async () => {
      const e = await endpointIPs('hello');
      return e.length === 2 ? e : undefined;
    });
    const svc = serviceChain('default/hello', 'TCP');
    const jumps = await until('2 rules', async () => {
      const save = (await ssh('node-1', 'iptables-save', '-t', 'nat')).stdout;
      const j = save.split('\n').filter((l) => l.startsWith(`-A ${svc} `) && l.includes('KUBE-SEP'));
      return j.length === 2 ? j : undefined;
    });
    expect(jumps[0]).toContain('--probability 0.50000000000');
    expect(jumps.map((l) => l.split(' -j ')[1]).sort()).toEqual(ips.map((ip) => endpointChain('default/hello', 'TCP', `${ip}:80`)).sort());
  });

  it.skipIf(existsSync('/proc/net/ip_vs'))('refuses --proxy-mode ipvs on a kernel without IPVS, saying why', async () => {
    expect((await probeIpvs()).present).toBe(false);
    const r = await hoplab(['up', '--name', `${lab.slice(0, 10)}v`, '--proxy-mode', 'ipvs']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--proxy-mode ipvs needs the kernel's IPVS, which this kernel \(\S+\) lacks/);
    expect(r.stderr).toContain("kube-proxy's iptables mode works on this kernel");
  });

});
