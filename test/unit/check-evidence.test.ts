// The proof at the wrong hop, the pure half: which machine a failed trace
// names, which commands are worth running there for each kind of diagnosis
// and CNI mode, and how their output is cut down to the entries that matter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts, CniMode } from '../../src/core/facts.js';
import { evidenceItem, evidenceLines, evidencePlan, trimEvidence, type EvidencePlan } from '../../src/check/evidence.js';
import { gradeTrace } from '../../src/check/grade.js';
import { serviceChain } from '../../src/kube/proxy-chains.js';
import type { DiagnosisKind, PathPrediction, TraceVerdict } from '../../src/path/types.js';

const DIR = join(import.meta.dirname, '../fixtures/traces');
const read = (rel: string) => readFileSync(join(DIR, rel), 'utf8');
const SEED: ClusterFacts = JSON.parse(read('seed-cluster-facts.json'));
const SVC: ClusterFacts = JSON.parse(read('service/facts.json'));

function planOf(facts: ClusterFacts, from: string, to: string, traceFile: string): EvidencePlan | undefined {
  const r = gradeTrace(facts, from, to, read(traceFile));
  return evidencePlan(r.prediction, r.verdict, facts);
}
const argvs = (p: EvidencePlan | undefined) => p?.commands.map((c) => c.argv.join(' '));

/** The seed cluster as another CNI mode would report it: tunnel devices with their VTEP addresses and MACs. */
function inMode(cni: CniMode): ClusterFacts {
  return {
    ...SEED,
    cni,
    nodes: SEED.nodes.map((n, i) => ({
      ...n,
      interfaces: [
        ...n.interfaces,
        ...(cni === 'flannel-vxlan' ? [{ name: 'flannel.1', address: n.podCIDR.replace(/\/24$/, ''), prefixLength: 32, mac: `aa:bb:cc:00:00:0${i}` }] : []),
        ...(cni === 'calico-vxlan' ? [{ name: 'vxlan.calico', address: n.podCIDR.replace(/0\/24$/, '192'), prefixLength: 32, mac: `66:bb:cc:00:00:0${i}` }] : []),
      ],
    })),
  };
}
const OK: PathPrediction = { ok: true, hops: [], destination: '10.244.1.3', notes: [], sourceNode: 'node-2' };
const failed = (kind: DiagnosisKind, machine?: string, lookup?: string): TraceVerdict => ({
  passed: false,
  hops: [],
  diagnosis: 'x',
  wrongAt: { kind, ...(machine ? { machine } : {}), ...(lookup ? { lookup } : {}) },
});

