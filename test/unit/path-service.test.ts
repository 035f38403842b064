// Traces to a ClusterIP: the prediction (one hop list per endpoint, every
// hop answering as the ClusterIP) and the grading of real traces captured in
// the netns lab, plus traces that must fail with the right hop named.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterFacts } from '../../src/core/facts.js';
import { predictPath } from '../../src/path/predict.js';
import { gradeTrace } from '../../src/check/grade.js';

const dir = join(import.meta.dirname, '../fixtures/traces/service');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const FACTS: ClusterFacts = JSON.parse(read('facts.json'));
const VIP = '10.104.24.41';

describe('predicting a trace to a ClusterIP', () => {
  it('lists the way to each endpoint, every hop answering as the ClusterIP', () => {
    const p = predictPath(FACTS, { kind: 'pod', name: 'tcp' }, { kind: 'address', ip: VIP });
    if (!p.ok) throw new Error(p.reason);
    expect(p.destination).toBe(VIP);
    expect(p.target).toBe(`Service default/web (${VIP})`);
    const alts = p.alternatives!.map((a) => [a.endpoint, a.node, a.hops.map((h) => h.address), a.hops.map((h) => h.node)]);
    expect(alts).toEqual([
      // node-1: the pod's node, node-1's eth1, the pod; each answering as the Service.
      ['10.244.1.3', 'node-1', [VIP, VIP, VIP], ['node-2', 'node-1', 'node-1']],
      // node-2: bridged straight to the pod after the DNAT, like a pod on the same bridge.
      ['10.244.2.2', 'node-2', [VIP], ['node-2']],
      ['10.244.2.3', 'node-2', [VIP], ['node-2']],
    ]);
    expect(p.notes.join('\n')).toMatch(/one of 3 endpoints of default\/web at random/);
    expect(p.notes.join('\n')).toMatch(/traceroute -T -p 80/);
  });

  it('from a node: the way from the node to each endpoint', () => {
    const p = predictPath(FACTS, { kind: 'node', name: 'node-1' }, { kind: 'address', ip: VIP });
    if (!p.ok) throw new Error(p.reason);
    expect(p.alternatives!.map((a) => a.hops.length)).toEqual([1, 2, 2]);
    expect(p.alternatives![1]!.hops[0]).toMatchObject({ address: VIP, node: 'node-2', interface: 'eth1' });
    expect(p.alternatives![1]!.hops[0]!.why).toMatch(/really 192\.168\.56\.12/);
  });

  it('refuses what cannot be predicted, saying why', () => {
    const host = predictPath(FACTS, { kind: 'host', name: 'host' }, { kind: 'address', ip: VIP });
    expect(host).toMatchObject({ ok: false });
    expect(!host.ok && host.reason).toMatch(/not a node.*NodePort/);
    const none = predictPath(FACTS, { kind: 'pod', name: 'tcp' }, { kind: 'address', ip: '10.96.7.7' });
    expect(!none.ok && none.reason).toMatch(/no Service in the cluster facts has it/);
    const empty = { ...FACTS, services: FACTS.services.map((s) => (s.name === 'web' ? { ...s, endpoints: [] } : s)) };
    const e = predictPath(empty, { kind: 'pod', name: 'tcp' }, { kind: 'address', ip: VIP });
    expect(!e.ok && e.reason).toMatch(/no ready endpoints.*REJECT/);
  });
});

describe('grading real traces to a ClusterIP', () => {
  it.each(['pod-tcp-1hop.txt', 'pod-tcp-2hops.txt', 'pod-tcp-3hops-q1.txt'])('passes %s from the netshoot pod on node-2', (file) => {
    const r = gradeTrace(FACTS, 'tcp', VIP, read(file));
    expect(r.verdict.diagnosis).toBeUndefined();
    expect(r.verdict.passed).toBe(true);
  });

  it('passes the 2-hop trace from node-1 and names the endpoints it fits', () => {
    const r = gradeTrace(FACTS, 'node/node-1', VIP, read('node-1-tcp-2hops.txt'));
    expect(r.verdict.passed).toBe(true);
    expect(r.verdict.notes?.[0]).toMatch(/answered at hop 2: the way to 10\.244\.2\.2 .* or 10\.244\.2\.3/);
  });

  it('fails busybox UDP probes at hop 1: they were never DNATed', () => {
    const r = gradeTrace(FACTS, 'client', VIP, read('pod-busybox-udp.txt'));
    expect(r.verdict.passed).toBe(false);
    expect(r.verdict.firstDifference).toBe(1);
    expect(r.verdict.diagnosis).toMatch(/10\.244\.2\.1.*an address of node-2: the probes were not DNATed/);
  });

  it('fails a trace that shows a pod address, and one longer than any path', () => {
    const toPod = read('pod-tcp-2hops.txt').replace(/ 2 {2}10\.104\.24\.41/, ' 2  10.244.1.3');
    const r = gradeTrace(FACTS, 'tcp', VIP, toPod);
    expect(r.verdict.passed).toBe(false);
    expect(r.verdict.diagnosis).toMatch(/pod address 10\.244\.1\.3/);
    const long = `${read('pod-tcp-3hops-q1.txt')} 4  10.104.24.41  0.050 ms\n`;
    const l = gradeTrace(FACTS, 'tcp', VIP, long);
    expect(l.verdict.passed).toBe(false);
    expect(l.verdict.firstDifference).toBe(4);
    // The same two hops from node-2 fit too: its way to 10.244.1.3 crosses node-1.
    expect(gradeTrace(FACTS, 'node/node-2', VIP, read('node-1-tcp-2hops.txt')).verdict.passed).toBe(true);
  });
});

describe('naming a Service as an endpoint', () => {
  it('svc/NAME and svc/NAMESPACE/NAME stand for its ClusterIP', async () => {
    const { resolveEndpoint } = await import('../../src/path/resolve.js');
    expect(resolveEndpoint(FACTS, 'svc/web')).toEqual({ kind: 'address', ip: VIP });
    expect(resolveEndpoint(FACTS, 'service/kube-system/kube-dns')).toEqual({ kind: 'address', ip: '10.96.0.10' });
    expect(() => resolveEndpoint(FACTS, 'svc/nope')).toThrow(/no Service nope with a ClusterIP in the cluster facts \(services: default\/kubernetes, default\/web/);
    expect(gradeTrace(FACTS, 'tcp', 'svc/web', read('pod-tcp-2hops.txt')).verdict.passed).toBe(true);
  });
});
