import { describe, expect, it } from 'vitest';
import { nthAddress, planLab } from '../../src/providers/netns/plan.js';
import { nsShell, wireLab } from '../../src/providers/netns/wiring.js';
import { labFacts } from '../../src/providers/netns/facts.js';

describe('planLab', () => {
  const plan = planLab('t1', 'flannel-host-gw', 2);

  it("gives the seed article's addresses", () => {
    expect(plan.nodes.map((n) => [n.name, n.eth1, n.podCIDR, n.cni0])).toEqual([
      ['controlplane', '192.168.56.10', '10.244.0.0/24', '10.244.0.1'],
      ['node-1', '192.168.56.11', '10.244.1.0/24', '10.244.1.1'],
      ['node-2', '192.168.56.12', '10.244.2.0/24', '10.244.2.1'],
    ]);
    for (const n of plan.nodes) {
      expect([n.eth0, n.natGateway, n.natDns]).toEqual(['10.0.2.15', '10.0.2.2', '10.0.2.3']);
    }
  });

  it('names every namespace after the lab', () => {
    const { rootBatch, scripts } = wireLab(plan);
    const created = rootBatch.filter((l) => l.startsWith('netns add ')).map((l) => l.slice(10));
    expect(created).toHaveLength(8);
    for (const ns of created) expect(ns.startsWith('hoplab-t1-')).toBe(true);
    expect(scripts.map((s) => s.ns).sort()).toEqual([...created].sort());
  });

  it('creates every veth end inside a lab namespace, never in the root namespace', () => {
    const { rootBatch } = wireLab(plan);
    for (const line of rootBatch.filter((l) => l.startsWith('link add'))) {
      expect(line).toMatch(/^link add \S+ netns hoplab-t1-\S+ type veth peer name \S+ netns hoplab-t1-\S+$/);
    }
  });

  it('routes each peer pod CIDR via the peer eth1 (flannel host-gw)', () => {
    const node1 = wireLab(plan).scripts.find((s) => s.ns === 'hoplab-t1-node-1')!;
    expect(node1.ipBatch).toContain('route add 10.244.0.0/24 via 192.168.56.10 dev eth1');
    expect(node1.ipBatch).toContain('route add 10.244.2.0/24 via 192.168.56.12 dev eth1');
    expect(node1.ipBatch).toContain('route add default via 10.0.2.2 dev eth0');
    expect(node1.ipBatch.some((l) => l.includes('10.244.1.0/24 via'))).toBe(false);
    expect(node1.iptables).toContain('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4');
  });

  it('scales to more workers with the next addresses', () => {
    const big = planLab('t2', 'flannel-host-gw', 9);
    expect(big.nodes.at(-1)).toMatchObject({ name: 'node-9', eth1: '192.168.56.19', podCIDR: '10.244.9.0/24' });
    expect(() => planLab('t2', 'flannel-host-gw', 0)).toThrow(/workers/);
  });

  it('renders a namespace script with heredocs', () => {
    const sh = nsShell({ ns: 'x', sysctls: [['net.ipv4.ip_forward', '1']], ipBatch: ['link set lo up'], iptables: '*nat\nCOMMIT\n' });
    expect(sh).toBe("set -e\nsysctl -qw net.ipv4.ip_forward=1\nip -batch - <<'HOPLAB_IP'\nlink set lo up\nHOPLAB_IP\niptables-restore <<'HOPLAB_IPT'\n*nat\nCOMMIT\nHOPLAB_IPT");
  });

  it('reports facts from the plan', () => {
    const f = labFacts(plan, []);
    expect(f.nodes[1]).toMatchObject({ name: 'node-1', internalIP: '192.168.56.11', defaultRoute: { via: '10.0.2.2', dev: 'eth0' } });
    expect(f.hosts.find((h) => h.name === 'nat-node-2')).toMatchObject({ role: 'nat-router', serves: 'node-2' });
  });
});

describe('nthAddress', () => {
  it('counts from the network address', () => {
    expect(nthAddress('10.244.0.0/16', 256 * 3 + 1)).toBe('10.244.3.1');
    expect(() => nthAddress('10.0.0.0/30', 4)).toThrow(RangeError);
  });
});
