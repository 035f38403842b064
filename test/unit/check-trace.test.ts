import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../src/core/facts.js';
import { UsageError } from '../../src/core/errors.js';
import { checkTrace } from '../../src/check/check.js';
import { gradeTrace } from '../../src/check/grade.js';
import type { PathPrediction, TraceVerdict } from '../../src/path/types.js';
import { parseTrace } from '../../src/trace/parse.js';

const DIR = join(import.meta.dirname, '../fixtures/traces');
const read = (rel: string) => readFileSync(join(DIR, rel), 'utf8');
const SEED: ClusterFacts = JSON.parse(read('seed-cluster-facts.json'));
// The topology capture.sh built when it recorded real/: node-3 owns 10.244.3.0/24 but drops it.
const REAL: ClusterFacts = JSON.parse(read('real/facts.json'));

const statuses = (v: TraceVerdict) => v.hops.map((h) => `${h.ttl}:${h.status}`).join(' ');
const grade = (facts: ClusterFacts, from: string, to: string, file: string) => gradeTrace(facts, from, to, read(file)).verdict;

describe("the seed's own traces pass on the seed cluster", () => {
  it.each([
    ['traceroute', 'httpd', 'seed/000-cross-node.txt', '1:match 2:match 3:match'],
    ['traceroute', 'httpd', 'seed/000-cross-node-pasted.txt', '1:match 2:match 3:match'],
    ['traceroute-local', 'httpd', 'seed/000-same-node.txt', '1:match'],
    ['controlplane', 'node-1', 'seed/000-controlplane-to-node-1.txt', '1:match'],
    ['controlplane', 'node-2', 'seed/000-controlplane-to-node-2.txt', '1:match'],
  ])('%s → %s (%s)', (from, to, file, rows) => {
    const v = grade(SEED, from, to, file);
    expect(v.passed).toBe(true);
    expect(statuses(v)).toBe(rows);
    expect(v.firstDifference).toBeUndefined();
    expect(v.diagnosis).toBeUndefined();
  });

  it('mentions the article text it skipped in the pasted seed', () => {
    expect(grade(SEED, 'traceroute', 'httpd', 'seed/000-cross-node-pasted.txt').notes).toEqual([
      expect.stringMatching(/^the parser skipped 1 line it could not read \(line 11: not a hop line/),
    ]);
  });
});

describe('held-back wrong traces fail at the right hop with the right cause', () => {
  it('via the NAT router: 10.0.2.2 at hop 2', () => {
    const v = grade(SEED, 'traceroute', 'httpd', 'held-back/via-nat-router.txt');
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBe(2);
    expect(statuses(v)).toBe('1:match 2:mismatch 3:no-answer 4:no-answer 5:no-answer 6:no-answer 7:no-answer 8:no-answer');
    expect(v.diagnosis).toBe(
      "hop 2 is 10.0.2.2, where 192.168.56.11 (eth1 on node-1) was expected: 10.0.2.2 is node-2's default gateway on eth0, the NAT side. " +
        "The packet left node-2 through the NAT interface eth0 instead of eth1: the CNI or the route uses eth0, not eth1 (flannel's --iface, the node's InternalIP). " +
        'node-2 has no route for 10.244.1.0/24 via 192.168.56.11 on eth1, so it used its default route.',
    );
  });

  it('via the NAT router, with the router in the facts', () => {
    const facts: ClusterFacts = {
      ...SEED,
      hosts: [...SEED.hosts, { name: 'nat-node-2', role: 'nat-router', serves: 'node-2', interfaces: [{ name: 'lan', address: '10.0.2.2', prefixLength: 24 }] }],
    };
    const v = grade(facts, 'traceroute', 'httpd', 'held-back/via-nat-router.txt');
    expect(v.firstDifference).toBe(2);
    expect(v.diagnosis).toMatch(/^hop 2 is 10\.0\.2\.2, .*: 10\.0\.2\.2 is nat-node-2, the NAT router\. The packet left node-2 through the NAT interface eth0/);
  });

  it('via the wrong node: 192.168.56.12 where .11 was expected', () => {
    const v = grade(SEED, 'client', 'httpd', 'held-back/via-wrong-node-from-controlplane.txt');
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBe(2);
    expect(statuses(v)).toBe('1:match 2:mismatch 3:mismatch 4:extra');
    expect(v.diagnosis).toBe(
      'hop 2 is 192.168.56.12, where 192.168.56.11 (eth1 on node-1) was expected: 192.168.56.12 is eth1 of node-2. ' +
        'The route to 10.244.1.0/24 on controlplane points at the wrong node: controlplane owns 10.244.0.0/24, node-1 owns 10.244.1.0/24, node-2 owns 10.244.2.0/24. ' +
        'Check `ip route` on controlplane: 10.244.1.0/24 should be via 192.168.56.11 (node-1).',
    );
  });

  it('via the wrong node from node-2: the control plane at hop 2', () => {
    const v = grade(SEED, 'traceroute', 'httpd', 'held-back/via-wrong-node-from-node-2.txt');
    expect(v.firstDifference).toBe(2);
    expect(v.diagnosis).toMatch(/^hop 2 is 192\.168\.56\.10, where 192\.168\.56\.11 \(eth1 on node-1\) was expected: 192\.168\.56\.10 is eth1 of controlplane\. The route to 10\.244\.1\.0\/24 on node-2 points at the wrong node/);
  });

  it('dying at the gateway: 10.244.2.1, then * * * to the end', () => {
    const v = grade(SEED, 'traceroute', 'httpd', 'held-back/dies-at-gateway.txt');
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBe(2);
    expect(v.hops).toHaveLength(30);
    expect(v.hops.slice(0, 3).map((h) => h.status)).toEqual(['match', 'no-answer', 'no-answer']);
    expect(v.diagnosis).toBe(
      'the trace dies after hop 1, 10.244.2.1 (cni0 on node-2): nothing answers from hop 2 on, where 192.168.56.11 (eth1 on node-1) was expected. ' +
        "The trace ends at the source node's gateway: node-2 has no working route to 10.244.1.0/24 (node-1's pod CIDR), or node-1 does not answer. " +
        'Check `ip route` on node-2 for 10.244.1.0/24 via 192.168.56.11. ' +
        'A cold neighbour cache or ICMP rate limiting can also swallow answers (traceroute sends many probes at once): warm the path with a ping, wait a few seconds, and trace again.',
    );
  });

  it('a correct trace with a cold-cache * in the middle passes', () => {
    const v = grade(SEED, 'traceroute', 'httpd', 'held-back/cold-cache-star-passes.txt');
    expect(v.passed).toBe(true);
    expect(statuses(v)).toBe('1:match 2:no-answer 3:match');
    expect(v.notes).toEqual([expect.stringMatching(/^hop 2 did not answer \(\*\): not a mismatch, the hops after it answered\. A cold neighbour cache/)]);
  });
});

// Every real output, graded against the topology it was captured on.
const REAL_TABLE: [file: string, from: string, to: string, firstDifference: number | undefined, diagnosis?: RegExp][] = [
  ['real/gnu-cold-cache.txt', 'traceroute', 'httpd', undefined],
  ['real/gnu-cross-node.txt', 'traceroute', 'httpd', undefined],
  ['real/gnu-cross-node-names.txt', 'traceroute', 'httpd', undefined],
  ['real/gnu-ratelimited.txt', 'traceroute', 'httpd', undefined],
  ['real/gnu-partial-stars.txt', 'traceroute', 'httpd', undefined],
  ['real/busybox-partial-stars.txt', 'traceroute', 'httpd', undefined],
  ['real/busybox-cross-node.txt', 'traceroute', 'httpd', undefined],
  ['real/busybox-cross-node-n.txt', 'traceroute', 'httpd', undefined],
  ['real/tracepath-cross-node.txt', 'traceroute', 'httpd', undefined],
  ['real/tracepath-cross-node-names.txt', 'traceroute', 'httpd', undefined],
  ['real/tracepath-both.txt', 'traceroute', 'httpd', undefined],
  ['real/mtr-report-n.txt', 'traceroute', 'httpd', undefined],
  ['real/mtr-report-names.txt', 'traceroute', 'httpd', undefined],
  ['real/mtr-report-both.txt', 'traceroute', 'httpd', undefined],
  ['real/gnu-node-to-node.txt', 'node-2', 'node-1', undefined],
  ['real/tracepath-node-to-node.txt', 'node-2', 'node-1', undefined],
  ['real/mtr-node-to-node.txt', 'node-2', 'node-1', undefined],
  ['real/gnu-same-subnet-pod.txt', 'httpd', '10.244.1.1', undefined],
  ['real/busybox-same-node.txt', 'httpd', '10.244.1.1', undefined],
  ['real/gnu-internet.txt', 'traceroute', '198.51.100.7', undefined],
  ['real/tracepath-internet.txt', 'traceroute', '198.51.100.7', undefined],
  ['real/mtr-report-wide.txt', 'traceroute', '198.51.100.7', undefined],
  ['real/gnu-dies-after-gateway.txt', 'traceroute', '10.244.3.7', 2, /^the trace dies after hop 1, 10\.244\.2\.1 \(cni0 on node-2\): .* node-2 has no working route to 10\.244\.3\.0\/24 \(node-3's pod CIDR\)/],
  ['real/busybox-dies-after-gateway.txt', 'traceroute', '10.244.3.7', 2, /^the trace dies after hop 1, 10\.244\.2\.1 .*10\.244\.3\.0\/24 \(node-3's pod CIDR\)/],
  ['real/tracepath-dies-after-gateway.txt', 'traceroute', '10.244.3.7', 2, /^the trace dies after hop 1, 10\.244\.2\.1 .*10\.244\.3\.0\/24 \(node-3's pod CIDR\)/],
  ['real/mtr-dies-after-gateway.txt', 'traceroute', '10.244.3.7', 2, /^the trace dies after hop 1, 10\.244\.2\.1 .*10\.244\.3\.0\/24 \(node-3's pod CIDR\)/],
  ['real/gnu-arp-fail-H.txt', 'traceroute', '10.244.4.1', 2, /^the trace dies after hop 1, 10\.244\.2\.1 .*node-2 has no working route to 10\.244\.4\.1/],
  ['real/gnu-unreachable-H.txt', 'traceroute', '10.244.7.1', 2, /^the trace stops at hop 1 \(10\.244\.2\.1\) before reaching 10\.244\.7\.1, which was expected at hop 2: 10\.244\.2\.1 answered !H: !H is "host unreachable"/],
  ['real/busybox-unreachable-H.txt', 'traceroute', '10.244.7.1', 2, /answered !H: !H is "host unreachable"/],
  ['real/tracepath-unreachable-H.txt', 'traceroute', '10.244.7.1', 2, /answered !H: !H is "host unreachable"/],
  ['real/gnu-prohibited-X.txt', 'traceroute', '10.244.8.1', 2, /answered !X: !X is "communication administratively prohibited"/],
  ['real/gnu-net-unreachable-N.txt', 'traceroute', '10.244.6.1', 2, /^hop 2 is 10\.244\.2\.1, where 10\.0\.2\.2 \(lan on nat\) was expected: 10\.244\.2\.1 did not pass the probe on but answered it with an error\. 10\.244\.2\.1 answered !N: !N is "network unreachable"/],
  ['real/gnu-proto-unreachable-P.txt', 'traceroute', '10.244.5.1', 2, /answered !P: !P is "protocol unreachable"/],
  ['real/gnu-frag-needed-F.txt', 'traceroute', 'httpd', 3, /^hop 3 is 192\.168\.56\.11, where 10\.244\.1\.3 \(eth0 of pod httpd on node-1\) was expected: .* answered !F-1400: .*the path MTU there is 1400 bytes/],
];

describe('real tool output graded against the topology it came from', () => {
  it.each(REAL_TABLE)('%s: %s → %s', (file, from, to, firstDifference, diagnosis) => {
    const v = grade(REAL, from, to, file);
    expect(v.passed).toBe(firstDifference === undefined);
    expect(v.firstDifference).toBe(firstDifference);
    if (diagnosis) expect(v.diagnosis).toMatch(diagnosis);
    else expect(v.diagnosis).toBeUndefined();
  });

  it('grades every real fixture except the ECMP ones, which need a prediction of their own', () => {
    const graded = new Set(REAL_TABLE.map(([f]) => f));
    const onDisk = readdirSync(join(DIR, 'real')).filter((f) => f.endsWith('.txt') && f !== 'COMMANDS.txt').map((f) => `real/${f}`);
    expect(onDisk.filter((f) => !graded.has(f))).toEqual([
      'real/busybox-ecmp.txt',
      'real/gnu-ecmp-names-ratelimited.txt',
      'real/gnu-ecmp-names.txt',
      'real/gnu-ecmp.txt',
      'real/mtr-ecmp.txt',
    ]);
  });

  it('explains a destination that answers late after silent hops (ICMP rate limit)', () => {
    const v = grade(REAL, 'traceroute', 'httpd', 'real/gnu-ratelimited.txt');
    expect(statuses(v)).toBe('1:match 2:match 3:no-answer 4:no-answer 5:no-answer 6:no-answer 7:no-answer 8:match');
    expect(v.hops[4]!.expected?.address).toBe('10.244.1.3');
    expect(v.notes).toEqual([expect.stringMatching(/^hops 3-7 did not answer and the destination answered at hop 8: .*rate-limits.*fits the predicted 3 hops/)]);
  });

  it('notes hops that answered with a name it cannot map, and compares the ones it can', () => {
    const v = grade(REAL, 'traceroute', 'httpd', 'real/mtr-report-names.txt');
    expect(v.hops.map((h) => [h.observed, h.status])).toEqual([
      [['cni0.node-2'], 'no-answer'],
      [['192.168.56.11'], 'match'],
      [['10.244.1.3'], 'match'],
    ]);
    expect(v.notes).toEqual([expect.stringMatching(/^hop 1 answered with a name only \(cni0\.node-2\).*run the tool with -n/)]);
  });

  it('lets a many-hop stretch absorb unseen routers and silent ones', () => {
    const v = grade(REAL, 'traceroute', '198.51.100.7', 'real/gnu-internet.txt');
    expect(statuses(v)).toBe('1:match 2:match 3:match');
    const longer = gradeTrace(REAL, 'traceroute', '198.51.100.7', [
      'traceroute to 198.51.100.7 (198.51.100.7), 30 hops max, 60 byte packets',
      ' 1  10.244.2.1  0.1 ms',
      ' 2  10.0.2.2  0.2 ms',
      ' 3  192.0.2.1  1.0 ms',
      ' 4  * * *',
      ' 5  192.0.2.77  3.0 ms',
      ' 6  198.51.100.7  4.0 ms',
    ].join('\n')).verdict;
    expect(longer.passed).toBe(true);
    expect(statuses(longer)).toBe('1:match 2:match 3:match 4:no-answer 5:match 6:match');
    expect(longer.hops[3]!.expected).toMatchObject({ address: null, many: true });
  });
});

describe('ECMP: several addresses on one hop match if any is expected', () => {
  const ecmp = (second: string): PathPrediction => ({
    ok: true,
    destination: '198.18.0.1',
    notes: [],
    sourceNode: 'node-2',
    hops: [
      { address: '10.244.2.1', interface: 'cni0', node: 'node-2', why: 'gateway' },
      { address: second, interface: 'eth1', why: 'one of two next hops' },
      { address: '198.18.0.1', why: 'destination' },
    ],
  });
  const check = (file: string, second: string) => checkTrace(ecmp(second), parseTrace(read(file)), REAL);

  it.each(['real/gnu-ecmp.txt', 'real/gnu-ecmp-names.txt', 'real/mtr-ecmp.txt'])('%s matches either next hop', (file) => {
    expect(check(file, '192.168.56.11').passed).toBe(true);
    expect(check(file, '192.168.56.13').passed).toBe(true);
    expect(check(file, '192.168.56.11').hops[1]!.observed).toEqual(['192.168.56.11', '192.168.56.13']);
  });

  it('busybox saw only one of them: the other fails at hop 2', () => {
    expect(check('real/busybox-ecmp.txt', '192.168.56.13').passed).toBe(true);
    const v = check('real/busybox-ecmp.txt', '192.168.56.11');
    expect(v.firstDifference).toBe(2);
    expect(v.diagnosis).toMatch(/^hop 2 is 192\.168\.56\.13, where 192\.168\.56\.11 \(eth1\) was expected: 192\.168\.56\.13 is eth1 of node-3/);
  });

  it('a rate-limited ECMP trace with silent hops before and after still passes', () => {
    const v = check('real/gnu-ecmp-names-ratelimited.txt', '192.168.56.11');
    expect(v.passed).toBe(true);
    expect(statuses(v)).toBe('1:no-answer 2:match 3:no-answer 4:no-answer 5:match');
  });
});

describe('other ways a trace can differ', () => {
  const pred = (facts = SEED) => gradeTrace(facts, 'traceroute', 'httpd', '').prediction;

  it('a trace to another address than asked', () => {
    const text = 'traceroute to 10.244.1.2 (10.244.1.2), 30 hops max, 46 byte packets\n 1  10.244.2.1  0.1 ms\n 2  192.168.56.11  1 ms\n 3  10.244.1.2  1 ms\n';
    const v = checkTrace(pred(), parseTrace(text), SEED);
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBeUndefined();
    expect(v.diagnosis).toBe(
      'destination mismatch: the trace went to 10.244.1.2 (pod nginx on node-1), but the prediction is for pod httpd on node-1 (10.244.1.3). Trace 10.244.1.3, or check against 10.244.1.2.',
    );
  });

  it('an extra router in the middle: the first differing hop, then the extra one', () => {
    const text = ' 1  10.244.2.1  0.1 ms\n 2  192.168.56.11  1 ms\n 3  172.16.0.1  1 ms\n 4  10.244.1.3  1 ms\n';
    const v = checkTrace(pred(), parseTrace(text), SEED);
    expect(statuses(v)).toBe('1:match 2:match 3:mismatch 4:extra');
    expect(v.firstDifference).toBe(3);
    expect(v.diagnosis).toBe('hop 3 is 172.16.0.1, where 10.244.1.3 (eth0 of pod httpd on node-1) was expected: no node, pod or host in the cluster facts holds 172.16.0.1.');
  });

  it('a trace cut short without an error answer', () => {
    const v = checkTrace(pred(), parseTrace(read('synthetic/cut-short.txt')), SEED);
    expect(statuses(v)).toBe('1:match 2:match 3:missing');
    expect(v.firstDifference).toBe(3);
    expect(v.diagnosis).toBe('the trace stops at hop 2 (192.168.56.11) before reaching 10.244.1.3; hop 3, 10.244.1.3 (eth0 of pod httpd on node-1), is missing: the output was cut short, or the hop limit (-m) was reached.');
  });

  it('a pod on the same node reached through its node instead of the bridge', () => {
    const text = ' 1  10.244.1.1  0.1 ms\n 2  10.244.1.3  0.2 ms\n';
    const v = gradeTrace(SEED, 'traceroute-local', 'httpd', text).verdict;
    expect(v.firstDifference).toBe(1);
    expect(v.diagnosis).toMatch(/^hop 1 is 10\.244\.1\.1, where 10\.244\.1\.3 \(eth0 of pod httpd on node-1\) was expected: 10\.244\.1\.1 is cni0 of node-1\. The packet was routed through node-1 instead of reaching pod httpd straight over the bridge/);
  });

  it('silence from the very first hop', () => {
    const v = checkTrace(pred(), parseTrace(' 1  * * *\n 2  * * *\n 3  * * *\n 4  * * *\n'), SEED);
    expect(v.firstDifference).toBe(1);
    expect(v.diagnosis).toMatch(/^nothing answered at all, not even hop 1, where 10\.244\.2\.1 \(cni0 on node-2\) was expected/);
  });

  it('a destination pod that does not answer', () => {
    const v = checkTrace(pred(), parseTrace(' 1  10.244.2.1  0.1 ms\n 2  192.168.56.11  1 ms\n 3  * * *\n 4  * * *\n'), SEED);
    expect(v.firstDifference).toBe(3);
    expect(v.diagnosis).toMatch(/^the trace dies after hop 2, 192\.168\.56\.11 \(eth1 on node-1\): .* The packets reached node-1, but the destination pod httpd did not answer: is it running\?/);
  });

  it('a trace that could not be read', () => {
    const v = checkTrace(pred(), parseTrace(read('synthetic/garbage.txt')), SEED);
    expect(v).toEqual({
      passed: false,
      hops: [],
      diagnosis: expect.stringMatching(/^the trace could not be read as GNU or busybox traceroute, tracepath or mtr --report output: no line looks like/),
    });
  });

  it('no prediction to check against', () => {
    const v = gradeTrace({ ...SEED, cni: 'weave' }, 'traceroute', 'httpd', read('seed/000-cross-node.txt')).verdict;
    expect(v).toEqual({ passed: false, hops: [], diagnosis: 'no prediction to check against: no prediction for CNI weave: hoplab predicts paths for flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp' });
  });

  it('an explicit any-address hop matches whatever answers', () => {
    const p: PathPrediction = { ok: true, destination: '10.0.0.9', notes: [], hops: [{ address: null, why: 'any' }, { address: '10.0.0.9', why: 'dest' }] };
    expect(checkTrace(p, parseTrace(' 1  10.7.7.7  1 ms\n 2  10.0.0.9  1 ms\n'), SEED).passed).toBe(true);
  });

  it('does not change its inputs', () => {
    const p = pred();
    const t = parseTrace(read('held-back/via-nat-router.txt'));
    const before = JSON.stringify([p, t, SEED]);
    checkTrace(p, t, SEED);
    expect(JSON.stringify([p, t, SEED])).toBe(before);
  });
});

describe('gradeTrace', () => {
  it('returns every piece', () => {
    const r = gradeTrace(SEED, 'pod/traceroute', '10.244.1.3', read('seed/000-cross-node.txt'));
    expect(r.from).toEqual({ kind: 'pod', name: 'traceroute', namespace: 'default' });
    expect(r.to).toEqual({ kind: 'pod', name: 'httpd', namespace: 'default' });
    expect(r.prediction.ok).toBe(true);
    expect(r.trace.format).toBe('busybox');
    expect(r.verdict.passed).toBe(true);
  });

  it('throws a usage error naming what exists for an unknown endpoint', () => {
    expect(() => gradeTrace(SEED, 'tracerout', 'httpd', '')).toThrow(UsageError);
    expect(() => gradeTrace(SEED, 'traceroute', 'node/node-9', '')).toThrow(/no node node-9 in the cluster facts \(nodes: controlplane, node-1, node-2\)/);
  });
});

describe('NAT-side addresses', () => {
  it('names 10.0.2.15 as the eth0 address every VirtualBox node shares', () => {
    const text = ' 1  10.244.2.1  0.1 ms\n 2  10.0.2.15  1 ms\n 3  * * *\n';
    const v = gradeTrace(SEED, 'traceroute', 'httpd', text).verdict;
    expect(v.firstDifference).toBe(2);
    expect(v.diagnosis).toMatch(
      /^hop 2 is 10\.0\.2\.15, where 192\.168\.56\.11 \(eth1 on node-1\) was expected: 10\.0\.2\.15 is the eth0 address every node has \(VirtualBox NAT gives each guest the same one\), the NAT side\. The packet left node-2 through the NAT interface eth0 instead of eth1/,
    );
  });

  it('names any other 10.0.2.x as the NAT subnet', () => {
    const v = gradeTrace(SEED, 'traceroute', 'httpd', ' 1  10.244.2.1  0.1 ms\n 2  10.0.2.3  1 ms\n').verdict;
    expect(v.diagnosis).toMatch(/10\.0\.2\.3 is an address on node-2's eth0 subnet, the NAT side\. The packet left node-2 through the NAT interface eth0/);
  });
});

describe('a destination that answers with an error', () => {
  it('passes, since the path is right, and says what the answer means', () => {
    const v = gradeTrace(SEED, 'traceroute', 'httpd', ' 1  10.244.2.1  0.1 ms\n 2  192.168.56.11  1 ms\n 3  10.244.1.3  1 ms !X  1 ms !X\n').verdict;
    expect(v.passed).toBe(true);
    expect(v.notes).toEqual(['the destination answered !X: !X is "communication administratively prohibited": a firewall rule (a NetworkPolicy?) or a `prohibit` route rejects it']);
  });
});

describe('a destination shown only by a name the facts do not know', () => {
  it('fails without pretending to know the hop, and says to use -n', () => {
    const text = ' 1?: [LOCALHOST]  pmtu 1500\n 1:  10.244.2.1  0.05ms\n 2:  192.168.56.11  0.1ms\n 3:  web-7d9f.example  0.2ms reached\n     Resume: pmtu 1500 hops 3 back 3\n';
    const v = gradeTrace(SEED, 'traceroute', 'httpd', text).verdict;
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBeUndefined();
    expect(v.diagnosis).toBe('the trace never shows 10.244.1.3 answering: some hops answered with names only, run the tool with -n');
  });
});
