// The office LAN's plan and wiring: addresses, routes, links, names, the
// clash check, and that every command stays inside the lab's namespaces.
import { describe, expect, it } from 'vitest';
import { lanClashes, planLan } from '../../src/providers/netns/lan.js';
import { lanHostFacts, lanNamespaces } from '../../src/providers/netns/lan-facts.js';
import { lanEtcFiles, wireLan } from '../../src/providers/netns/lan-wiring.js';
import { allNamespaces, planLab } from '../../src/providers/netns/plan.js';
import { parseIpRouteShow } from '../../src/providers/route-parse.js';

const plan = planLab('demo', 'flannel-host-gw', 2, { lan: true });

describe('planLan', () => {
  it('is absent unless asked for', () => {
    expect(planLab('demo', 'flannel-host-gw', 2).lan).toBeUndefined();
    expect(allNamespaces(planLab('demo', 'flannel-host-gw', 2))).not.toContain('hoplab-demo-lan-office-pc');
  });

  it("gives the office one gateway on the host-only network and the branch two in a row", () => {
    const hosts = Object.fromEntries(plan.lan!.hosts.map((h) => [h.name, h]));
    expect(Object.keys(hosts)).toEqual(['office-pc', 'office-gw', 'branch-pc', 'branch-gw', 'corp-gw']);
    expect(hosts['office-pc']).toMatchObject({ role: 'office', forwards: false, interfaces: [{ name: 'eth0', address: '192.168.1.10', prefix: 24 }], routes: [{ dest: 'default', via: '192.168.1.1' }] });
    expect(hosts['office-gw']).toMatchObject({
      role: 'gateway',
      forwards: true,
      interfaces: [{ name: 'eth0', address: '192.168.1.1' }, { name: 'eth1', address: '192.168.56.2', prefix: 24 }],
      routes: [],
    });
    expect(hosts['branch-gw']!.routes).toEqual([{ dest: '192.168.56.0/24', via: '172.16.0.1', dev: 'eth1' }]);
    expect(hosts['corp-gw']).toMatchObject({ interfaces: [{ address: '172.16.0.1' }, { address: '192.168.56.3' }], routes: [{ dest: '192.168.2.0/24', via: '172.16.0.2' }] });
    // No gateway knows the pod or Service CIDRs: that is what the learner adds.
    for (const h of plan.lan!.hosts) for (const r of h.routes) expect(r.dest).not.toMatch(/^10\.(244|96)\./);
  });

  it('names every namespace after the lab', () => {
    expect(plan.lan!.hosts.map((h) => h.ns)).toEqual(['office-pc', 'office-gw', 'branch-pc', 'branch-gw', 'corp-gw'].map((n) => `hoplab-demo-lan-${n}`));
    expect(allNamespaces(plan)).toEqual(expect.arrayContaining(['hoplab-demo-lan-office-gw', 'hoplab-demo-lan-corp-gw']));
    expect(lanNamespaces(plan)).toMatchObject({ 'office-gw': 'hoplab-demo-lan-office-gw', 'branch-pc': 'hoplab-demo-lan-branch-pc' });
  });

  it('clashes with nothing in the lab, and the check finds a clash when there is one', () => {
    expect(lanClashes(plan, plan.lan!.subnets, ['192.168.56.2', '192.168.56.3'])).toEqual([]);
    expect(lanClashes(plan, { office: '10.244.5.0/24', branch: '192.168.56.0/25', corp: '192.168.2.0/24' }, ['192.168.56.11', '192.168.9.1'])).toEqual([
      'the office LAN 10.244.5.0/24 overlaps the cluster CIDR 10.244.0.0/16',
      'the branch LAN 192.168.56.0/25 overlaps the host-only network 192.168.56.0/24',
      'the uplink 192.168.56.11 is node node-1\'s address',
      'the uplink 192.168.9.1 is not on the host-only network 192.168.56.0/24',
    ]);
    expect(() => planLan(plan, { office: '10.0.2.0/24', branch: '192.168.2.0/24', corp: '172.16.0.0/24' })).toThrow(/VirtualBox NAT network 10\.0\.2\.0\/24/);
  });
});

