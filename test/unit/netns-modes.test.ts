// The wiring plan of every CNI mode, as pure data: device names, addresses,
// MTUs, routes, neighbour/fdb entries, BIRD configuration, pod wiring.
import { CNI_MODE_INFO } from '../../src/core/cni-modes.js';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { planLab } from '../../src/providers/netns/plan.js';
import { wireLab, nsShell } from '../../src/providers/netns/wiring.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { birdConfig, meshProtocolName } from '../../src/providers/netns/modes/bird-config.js';
import { parseProtocols, pendingPeers } from '../../src/providers/netns/modes/bird-daemon.js';
import { caliName, calicoBlock, calicoIpamConfig, calicoTunnelAddress } from '../../src/providers/netns/modes/calico-ipam.js';
import { calicoPodScript } from '../../src/providers/netns/modes/calico-pod.js';
import { splitModes } from '../../src/providers/netns/modes/support.js';
import { vtepMac } from '../../src/providers/netns/modes/vxlan.js';
import { modeWiring } from '../../src/providers/netns/modes/index.js';

const nodeScript = (plan: ReturnType<typeof planLab>, name: string) => wireLab(plan).scripts.find((s) => s.ns === `hoplab-${plan.lab}-${name}`)!;

describe('flannel-vxlan wiring', () => {
  const plan = planLab('v', 'flannel-vxlan', 2);
  const node1 = nodeScript(plan, 'node-1');
  const mac = (n: string) => vtepMac('flannel.1', n);

  it('makes flannel.1 as flanneld does: VNI 1, port 8472, no learning, on eth1, MTU 1450, 10.244.N.0/32', () => {
    expect(node1.ipBatch).toContain('link add flannel.1 type vxlan id 1 local 192.168.56.11 dev eth1 dstport 8472 nolearning');
    expect(node1.ipBatch).toContain(`link set flannel.1 address ${mac('node-1')} mtu 1450`);
    expect(node1.ipBatch).toContain('addr add 10.244.1.0/32 dev flannel.1');
  });

  it('routes each peer CIDR via the peer flannel.1 address onlink, with its MAC and fdb entry', () => {
    expect(node1.ipBatch).toContain('route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    expect(node1.ipBatch).toContain(`neigh add 10.244.2.0 lladdr ${mac('node-2')} dev flannel.1 nud permanent`);
    expect(node1.bridgeBatch).toEqual([
      `fdb append ${mac('controlplane')} dev flannel.1 dst 192.168.56.10 self permanent`,
      `fdb append ${mac('node-2')} dev flannel.1 dst 192.168.56.12 self permanent`,
    ]);
    expect(node1.ipBatch.some((l) => l.includes('10.244.1.0/24 via'))).toBe(false);
    expect(nsShell(node1)).toContain("bridge -batch - <<'HOPLAB_BR'\nfdb append");
  });

  it('gives pods MTU 1450 on cni0 and reports flannel.1 with its MAC in the facts', () => {
    expect(modeWiring('flannel-vxlan').cniConfig!(plan, plan.nodes[1]!, '/x')).toMatchObject({ type: 'bridge', bridge: 'cni0', mtu: 1450 });
    const f = labFacts(plan, []).nodes[1]!;
    expect(f.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1', 'flannel.1', 'cni0']);
    expect(f.interfaces[2]).toEqual({ name: 'flannel.1', address: '10.244.1.0', prefixLength: 32, mac: mac('node-1') });
  });
});

describe('VTEP MACs', () => {
  it('are stable, distinct per node, unicast and locally administered', () => {
    const macs = ['controlplane', 'node-1', 'node-2', 'node-3'].map((n) => vtepMac('flannel.1', n));
    expect(new Set(macs).size).toBe(4);
    expect(vtepMac('flannel.1', 'node-1')).toBe(macs[1]);
    for (const m of macs) {
      expect(m).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(parseInt(m.slice(0, 2), 16) & 0x03).toBe(0x02);
    }
    expect(vtepMac('vxlan.calico', 'node-1', 0x66)).toMatch(/^66:/);
  });
});

describe('calico addressing', () => {
  const plan = planLab('c', 'calico-bgp', 2);
  const n1 = plan.nodes[1]!;

  it('gives each node the first /26 of its pod CIDR, its first address the tunnel address', () => {
    expect(calicoBlock(n1)).toBe('10.244.1.0/26');
    expect(calicoTunnelAddress(n1)).toBe('10.244.1.0');
    expect(calicoIpamConfig(n1, '/d')).toMatchObject({ type: 'host-local', ipam: { ranges: [[{ subnet: '10.244.1.0/26', gateway: '169.254.1.1' }]], dataDir: '/d' } });
  });

  it('names host veths as calico does: cali + 11 hex digits of SHA-1 over namespace.pod', () => {
    const want = `cali${createHash('sha1').update('default.httpd').digest('hex').slice(0, 11)}`;
    expect(caliName('default', 'httpd')).toBe(want);
    expect(caliName('default', 'httpd')).toHaveLength(15);
    expect(caliName('kube-system', 'httpd')).not.toBe(want);
  });

  it('wires a pod with a /32, the 169.254.1.1 gateway and proxy ARP on the cali veth', () => {
    const sh = calicoPodScript(
      { plan, node: n1, podNs: 'hoplab-c-pod-1', containerId: 'x', namespace: 'default', name: 'web', ipamDir: '/d' },
      '10.244.1.5',
      1450,
    );
    const cali = caliName('default', 'web');
    expect(sh).toContain(`ip link add ${cali} mtu 1450 type veth peer name eth0 mtu 1450 netns hoplab-c-pod-1`);
    expect(sh).toContain(`sysctl -qw net.ipv4.conf.${cali}.proxy_arp=1`);
    expect(sh).toContain(`sysctl -qw net.ipv4.neigh.${cali}.proxy_delay=0`);
    expect(sh).toContain(`link set ${cali} address ee:ee:ee:ee:ee:ee`);
    expect(sh).toContain(`route add 10.244.1.5/32 dev ${cali} scope link`);
    expect(sh).toContain('addr add 10.244.1.5/32 dev eth0');
    expect(sh).toContain('route add 169.254.1.1 dev eth0 scope link');
    expect(sh).toContain('route add default via 169.254.1.1 dev eth0');
    expect(sh).not.toMatch(/addr add \S+ dev cali/);
  });
});

describe('calico-bgp wiring', () => {
  const plan = planLab('b', 'calico-bgp', 2);
  const files = { config: '/s/n.conf', socket: '/s/n.ctl', pid: '/s/n.pid', log: '/s/n.log' };
  const conf = birdConfig(plan, plan.nodes[1]!, files);

  it('adds no tunnel device, only felix-style outgoing NAT, and reports no tunnel in the facts', () => {
    const s = nodeScript(plan, 'node-1');
    expect(s.ipBatch.some((l) => /tunl0|vxlan|flannel/.test(l))).toBe(false);
    expect(s.iptables).toContain('-A cali-nat-outgoing -s 10.244.0.0/16 ! -d 10.244.0.0/16');
    expect(labFacts(plan, []).nodes[1]!.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1']);
  });

  it('writes a BIRD mesh over eth1 like calico-node: router id, AS 64512, Mesh_<peer> protocols', () => {
    expect(conf).toContain('router id 192.168.56.11;');
    expect(conf).toContain('local 192.168.56.11 as 64512;');
    expect(conf).toContain('protocol bgp Mesh_192_168_56_10 from bgp_template {\n  neighbor 192.168.56.10 as 64512;\n  passive on;');
    expect(conf).toContain('protocol bgp Mesh_192_168_56_12 from bgp_template {\n  neighbor 192.168.56.12 as 64512;\n}');
    expect(conf).toMatch(/direct;/);
    expect(conf).toMatch(/gateway direct;/);
    expect(conf).toContain('route 10.244.1.0/26 blackhole;');
    expect(conf).toContain('if ( net = 10.244.1.0/26 ) then accept;');
    expect(conf).toContain(`log "${files.log}" all;`);
    expect(conf).not.toContain('tunnel_igp');
    expect(meshProtocolName('192.168.56.12')).toBe('Mesh_192_168_56_12');
  });

  it.skipIf(!hasBird())('is a configuration BIRD 2 accepts (bird -p)', () => {
    for (const [cni, opts] of [['calico-bgp', {}], ['calico-ipip', { tunnelDevice: 'tunl0' }]] as const) {
      const p = planLab('b', cni, 3);
      const dir = mkdtempSync(join(tmpdir(), 'hoplab-bird-'));
      const file = join(dir, 'bird.conf');
      writeFileSync(file, birdConfig(p, p.nodes[2]!, { ...files, log: join(dir, 'bird.log') }, opts));
      try {
        expect(() => execFileSync('bird', ['-p', '-c', file], { stdio: 'pipe' })).not.toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

function hasBird(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v bird'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('birdc show protocols', () => {
  const plan = planLab('b', 'calico-bgp', 2);
  // As BIRD 2.0.12 prints it in the lab.
  const out = [
    'BIRD 2.0.12 ready.',
    'Name       Proto      Table      State  Since         Info',
    'device1    Device     ---        up     12:24:08.867  ',
    'kernel1    Kernel     master4    up     12:24:08.867  ',
    'static1    Static     master4    up     12:24:08.867  ',
    'Mesh_192_168_56_10 BGP        ---        up     12:24:09.825  Established   ',
    'Mesh_192_168_56_12 BGP        ---        start  12:24:08.867  Active        Socket: Connection refused',
  ].join('\n');

  it('reads the rows and names the peers not yet Established', () => {
    const rows = parseProtocols(out);
    expect(rows.map((r) => r.name)).toEqual(['device1', 'kernel1', 'static1', 'Mesh_192_168_56_10', 'Mesh_192_168_56_12']);
    expect(rows[4]).toMatchObject({ proto: 'BGP', state: 'start', info: 'Active Socket: Connection refused' });
    expect(pendingPeers(plan, plan.nodes[1]!, rows)).toEqual(['Mesh_192_168_56_12']);
    expect(pendingPeers(plan, plan.nodes[1]!, parseProtocols(out.replace(/start .*$/, 'up     12:24:09.900  Established')))).toEqual([]);
  });
});

describe('calico-vxlan wiring', () => {
  const plan = planLab('x', 'calico-vxlan', 2);
  const s = nodeScript(plan, 'node-1');
  const mac = (n: string) => vtepMac('vxlan.calico', n, 0x66);

  it('makes vxlan.calico as felix does: VNI 4096, port 4789, MTU 1450, the tunnel address', () => {
    expect(s.ipBatch).toContain('link add vxlan.calico type vxlan id 4096 local 192.168.56.11 dev eth1 dstport 4789 nolearning');
    expect(s.ipBatch).toContain(`link set vxlan.calico address ${mac('node-1')} mtu 1450`);
    expect(s.ipBatch).toContain('addr add 10.244.1.0/32 dev vxlan.calico');
  });

  it('routes peer blocks via their tunnel address onlink and blackholes its own block with proto 80', () => {
    expect(s.ipBatch).toContain('route add 10.244.2.0/26 via 10.244.2.0 dev vxlan.calico onlink');
    expect(s.ipBatch).toContain(`neigh add 10.244.0.0 lladdr ${mac('controlplane')} dev vxlan.calico nud permanent`);
    expect(s.bridgeBatch).toContain(`fdb append ${mac('node-2')} dev vxlan.calico dst 192.168.56.12 self permanent`);
    expect(s.ipBatch).toContain('route add blackhole 10.244.1.0/26 proto 80');
    expect(modeWiring('calico-vxlan').routing).toBeUndefined();
  });

  it('reports vxlan.calico with the tunnel address, no cni0', () => {
    expect(labFacts(plan, []).nodes[2]!.interfaces).toEqual([
      { name: 'eth0', address: '10.0.2.15', prefixLength: 24 },
      { name: 'eth1', address: '192.168.56.12', prefixLength: 24 },
      { name: 'vxlan.calico', address: '10.244.2.0', prefixLength: 32, mac: mac('node-2') },
    ]);
  });
});

describe('calico-ipip wiring (unbuildable on a kernel without IPIP, planned all the same)', () => {
  const plan = planLab('i', 'calico-ipip', 2);
  const s = nodeScript(plan, 'node-2');
  const conf = birdConfig(plan, plan.nodes[2]!, { config: 'c', socket: 's', pid: 'p', log: 'l' }, { tunnelDevice: 'tunl0' });

  it('puts the tunnel address on tunl0 (made only where the kernel did not), MTU 1480', () => {
    expect(s.prelude).toEqual(['ip link show tunl0 >/dev/null 2>&1 || ip link add tunl0 type ipip']);
    expect(s.ipBatch).toEqual(expect.arrayContaining(['link set tunl0 mtu 1480', 'addr add 10.244.2.0/32 dev tunl0', 'link set tunl0 up']));
    expect(nsShell(s)).toMatch(/ip link add tunl0 type ipip\nip -batch/);
    expect(CNI_MODE_INFO['calico-ipip'].kernelLinks).toContain('ipip');
    // Made with the namespace, tunl0 precedes eth0 in device order.
    expect(labFacts(plan, []).nodes[2]!.interfaces.map((i) => i.name)).toEqual(['tunl0', 'eth0', 'eth1']);
    expect(labFacts(plan, []).nodes[2]!.interfaces[0]).toEqual({ name: 'tunl0', address: '10.244.2.0', prefixLength: 32 });
  });

  it('lets BIRD resolve each peer through tunl0 onlink, so routes go `via <peer eth1> dev tunl0 onlink`', () => {
    expect(conf).toContain('ipv4 table tunnel_igp;');
    expect(conf).toContain('route 192.168.56.10/32 via 192.168.56.10%tunl0 onlink;');
    expect(conf).toContain('route 192.168.56.11/32 via 192.168.56.11%tunl0 onlink;');
    expect(conf).not.toContain('192.168.56.12%tunl0');
    expect(conf).toContain('gateway recursive;\n    igp table tunnel_igp;');
    expect(conf).not.toContain('gateway direct;');
  });
});

describe('mode support', () => {
  it('refuses the modes needing what the kernel lacks and names the rest', () => {
    expect(splitModes(['ipip'])).toEqual({
      working: ['flannel-host-gw', 'flannel-vxlan', 'calico-vxlan', 'calico-bgp'],
      refused: [{ mode: 'calico-ipip', missing: ['ipip'] }],
    });
    expect(splitModes(['vxlan', 'ipip']).working).toEqual(['flannel-host-gw', 'calico-bgp']);
  });
});
