// The topology drawing: a pure function of facts, path and width.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../src/core/facts.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { drawTopology, lineText } from '../../src/topology/text.js';
import { lightPath, pathFromVerdict, type TracedPath } from '../../src/topology/path.js';
import { TopologyView } from '../../src/ui/TopologyView.js';
import { tick } from './fakes.js';

const seedFacts = (workers = 2): ClusterFacts =>
  labFacts(planLab('t', 'flannel-host-gw', workers), [
    { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', hostVeth: 'veth1a2b' },
    { name: 'traceroute', namespace: 'default', node: 'node-2', ip: '10.244.2.2', hostVeth: 'veth9f9f' },
  ]);

// The seed article's cross-node trace.
const seedPath: TracedPath = {
  fromPod: 'traceroute',
  fromNode: 'node-2',
  hops: [
    { ttl: 1, address: '10.244.2.1', node: 'node-2', status: 'match' },
    { ttl: 2, address: '192.168.56.11', node: 'node-1', status: 'match' },
    { ttl: 3, address: '10.244.1.3', status: 'match' },
  ],
};

const text = (facts: ClusterFacts, width: number, path?: TracedPath) => drawTopology(facts, { width, ...(path ? { path } : {}) }).map(lineText);

describe('drawTopology', () => {
  it('draws nodes with eth0/eth1/cni0, pods on their nodes, NAT routers and the host-only switch', () => {
    const lines = text(seedFacts(), 100);
    const all = lines.join('\n');
    expect(all).toContain('┌ node-1 ');
    expect(all).toMatch(/eth0\s+10\.0\.2\.15\/24/);
    expect(all).toMatch(/eth1\s+192\.168\.56\.11\/24/);
    expect(all).toMatch(/cni0\s+10\.244\.2\.1\/24/);
    expect(all).toContain('└ pod httpd 10.244.1.3');
    expect(all).toContain('veth1a2b ⇄ eth0');
    expect(all).toContain('NAT 10.0.2.2 ⇄ internet');
    expect(all).toContain('host-only switch 192.168.56.0/24 · host 192.168.56.1');
    expect(all).toContain('registry 203.0.113.100');
    // httpd is drawn inside node-1's column, not node-2's.
    const row = lines.find((l) => l.includes('pod httpd'))!;
    const header = lines.find((l) => l.includes('┌ node-1'))!;
    expect(Math.abs(row.indexOf('pod httpd') - header.indexOf('node-1'))).toBeLessThan(10);
  });

  it('fits 100×30 for the seed cluster, every line at most the width', () => {
    const lines = text(seedFacts(), 100, seedPath);
    expect(lines.length).toBeLessThanOrEqual(30);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('reflows to fewer columns on a narrow terminal', () => {
    const wide = text(seedFacts(), 100);
    const narrow = text(seedFacts(), 60);
    expect(wide.filter((l) => l.includes('┌')).length).toBe(1); // one band of three boxes
    expect(narrow.filter((l) => l.includes('┌')).length).toBe(2); // two bands
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(60);
  });

  it('lights the traced path hop by hop with numbered markers that need no colour', () => {
    const lines = text(seedFacts(), 100, seedPath);
    expect(lines.some((l) => /0▸ └ pod traceroute/.test(l))).toBe(true);
    expect(lines.some((l) => /1▸ cni0\s+10\.244\.2\.1/.test(l))).toBe(true);
    expect(lines.some((l) => /2▸ eth1\s+192\.168\.56\.11/.test(l))).toBe(true);
    expect(lines.some((l) => /3▸ └ pod httpd/.test(l))).toBe(true);
    expect(lines.join('\n')).toContain('path: 0▸ pod traceroute → 1▸ 10.244.2.1 cni0@node-2 → 2▸ 192.168.56.11 eth1@node-1 →');
    // The lit segments carry the path tone, so colour terminals show it too.
    const segs = drawTopology(seedFacts(), { width: 100, path: seedPath }).flat();
    expect(segs.find((s) => s.text.startsWith('2▸'))?.tone).toBe('path');
  });

  it('marks a wrong hop with ✗, and places the NAT router hop on the source node', () => {
    const wrong: TracedPath = { fromNode: 'node-2', hops: [{ ttl: 1, address: '10.0.2.2', status: 'mismatch' }, { ttl: 2, address: '198.51.100.7', status: 'extra' }] };
    const { lit, unplaced, labels } = lightPath(seedFacts(), wrong);
    expect([...lit.keys()]).toEqual(['if:nat-node-2:lan']);
    expect(unplaced.map((h) => h.address)).toEqual(['198.51.100.7']);
    expect(labels.get(1)).toBe('lan@nat-node-2');
    const all = text(seedFacts(), 100, wrong).join('\n');
    expect(all).toContain('1✗ NAT 10.0.2.2');
    expect(all).toContain('(1 hop not in the lab)');
  });

  it('shows tunnel devices and calico-style links when the facts have them', () => {
    const f = seedFacts();
    f.cni = 'calico-vxlan';
    f.nodes[1]!.interfaces.push({ name: 'vxlan.calico', address: '10.244.1.0', prefixLength: 32 }, { name: 'cali0123456789a' }, { name: 'cali0123456789b' });
    f.pods[0]!.hostVeth = 'cali0123456789a';
    const all = text(f, 100).join('\n');
    expect(all).toContain('vxlan.calico 10.244.1.0/32');
    expect(all).toContain('cali0123456789a ⇄ eth0');
    expect(all).toContain('+1 veth/cali links');
  });

  it('pathFromVerdict takes the first observed address of each hop and the expected node', () => {
    const p = pathFromVerdict(
      { passed: false, hops: [{ ttl: 1, observed: ['10.244.2.1', '10.244.2.9'], status: 'match', expected: { address: '10.244.2.1', node: 'node-2', why: '' } }, { ttl: 2, observed: [], status: 'no-answer' }] },
      { pod: 'traceroute' },
    );
    expect(p).toEqual({ fromPod: 'traceroute', hops: [{ ttl: 1, address: '10.244.2.1', node: 'node-2', status: 'match' }, { ttl: 2, address: null, status: 'no-answer' }] });
  });
});

describe('TopologyView', () => {
  it('scrolls a drawing taller than the screen (many workers)', async () => {
    const r = render(<TopologyView facts={seedFacts(8)} width={100} height={12} scroll={0} />);
    await tick();
    expect(r.lastFrame()).toContain('PgUp/PgDn to scroll');
    expect(r.lastFrame()).toContain('lines 1-11 of');
    r.rerender(<TopologyView facts={seedFacts(8)} width={100} height={12} scroll={1000} />);
    await tick();
    expect(r.lastFrame()).toContain('host-only switch');
  });
  it('says so when there is no cluster', async () => {
    const r = render(<TopologyView width={100} height={10} scroll={0} />);
    await tick();
    expect(r.lastFrame()).toContain('the lab cluster is not up');
  });
});