describe('wireLan', () => {
  const w = wireLan(plan);

  it('creates namespaces and veth ends only inside lab namespaces', () => {
    expect(w.rootBatch.filter((l) => l.startsWith('netns add'))).toHaveLength(5);
    const links = w.rootBatch.filter((l) => l.startsWith('link add'));
    expect(links).toContain('link add eth1 netns hoplab-demo-lan-office-gw type veth peer name vgw-office netns hoplab-demo-hostonly');
    expect(links).toContain('link add eth1 netns hoplab-demo-lan-branch-gw type veth peer name eth0 netns hoplab-demo-lan-corp-gw');
    for (const l of links) expect(l).toMatch(/^link add \S+ netns hoplab-demo-\S+ type veth peer name \S+ netns hoplab-demo-\S+$/);
    for (const s of w.scripts) expect(s.ns.startsWith('hoplab-demo-')).toBe(true);
  });

  it('addresses, routes and forwarding per host; uplinks plugged into the host-only bridge', () => {
    const gw = w.scripts.find((s) => s.ns === 'hoplab-demo-lan-office-gw')!;
    expect(gw.sysctls).toEqual([['net.ipv4.ip_forward', '1']]);
    expect(gw.ipBatch).toEqual(['link set lo up', 'addr add 192.168.1.1/24 dev eth0', 'link set eth0 up', 'addr add 192.168.56.2/24 dev eth1', 'link set eth1 up']);
    const pc = w.scripts.find((s) => s.ns === 'hoplab-demo-lan-office-pc')!;
    expect(pc.sysctls).toEqual([]);
    expect(pc.ipBatch).toContain('route add default via 192.168.1.1 dev eth0');
    const sw = w.scripts.find((s) => s.ns === 'hoplab-demo-hostonly')!;
    expect(sw.ipBatch).toEqual(['link set vgw-office master vboxnet0', 'link set vgw-office up', 'link set vgw-corp master vboxnet0', 'link set vgw-corp up']);
  });

  it('gives each host a resolver that fails at once', () => {
    const files = lanEtcFiles(plan);
    expect(files['hoplab-demo-lan-office-pc']).toEqual({ 'resolv.conf': expect.stringContaining('nameserver 127.0.0.1'), hostname: 'office-pc\n' });
  });

  it('is empty for a lab without a LAN', () => {
    expect(wireLan(planLab('demo', 'flannel-host-gw', 2))).toEqual({ rootBatch: [], scripts: [] });
  });
});

describe('LAN facts', () => {
  it('reports the hosts with their roles, interfaces and built routes', () => {
    const f = lanHostFacts(plan);
    expect(f.map((h) => [h.name, h.role])).toEqual([
      ['office-pc', 'office'],
      ['office-gw', 'gateway'],
      ['branch-pc', 'office'],
      ['branch-gw', 'gateway'],
      ['corp-gw', 'gateway'],
    ]);
    expect(f[1]!.interfaces).toEqual([
      { name: 'eth0', address: '192.168.1.1', prefixLength: 24 },
      { name: 'eth1', address: '192.168.56.2', prefixLength: 24 },
    ]);
  });

  it('reads live routes from `ip -j route show`, leaving out connected subnets (captured on office-gw)', () => {
    const json = JSON.stringify([
      { dst: '10.244.0.0/16', gateway: '192.168.56.11', dev: 'eth1', flags: [] },
      { dst: '192.168.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.168.1.1', flags: [] },
      { dst: '192.168.56.0/24', dev: 'eth1', protocol: 'kernel', scope: 'link', prefsrc: '192.168.56.2', flags: [] },
      { type: 'blackhole', dst: '10.96.0.0/12', flags: [] },
      { dst: '10.244.1.2', gateway: '192.168.56.11', dev: 'eth1', flags: [] },
    ]);
    expect(parseIpRouteShow(json)).toEqual([
      { dest: '10.244.0.0/16', via: '192.168.56.11', dev: 'eth1' },
      { dest: '10.96.0.0/12', type: 'blackhole' },
      { dest: '10.244.1.2/32', via: '192.168.56.11', dev: 'eth1' },
    ]);
  });
});
