// `hoplab topology` from fake facts of every CNI mode (and the office LAN):
// text, SVG, Mermaid and DOT, with the engine's path lit; the SVG rendered to
// PNG by a real renderer (rsvg-convert) when the machine has it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTopology } from '../../src/cli/commands/topology.js';
import { CNI_MODES, type ClusterFacts, type CniMode } from '../../src/core/facts.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { lanHostFacts } from '../../src/providers/netns/lan-facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { buildTopology } from '../../src/topology/model.js';
import { predictedPath } from '../../src/topology/predicted.js';

function facts(mode: CniMode, lan = false): ClusterFacts {
  const plan = planLab('t', mode, 2, { lan });
  const veth = (n: string) => (mode.startsWith('calico') ? `cali${n.repeat(11)}` : `veth${n}`);
  const f = labFacts(plan, [
    { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', hostVeth: veth('a') },
    { name: 'traceroute', namespace: 'default', node: 'node-2', ip: '10.244.2.2', hostVeth: veth('b') },
  ]);
  if (!lan) return f;
  return { ...f, hosts: [...f.hosts, ...lanHostFacts(plan)].map((h) => (h.name === 'office-gw' ? { ...h, routes: [{ dest: '10.244.0.0/16', via: '192.168.56.11', dev: 'eth1' }] } : h)) };
}

const TUNNEL: Record<CniMode, string | undefined> = { 'flannel-host-gw': undefined, 'flannel-vxlan': 'flannel.1', 'calico-ipip': 'tunl0', 'calico-vxlan': 'vxlan.calico', 'calico-bgp': undefined };

function hasRsvg(): boolean {
  try {
    execFileSync('rsvg-convert', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const NO_RSVG = hasRsvg() ? undefined : 'needs rsvg-convert (scripts/test-deps-render.sh installs librsvg2-bin)';
if (NO_RSVG) console.warn(`skipping the SVG rendering test: ${NO_RSVG}`);

const dir = mkdtempSync(join(tmpdir(), 'hoplab-topology-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(CNI_MODES)('topology of %s', (mode) => {
  const f = facts(mode);
  const path = 'traceroute,httpd';
  const hops = predictedPath(f, 'traceroute', 'httpd').hops;

  it('text: the nodes, their interfaces, pods and the path in order', () => {
    const out = renderTopology(f, 'text', { path, width: 110 });
    expect(out).toContain(`cluster · ${mode}`);
    expect(out).toContain('┌ node-1');
    expect(out).toMatch(/eth1\s+192\.168\.56\.11\/24/);
    if (TUNNEL[mode]) expect(out).toContain(TUNNEL[mode]);
    expect(out).toContain(mode.startsWith('flannel') ? 'cni0' : 'pod httpd');
    expect(out).toMatch(new RegExp(`path: 0▸ pod traceroute → 1▸ ${hops[0]!.address!.replace(/\./g, '\\.')}`));
    expect(out).toContain(`${hops.length}▸ 10.244.1.3 pod httpd`);
  });

  it('mermaid and dot: machines, segments, pods, NAT links, tunnels and numbered path edges', () => {
    const mm = renderTopology(f, 'mermaid', { path });
    expect(mm.startsWith('flowchart TB\n')).toBe(true);
    expect(mm).toContain('s0{{"host-only 192.168.56.0/24"}}');
    expect(mm).toContain('m_node_1 ---|eth1| s0');
    expect(mm).toContain('m_node_1 ---|eth0 NAT| m_nat_node_1');
    expect(mm).toContain(`m_node_1 ==>|"${hops.length}"| p_httpd`);
    expect(mm).toContain('class ');
    if (TUNNEL[mode]) expect(mm).toContain(`m_node_1 -.-|${TUNNEL[mode]}| m_node_2`);
    else expect(mm).not.toContain('-.-');
    const dot = renderTopology(f, 'dot', { path });
    expect(dot.startsWith('graph hoplab {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot).toContain('subgraph cluster_m_node_1 {');
    expect(dot).toContain(`label="hop ${hops.length}"`);
    // Braces balance: a renderer would reject the file otherwise.
    expect(dot.split('{').length).toBe(dot.split('}').length);
  });

  it.skipIf(NO_RSVG)('svg: rsvg-convert renders it to a PNG of the size the SVG says', () => {
    const svg = renderTopology(f, 'svg', { path });
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('>pod httpd 10.244.1.3</text>');
    // Every hop gets a numbered badge.
    for (let n = 0; n <= hops.length; n++) expect(svg).toMatch(new RegExp(`text-anchor="middle">${n}</text>`));
    const file = join(dir, `${mode}.svg`);
    writeFileSync(file, svg);
    const png = join(dir, `${mode}.png`);
    execFileSync('rsvg-convert', ['-o', png, file]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([Number(w), Number(h)]);
  });
});

describe('topology of the office LAN', () => {
  it('puts the office and branch LANs behind their gateways, and lights office-pc → office-gw → node-1 → httpd', () => {
    const t = buildTopology(facts('flannel-host-gw', true), predictedPath(facts('flannel-host-gw', true), 'office-pc', 'httpd'));
    expect(t.segments.map((s) => s.label)).toEqual(['host-only 192.168.56.0/24', 'internet 203.0.113.0/24', 'LAN 192.168.1.0/24', 'LAN 192.168.2.0/24', 'LAN 172.16.0.0/24']);
    expect(t.path!.hops.map((h) => h.label)).toEqual(['eth0@office-gw', 'eth1@node-1', 'pod httpd']);
    const svg = renderTopology(facts('flannel-host-gw', true), 'svg', { path: 'office-pc,httpd' });
    expect(svg).toContain('>LAN 192.168.2.0/24</text>');
  });

  it('rejects a malformed --path and unknown endpoints with a usage error', () => {
    expect(() => renderTopology(facts('flannel-host-gw'), 'text', { path: 'httpd' })).toThrow("--path 'httpd': expected FROM,TO like traceroute,httpd or node-2,10.244.1.3");
    expect(() => renderTopology(facts('flannel-host-gw'), 'text', { path: 'nope,httpd' })).toThrow(/unknown endpoint "nope"/);
  });
});
