import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../src/core/facts.js';
import { formatVerdict } from '../../src/check/format.js';
import { gradeTrace } from '../../src/check/grade.js';

const DIR = join(import.meta.dirname, '../fixtures/traces');
const read = (rel: string) => readFileSync(join(DIR, rel), 'utf8');
const SEED: ClusterFacts = JSON.parse(read('seed-cluster-facts.json'));
const ANSI = /\u001b\[[0-9;]*m/;

describe('formatVerdict', () => {
  it('prints a passing trace as a table with ticks', () => {
    const text = formatVerdict(gradeTrace(SEED, 'traceroute', 'httpd', read('seed/000-cross-node.txt')), { color: false });
    expect(text).toBe(
      [
        'trace (busybox) from pod traceroute on node-2 to pod httpd on node-1 (10.244.1.3)',
        'TTL  expected                                  observed',
        '  1  10.244.2.1     (cni0, node-2)             10.244.2.1     ✓',
        '  2  192.168.56.11  (eth1, node-1)             192.168.56.11  ✓',
        '  3  10.244.1.3     (eth0, pod httpd, node-1)  10.244.1.3     ✓',
        'PASS: the trace follows the predicted path to 10.244.1.3',
      ].join('\n'),
    );
  });

  it('marks the wrong hop with a cross and a word, and ends with the diagnosis', () => {
    const text = formatVerdict(gradeTrace(SEED, 'traceroute', 'httpd', read('held-back/via-nat-router.txt')), { color: false });
    const lines = text.split('\n');
    expect(lines[3]).toBe('  2  192.168.56.11  (eth1, node-1)             10.0.2.2    ✗ wrong');
    expect(lines[4]).toBe('  3  10.244.1.3     (eth0, pod httpd, node-1)  *           · no answer');
    expect(lines[5]).toBe('4-8  -                                         *           · no answer (5 hops)');
    expect(lines[6]).toMatch(/^FAIL at hop 2: hop 2 is 10\.0\.2\.2, where 192\.168\.56\.11 \(eth1 on node-1\) was expected/);
    expect(text).not.toMatch(ANSI);
  });

  it('folds a long silent tail into one row', () => {
    const text = formatVerdict(gradeTrace(SEED, 'traceroute', 'httpd', read('held-back/dies-at-gateway.txt')), { color: false });
    expect(text.split('\n')).toHaveLength(7);
    expect(text).toContain('4-30  -                                         *           · no answer (27 hops)');
  });

  it('shows missing hops and unseen routers', () => {
    const missing = formatVerdict(gradeTrace(SEED, 'traceroute', 'httpd', read('synthetic/cut-short.txt')), { color: false });
    expect(missing).toContain('  3  10.244.1.3     (eth0, pod httpd, node-1)  -              ✗ missing');
    const internet = formatVerdict(gradeTrace(SEED, 'node-2', '8.8.8.8', ' 1  10.0.2.2  1 ms\n 2  192.0.2.1  2 ms\n 3  8.8.8.8  3 ms\n'), { color: false });
    expect(internet).toContain('  2  (any routers)  192.0.2.1  ✓');
    expect(internet).toContain('note: 10.0.2.2 is not in the lab facts');
  });

  it('prints the reason when there is nothing to tabulate', () => {
    const text = formatVerdict(gradeTrace(SEED, 'traceroute', 'httpd', 'no trace here'), { color: false });
    expect(text).toBe(
      'trace from pod traceroute on node-2 to pod httpd on node-1 (10.244.1.3)\n' +
        'FAIL: the trace could not be read as GNU or busybox traceroute, tracepath or mtr --report output: no line looks like traceroute, tracepath or mtr --report output (read 1 line); line 1: not trace output: "no trace here"',
    );
    const none = formatVerdict(gradeTrace({ ...SEED, cni: 'weave' }, 'traceroute', 'httpd', read('seed/000-cross-node.txt')), { color: false });
    expect(none).toBe('trace (busybox) from pod traceroute to pod httpd\nFAIL: no prediction to check against: no prediction for CNI weave: hoplab predicts paths for flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp');
  });

  it('colours only when asked, and the words survive without colour', () => {
    const r = gradeTrace(SEED, 'traceroute', 'httpd', read('held-back/via-nat-router.txt'));
    const coloured = formatVerdict(r, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatVerdict(r, { color: false }));
  });
});