describe('where the path went wrong, from the diagnosis', () => {
  it('the NAT side: ip route get on the node that sent the packet out of eth0', () => {
    const p = planOf(SEED, 'traceroute', 'httpd', 'held-back/via-nat-router.txt');
    expect(p).toMatchObject({ target: { kind: 'node', name: 'node-2' }, kind: 'nat-side' });
    expect(argvs(p)).toEqual(['ip route get 10.244.1.3']);
  });

  it('the wrong node: ip route get on the node whose route points there', () => {
    const p = planOf(SEED, 'traceroute', 'httpd', 'held-back/via-wrong-node-from-node-2.txt');
    expect(p).toMatchObject({ target: { kind: 'node', name: 'node-2' }, kind: 'wrong-node' });
  });

  it('a trace dying at the source node\'s gateway: that node', () => {
    const p = planOf(SEED, 'traceroute', 'httpd', 'held-back/dies-at-gateway.txt');
    expect(p).toMatchObject({ target: { kind: 'node', name: 'node-2' }, kind: 'no-route-at-gateway' });
    expect(argvs(p)).toEqual(['ip route get 10.244.1.3']);
  });

  it('a NAT router answering !N: the node that sent the packet there, not one of the routers that share 10.0.2.2', () => {
    const nat = (name: string, serves: string) => ({ name, role: 'nat-router' as const, serves, interfaces: [{ name: 'lan', address: '10.0.2.2', prefixLength: 24 }] });
    const facts: ClusterFacts = { ...SEED, hosts: [...SEED.hosts, nat('nat-controlplane', 'controlplane'), nat('nat-node-2', 'node-2')] };
    const trace = 'traceroute to 10.244.1.3 (10.244.1.3), 30 hops max, 46 byte packets\n 1  10.244.2.1  0.011 ms  0.013 ms  0.006 ms\n 2  10.0.2.2  0.147 ms !N  0.1 ms !N  0.1 ms !N\n';
    const r = gradeTrace(facts, 'traceroute', 'httpd', trace);
    expect(r.verdict.wrongAt).toEqual({ kind: 'error-answer', machine: 'node-2', lookup: '10.244.1.3' });
    expect(evidencePlan(r.prediction, r.verdict, facts)?.target).toEqual({ kind: 'node', name: 'node-2' });
  });

  it('a node answering !H: that node, whose own routes say why', () => {
    const trace = 'traceroute to 10.244.1.3 (10.244.1.3), 30 hops max, 46 byte packets\n 1  10.244.2.1  0.011 ms  0.013 ms  0.006 ms\n 2  192.168.56.11  0.2 ms !H  0.1 ms !H  0.1 ms !H\n';
    expect(gradeTrace(SEED, 'traceroute', 'httpd', trace).verdict.wrongAt).toMatchObject({ kind: 'error-answer', machine: 'node-1' });
  });

  it('a passing trace, or one that names no machine, asks for nothing', () => {
    const r = gradeTrace(SEED, 'traceroute', 'httpd', read('seed/000-cross-node.txt'));
    expect(r.verdict.passed).toBe(true);
    expect(evidencePlan(r.prediction, r.verdict, SEED)).toBeUndefined();
    expect(evidencePlan(OK, failed('cut-short'), SEED)).toBeUndefined();
    expect(evidencePlan(OK, failed('silent', 'no-such-node'), SEED)).toBeUndefined();
    expect(evidencePlan({ ok: false, reason: 'no' }, failed('silent', 'node-2'), SEED)).toBeUndefined();
  });

  it('no way back from outside: the route back to the sender, on the silent machine', () => {
    const p = evidencePlan({ ...OK, sourceAddress: '192.168.1.10' }, failed('no-way-back', 'node-1', '192.168.1.10'), SEED);
    expect(argvs(p)).toEqual(['ip route get 192.168.1.10']);
  });

  it('a lab host is asked as a host', () => {
    const facts: ClusterFacts = { ...SEED, hosts: [{ name: 'office-gw', role: 'gateway', interfaces: [] }] };
    expect(evidencePlan(OK, failed('silent', 'office-gw'), facts)?.target).toEqual({ kind: 'host', name: 'office-gw' });
  });
});

describe('what each CNI mode adds', () => {
  it('flannel-host-gw: only the route', () => {
    expect(argvs(evidencePlan(OK, failed('silent', 'node-2'), SEED))).toEqual(['ip route get 10.244.1.3']);
  });

  it('flannel-vxlan: the fdb and neighbour entries of flannel.1, trimmed to the destination node\'s VTEP', () => {
    const p = evidencePlan(OK, failed('silent', 'node-2'), inMode('flannel-vxlan'))!;
    expect(argvs(p)).toEqual(['ip route get 10.244.1.3', 'bridge fdb show dev flannel.1', 'ip neigh show dev flannel.1']);
    expect(p.commands[1]!.trim).toMatchObject({ kind: 'words', words: ['192.168.56.11', 'aa:bb:cc:00:00:01'] });
    expect(p.commands[2]!.trim).toMatchObject({ kind: 'words', words: ['10.244.1.0', 'aa:bb:cc:00:00:01'] });
  });

  it('calico-vxlan: the same on vxlan.calico', () => {
    expect(argvs(evidencePlan(OK, failed('wrong-node', 'node-2'), inMode('calico-vxlan')))).toEqual([
      'ip route get 10.244.1.3',
      'bridge fdb show dev vxlan.calico',
      'ip neigh show dev vxlan.calico',
    ]);
  });

  it.each(['calico-bgp', 'calico-ipip'] as const)('%s: the BGP sessions BIRD learns the routes from', (mode) => {
    expect(argvs(evidencePlan(OK, failed('silent', 'node-2'), inMode(mode)))).toEqual(['ip route get 10.244.1.3', 'birdc -s /etc/bird/bird.ctl show protocols']);
  });

  it('nothing of the mode when the destination is not a pod on another node', () => {
    expect(argvs(evidencePlan({ ...OK, destination: '10.244.2.2' }, failed('silent', 'node-2'), inMode('flannel-vxlan')))).toEqual(['ip route get 10.244.2.2']);
    expect(argvs(evidencePlan({ ...OK, destination: '192.168.56.11' }, failed('silent', 'node-2'), inMode('calico-bgp')))).toEqual(['ip route get 192.168.56.11']);
  });
});

