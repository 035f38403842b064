// The presenter's frame (pure): sized exactly to the terminal at 80×24 and
// larger, the commands typed out while running, the check table and the
// topology with the path lit up to the current hop once done; asciicast lines.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/labs/results.js';
import { castEvent, castHeader } from '../../src/present/cast.js';
import { presentFrame, type PresentState } from '../../src/present/frame.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { planLab } from '../../src/providers/netns/plan.js';

// eslint-disable-next-line no-control-regex
const plain = (l: string) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

const facts = labFacts(planLab('t', 'flannel-host-gw', 2), [
  { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', hostVeth: 'veth1' },
  { name: 'traceroute', namespace: 'default', node: 'node-2', ip: '10.244.2.2', hostVeth: 'veth2' },
]);

const hops: CheckResult = {
  id: 'trace',
  kind: 'hops',
  title: 'traceroute on node-2 reaches httpd on node-1',
  passed: true,
  summary: '3 hops as expected',
  hops: {
    from: 'pod/traceroute',
    to: 'pod/httpd',
    expected: [],
    expectedFrom: 'engine',
    notes: [],
    traceWarnings: [],
    verdict: { passed: true, hops: [{ ttl: 1, expected: { address: '10.244.2.1', node: 'node-2', interface: 'cni0', why: '' }, observed: ['10.244.2.1'], status: 'match' }] },
  },
};

function state(over: Partial<PresentState> = {}): PresentState {
  return {
    labTitle: 'Pod-to-pod traffic, hop by hop',
    mode: 'flannel-host-gw',
    step: 3,
    steps: 4,
    title: 'Pods on different nodes (cni0 + eth1 + cni0)',
    text: 'Now the traceroute pod runs on **node-2** while `httpd` stays on node-1.\n\n```\n 1  10.244.2.1\n```\n' + 'More text. '.repeat(80),
    log: [
      { kind: 'command', text: 'kubectl run traceroute --image=busybox' },
      { kind: 'output', text: 'pod/traceroute created' },
    ],
    checks: [],
    phase: 'running',
    facts,
    lit: 0,
    topology: false,
    status: 'running the step…',
    ...over,
  };
}

const path = {
  fromPod: 'traceroute',
  fromNode: 'node-2',
  hops: [
    { ttl: 1, address: '10.244.2.1', node: 'node-2' },
    { ttl: 2, address: '192.168.56.11', node: 'node-1' },
    { ttl: 3, address: '10.244.1.3' },
  ],
};

describe('presentFrame', () => {
  it.each([
    [80, 24],
    [160, 48],
  ])('fills %i×%i exactly, header bar first, status last', (cols, rows) => {
    const f = presentFrame(state(), cols, rows);
    expect(f).toHaveLength(rows);
    for (const l of f) expect(stringWidth(plain(l))).toBe(cols);
    expect(plain(f[0]!)).toContain('hoplab · Pod-to-pod traffic, hop by hop · flannel-host-gw · step 4/4');
    expect(plain(f.at(-1)!)).toContain('running the step…');
    const all = f.map(plain).join('\n');
    expect(all).toContain('4. Pods on different nodes');
    expect(all).toContain('$ kubectl run traceroute --image=busybox');
    expect(all).toContain('pod/traceroute created');
    // Long text is cut with … so the commands stay on screen.
    expect(all).toContain('…');
  });

  it('shows the keys when the bar has room', () => {
    expect(plain(presentFrame(state(), 160, 40)[0]!)).toContain('space/→ next · ← back · p pause · t topology · q quit');
  });

  it('once done: the check table, then the topology with the path lit up to the current hop', () => {
    const f1 = presentFrame(state({ phase: 'done', checks: [hops], path, lit: 1 }), 120, 50).map(plain).join('\n');
    expect(f1).toContain('✓ PASS  traceroute on node-2 reaches httpd on node-1: 3 hops as expected');
    expect(f1).toContain('┌ node-1');
    expect(f1).toContain('1▸ 10.244.2.1');
    expect(f1).not.toContain('2▸ 192.168.56.11');
    const f3 = presentFrame(state({ phase: 'done', checks: [hops], path, lit: 3 }), 120, 50).map(plain).join('\n');
    expect(f3).toContain('2▸ 192.168.56.11');
    expect(f3).toContain('3▸ 10.244.1.3 pod httpd');
  });

  it('at 80×24 the topology does not fit beside the checks: t shows it full-screen', () => {
    const done = state({ phase: 'done', checks: [hops, hops, hops], path, lit: 3 });
    expect(presentFrame(done, 80, 24).map(plain).join('\n')).toContain('t: the topology with the traced path');
    const topo = presentFrame({ ...done, topology: true }, 80, 24).map(plain).join('\n');
    expect(topo).toContain('path: 0▸ pod traceroute');
    // While the path lights, the topology takes the screen, under the first check.
    const lighting = presentFrame({ ...done, lit: 2, lighting: true }, 80, 24).map(plain).join('\n');
    expect(lighting).toContain('✓ PASS  traceroute on node-2');
    expect(lighting).toContain('2▸ 192.168.56.11');
  });

  it('has an end screen', () => {
    const f = presentFrame(state({ phase: 'end', status: '4 steps shown' }), 80, 24).map(plain);
    expect(f.join('\n')).toContain('Pod-to-pod traffic, hop by hop: the end');
    expect(f).toHaveLength(24);
  });
});

describe('asciicast v2', () => {
  it('writes a header and [time, "o", data] events', () => {
    expect(castHeader(80, 24, 'demo', 1_700_000_000_500)).toEqual({ version: 2, width: 80, height: 24, timestamp: 1_700_000_000, title: 'demo', env: { TERM: 'xterm-256color' } });
    expect(JSON.parse(castEvent(1.2345678, '\x1b[Hhi'))).toEqual([1.234568, 'o', '\x1b[Hhi']);
  });
});