describe('a trace to a Service', () => {
  it('names the node where kube-proxy DNATs, and asks for its nat table trimmed to the Service', () => {
    const p = planOf(SVC, 'tcp', '10.104.24.41', 'service/pod-busybox-udp.txt')!;
    expect(p).toMatchObject({ target: { kind: 'node', name: 'node-2' }, kind: 'service' });
    expect(argvs(p)).toEqual(['iptables-save -t nat', 'ip route get 10.104.24.41']);
    expect(p.commands[0]!.trim).toEqual({ kind: 'service-chains', clusterIP: '10.104.24.41', chains: [serviceChain('default/web', 'TCP')] });
  });
});

describe('trimming the output to what matters', () => {
  it('ip route get: its lines, blank ones and escapes dropped', () => {
    expect(trimEvidence({ kind: 'all' }, '10.244.1.3 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0 \n    cache \u001b[31m\n\n')).toEqual({
      lines: ['10.244.1.3 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0', '    cache'],
      omitted: 0,
    });
  });

  it('fdb and neighbours: only the peer\'s entries, by whole words', () => {
    const fdb = ['aa:bb:cc:00:00:00 dst 192.168.56.10 self permanent', 'aa:bb:cc:00:00:01 dst 192.168.56.11 self permanent', 'aa:bb:cc:00:00:02 dst 192.168.56.110 self permanent'].join('\n');
    const words = { kind: 'words' as const, words: ['192.168.56.11', 'aa:bb:cc:00:00:01'], none: 'no fdb entry for node-1' };
    expect(trimEvidence(words, fdb)).toEqual({ lines: ['aa:bb:cc:00:00:01 dst 192.168.56.11 self permanent'], omitted: 0 });
    expect(trimEvidence(words, 'aa:bb:cc:00:00:02 dst 192.168.56.110 self permanent\n')).toEqual({ lines: [], omitted: 0, note: 'no fdb entry for node-1' });
  });

  it('birdc: the BGP sessions under the header, not the kernel and device protocols', () => {
    const out = [
      'BIRD 2.0.12 ready.',
      'Name       Proto      Table      State  Since         Info',
      'device1    Device     ---        up     20:00:00.000',
      'kernel1    Kernel     master4    up     20:00:00.000',
      'Mesh_192_168_56_10 BGP        ---        up     20:00:01.000  Established',
      'Mesh_192_168_56_12 BGP        ---        start  20:00:01.000  Active        Socket: Connection refused',
    ].join('\n');
    expect(trimEvidence({ kind: 'bgp-sessions' }, out).lines).toEqual([
      'Name       Proto      Table      State  Since         Info',
      'Mesh_192_168_56_10 BGP        ---        up     20:00:01.000  Established',
      'Mesh_192_168_56_12 BGP        ---        start  20:00:01.000  Active        Socket: Connection refused',
    ]);
    expect(trimEvidence({ kind: 'bgp-sessions' }, out.split('\n').slice(0, 4).join('\n'))).toMatchObject({ lines: [], note: expect.stringMatching(/^no BGP sessions/) });
  });

  const SVC_CHAIN = 'KUBE-SVC-AAAAAAAAAAAAAAAA';
  const saved = [
    '# Generated by iptables-save',
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    `:${SVC_CHAIN} - [0:0]`,
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-DNSDNSDNSDNSDNSD',
    `-A KUBE-SERVICES -d 10.104.24.41/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j ${SVC_CHAIN}`,
    '-A KUBE-SEP-ONE -s 10.244.1.3/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-ONE -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.1.3:80',
    '-A KUBE-SEP-DNS -p udp -j DNAT --to-destination 10.244.0.2:53',
    `-A ${SVC_CHAIN} -m comment --comment "default/web -> 10.244.1.3:80" -j KUBE-SEP-ONE`,
    '-A KUBE-SVC-DNSDNSDNSDNSDNSD -j KUBE-SEP-DNS',
    'COMMIT',
  ].join('\n');

  it("iptables-save: the Service's KUBE-SERVICES rule, its KUBE-SVC chain and the KUBE-SEP chains it jumps to", () => {
    const t = trimEvidence({ kind: 'service-chains', clusterIP: '10.104.24.41', chains: [SVC_CHAIN] }, saved);
    expect(t.lines).toEqual([
      `-A KUBE-SERVICES -d 10.104.24.41/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j ${SVC_CHAIN}`,
      '-A KUBE-SEP-ONE -s 10.244.1.3/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-ONE -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.1.3:80',
      `-A ${SVC_CHAIN} -m comment --comment "default/web -> 10.244.1.3:80" -j KUBE-SEP-ONE`,
    ]);
    expect(t.note).toBeUndefined();
  });

  it('iptables-save without the jump: says the Service is not DNATed, and still shows its chain', () => {
    const noJump = saved.split('\n').filter((l) => !l.includes('10.104.24.41/32')).join('\n');
    const t = trimEvidence({ kind: 'service-chains', clusterIP: '10.104.24.41', chains: [SVC_CHAIN] }, noJump);
    expect(t.lines).toEqual([expect.stringMatching(/^-A KUBE-SEP-ONE -s/), expect.stringMatching(/^-A KUBE-SEP-ONE -p/), expect.stringMatching(`^-A ${SVC_CHAIN} `)]);
    expect(t.note).toMatch(/^no KUBE-SERVICES rule for 10\.104\.24\.41: packets to it are not DNATed/);
  });

  it('keeps a few lines and counts the rest', () => {
    const many = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    expect(trimEvidence({ kind: 'all' }, many)).toMatchObject({ lines: ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5'], omitted: 14 });
  });
});

describe('a command that fails on the node is evidence too, never a crash', () => {
  const birdc = { argv: ['birdc', '-s', '/etc/bird/bird.ctl', 'show', 'protocols'], why: 'the BGP sessions', trim: { kind: 'bgp-sessions' as const } };

  it('a non-zero exit: its first line of stderr', () => {
    expect(evidenceItem(birdc, { exitCode: 127, stdout: '', stderr: 'exec: birdc: not found\nmore\n' })).toEqual({
      command: 'birdc -s /etc/bird/bird.ctl show protocols',
      why: 'the BGP sessions',
      lines: [],
      omitted: 0,
      exitCode: 127,
      error: 'exit 127: exec: birdc: not found',
    });
  });

  it('one that could not run at all', () => {
    expect(evidenceItem(birdc, { error: 'node node-9 is not up' })).toMatchObject({ lines: [], error: 'node node-9 is not up' });
  });

  it('reads as text under the check', () => {
    const lines = evidenceLines({
      machine: 'node-2',
      kind: 'silent',
      items: [
        { command: 'ip route get 10.244.1.3', why: 'the route node-2 takes to 10.244.1.3', lines: ['10.244.1.3 via 10.0.2.2 dev eth0'], omitted: 0, exitCode: 0 },
        { ...evidenceItem(birdc, { exitCode: 1, stdout: '', stderr: 'Unable to connect to server control socket' }) },
        { command: 'bridge fdb show dev flannel.1', why: 'fdb', lines: [], omitted: 2, note: 'no fdb entry' },
      ],
    });
    expect(lines).toEqual([
      'evidence on node-2, where the path went wrong:',
      '  node-2$ ip route get 10.244.1.3   (the route node-2 takes to 10.244.1.3)',
      '    10.244.1.3 via 10.0.2.2 dev eth0',
      '  node-2$ birdc -s /etc/bird/bird.ctl show protocols   (the BGP sessions)',
      '    failed: exit 1: Unable to connect to server control socket',
      '  node-2$ bridge fdb show dev flannel.1   (fdb)',
      '    … 2 more lines',
      '    (no fdb entry)',
    ]);
  });
});
