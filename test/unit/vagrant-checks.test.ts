// Pure checks of the vagrant provider: settings, preflight, network verification, ip JSON, quoting.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseIpAddr, parseIpRoute, toIfaceFacts, defaultRoute } from '../../src/providers/ip-json.js';
import { shellQuote } from '../../src/providers/vagrant/node-exec.js';
import { allowedRanges, preflightChecks, versionAtLeast, type HostFacts } from '../../src/providers/vagrant/preflight.js';
import { memAvailableKiB } from '../../src/providers/vagrant/host-probe.js';
import { parseSettings, vagrantEnv } from '../../src/providers/vagrant/settings.js';
import { verifyNetwork, type NodeObservation } from '../../src/providers/vagrant/verify.js';
import { kubeItems, splitByKind } from '../../src/providers/kube-facts.js';

const settingsText = readFileSync(new URL('../../vagrant/settings.yaml', import.meta.url), 'utf8');
const settings = parseSettings(settingsText, 'vagrant/settings.yaml');
const cluster = (ds: string, f: string) => readFileSync(new URL(`../fixtures/vagrant/cluster/${ds}/${f}`, import.meta.url), 'utf8');

describe('settings (vagrant/settings.yaml, as the Vagrantfile reads it)', () => {
  it('reads the seed cluster from the shipped file', () => {
    expect(settings.nodes.map((n) => `${n.name} ${n.ip} ${n.role}`)).toEqual([
      'controlplane 192.168.56.10 controlplane',
      'node-1 192.168.56.11 worker',
      'node-2 192.168.56.12 worker',
    ]);
    expect(settings.cni).toBe('flannel-host-gw');
    expect(settings.podCidr).toBe('10.244.0.0/16');
    expect(vagrantEnv('lab1', settings)).toEqual({ HOPLAB_LAB: 'lab1', HOPLAB_CNI: 'flannel-host-gw', HOPLAB_WORKERS: '2' });
  });

  it('applies --cni and --workers overrides', () => {
    const s = parseSettings(settingsText, 'f', { cni: 'calico-vxlan', workers: 1 });
    expect(s.cni).toBe('calico-vxlan');
    expect(s.nodes.map((n) => n.name)).toEqual(['controlplane', 'node-1']);
  });

  it('names the file and field that is wrong', () => {
    const bad = settingsText.replace('ip: 192.168.56.10', 'ip: 192.168.56');
    expect(() => parseSettings(bad, 'vagrant/settings.yaml')).toThrow(/vagrant\/settings.yaml: field 'controlplane.ip': an IPv4 address/);
    expect(() => parseSettings(settingsText.replace('mode: host-gw', 'mode: ipip'), 'f')).toThrow(/'flannel-ipip' is not a mode/);
    expect(() => parseSettings(settingsText, 'f', { workers: 4 })).toThrow(/4 workers asked for but workers.ips lists only 3/);
    expect(() => parseSettings('box: [', 'f')).toThrow(UsageError);
    expect(() => parseSettings('box: [', 'f')).toThrow(/^f:\d+:\d+: not valid YAML/);
  });
});

const goodHost: HostFacts = {
  platform: 'linux',
  vagrantVersion: '2.3.4',
  virtualBoxVersion: '7.0.14r161095',
  memAvailableKiB: 16 * 1024 * 1024,
  routes: [
    { dst: 'default', dev: 'wlan0' },
    { dst: '192.168.1.0/24', dev: 'wlan0' },
    { dst: '192.168.56.0/24', dev: 'vboxnet0' },
  ],
};

describe('preflight', () => {
  const failed = (h: HostFacts) => preflightChecks(h, settings).filter((c) => !c.ok);

  it('passes on a host that has what the lab needs (vboxnet0 carrying the host-only range is fine)', () => {
    expect(failed(goodHost)).toEqual([]);
  });

  it('no VirtualBox: says so and how to fix', () => {
    const { virtualBoxVersion: _v, ...noVbox } = goodHost;
    const [c] = failed(noVbox);
    expect(c).toMatchObject({ check: 'virtualbox', detail: 'VirtualBox is not installed here (VBoxManage is not on PATH)' });
    expect(c!.fix).toMatch(/install VirtualBox/);
  });

  it('VirtualBox 7.0 with a Vagrant too old for it', () => {
    expect(failed({ ...goodHost, vagrantVersion: '2.2.19' })[0]!.detail).toMatch(/needs Vagrant 2.3.2 or newer/);
  });

  it('host-only range: the default /21 allows the seed addresses; networks.conf can forbid them', () => {
    expect(allowedRanges(undefined)).toEqual(['192.168.56.0/21']);
    expect(allowedRanges('# comment\n* 10.0.0.0/8 192.168.0.0/16\n* 2001::/64\n')).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    const c = failed({ ...goodHost, networksConf: '* 10.0.0.0/8\n' })[0]!;
    expect(c.check).toBe('host-only-range');
    expect(c.fix).toMatch(/echo '\* 192\.168\.56\.0\/24' \| sudo tee -a \/etc\/vbox\/networks\.conf/);
    // VirtualBox before 6.1.28 did not restrict
    expect(failed({ ...goodHost, virtualBoxVersion: '6.1.26', networksConf: '* 10.0.0.0/8\n' })).toEqual([]);
  });

  it('memory: 2048 + 2x1536 MiB for the VMs plus headroom', () => {
    const c = failed({ ...goodHost, memAvailableKiB: 4000 * 1024 })[0]!;
    expect(c.detail).toMatch(/^4000 MiB available, the VMs need 6144 MiB/);
    expect(memAvailableKiB('MemTotal:       24684084 kB\nMemFree:        24112812 kB\nMemAvailable:   24258432 kB\n')).toBe(24258432);
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('6.1.28', '6.1.28')).toBe(true);
    expect(versionAtLeast('6.1.3', '6.1.28')).toBe(false);
    expect(versionAtLeast('7.0.14r161095', '6.1.28')).toBe(true);
  });
});

function observations(ds: string): NodeObservation[] {
  return settings.nodes.map((n) => ({
    name: n.name,
    expectedIP: n.ip,
    links: parseIpAddr(cluster(ds, `${n.name}.ip-addr.json`)),
    routes: parseIpRoute(cluster(ds, `${n.name}.ip-route.json`)),
  }));
}

describe('network verification', () => {
  it('passes on the seed cluster (flannel host-gw over eth1)', () => {
    const k = splitByKind(JSON.parse(cluster('flannel-host-gw', 'kubectl-get.json')));
    const checks = verifyNetwork({ cni: 'flannel-host-gw', kubeNodes: k.nodes, kubePods: k.pods, nodes: observations('flannel-host-gw') });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.check === 'cni-binding' && c.node === 'node-1')?.detail).toBe('bound to eth1 (192.168.56.11)');
    expect(checks.find((c) => c.check === 'mtu' && c.node === 'controlplane')?.detail).toBe('pod-side MTU 1500 (host-only 1500 less 0)');
  });

  it('catches workers registered with the NAT address (kubelet without --node-ip)', () => {
    const k = splitByKind(JSON.parse(cluster('nat-internal-ip', 'kubectl-get.json')));
    const bad = verifyNetwork({ cni: 'flannel-host-gw', kubeNodes: k.nodes, kubePods: k.pods, nodes: observations('nat-internal-ip') }).filter((c) => !c.ok);
    expect(bad.map((c) => `${c.check} ${c.node}`)).toEqual(['internal-ip node-1', 'internal-ip node-2']);
    expect(bad[0]!.detail).toMatch(/InternalIP is 10\.0\.2\.15, expected the host-only 192\.168\.56\.11: kubelet --node-ip/);
  });

  it('catches the wrong backend and a flannel bound to eth0', () => {
    const k = splitByKind(JSON.parse(cluster('flannel-host-gw', 'kubectl-get.json')));
    const wrongMode = verifyNetwork({ cni: 'flannel-vxlan', kubeNodes: k.nodes, kubePods: k.pods, nodes: observations('flannel-host-gw') });
    expect(wrongMode.find((c) => c.check === 'backend')).toMatchObject({ ok: false });
    expect(wrongMode.find((c) => c.check === 'backend')!.detail).toMatch(/^asked for flannel-vxlan, the cluster runs flannel-host-gw/);
    const eth0 = kubeItems(JSON.parse(cluster('flannel-host-gw', 'kubectl-get.json'))).map((o) =>
      o.kind === 'Node' ? { ...o, metadata: { ...(o.metadata as object), annotations: { 'flannel.alpha.coreos.com/backend-type': 'host-gw', 'flannel.alpha.coreos.com/public-ip': '10.0.2.15' } } } : o,
    );
    const k2 = splitByKind(eth0);
    const bad = verifyNetwork({ cni: 'flannel-host-gw', kubeNodes: k2.nodes, kubePods: k2.pods, nodes: observations('flannel-host-gw') }).filter((c) => !c.ok);
    expect(bad[0]!.detail).toBe('flannel public-ip is 10.0.2.15, expected 192.168.56.10: flannel is not using eth1 (--iface)');
  });

  it('calico IPIP: tunl0 routes via the peers and the MTU 20 bytes below the host-only link', () => {
    const ann = (ip: string, tun: string) => ({ 'projectcalico.org/IPv4Address': `${ip}/24`, 'projectcalico.org/IPv4IPIPTunnelAddr': tun });
    const nodes = settings.nodes.map((n, i) => ({ kind: 'Node', metadata: { name: n.name, annotations: ann(n.ip, `10.244.${i * 64}.0`) }, status: { addresses: [{ type: 'InternalIP', address: n.ip }] } }));
    const pods = [{ kind: 'Pod', metadata: { name: 'calico-node-abcde', namespace: 'kube-system' } }];
    const obs: NodeObservation[] = settings.nodes.map((n) => ({
      name: n.name,
      expectedIP: n.ip,
      links: [
        { name: 'eth1', mtu: 1500, ipv4: [{ address: n.ip, prefixLength: 24 }] },
        { name: 'tunl0', mtu: 1480, kind: 'ipip', ipv4: [{ address: '10.244.0.0', prefixLength: 32 }] },
        { name: 'cali12345', mtu: n.name === 'node-2' ? 1500 : 1480, kind: 'veth', ipv4: [] },
      ],
      routes: settings.nodes.filter((p) => p.name !== n.name).map((p) => ({ dst: '10.244.64.0/26', gateway: p.ip, dev: 'tunl0', protocol: 'bird' })),
    }));
    const bad = verifyNetwork({ cni: 'calico-ipip', kubeNodes: nodes, kubePods: pods, nodes: obs }).filter((c) => !c.ok);
    expect(bad).toEqual([{ check: 'mtu', node: 'node-2', ok: false, detail: 'expected MTU 1480, found cali12345 1500' }]);
  });
});

describe('network verification of a lone control plane (--workers 0)', () => {
  it('passes for every mode without peer routes to expect', () => {
    const one = parseSettings(settingsText, 'f', { workers: 0 });
    const cp = one.nodes[0]!;
    const cases = [
      ['flannel-host-gw', { 'flannel.alpha.coreos.com/backend-type': 'host-gw', 'flannel.alpha.coreos.com/public-ip': cp.ip }, { name: 'cni0', mtu: 1500, kind: 'bridge' }],
      ['flannel-vxlan', { 'flannel.alpha.coreos.com/backend-type': 'vxlan', 'flannel.alpha.coreos.com/public-ip': cp.ip }, { name: 'flannel.1', mtu: 1450, kind: 'vxlan', vxlan: { local: cp.ip } }],
      ['calico-vxlan', { 'projectcalico.org/IPv4Address': `${cp.ip}/24`, 'projectcalico.org/IPv4VXLANTunnelAddr': '10.244.0.1' }, { name: 'vxlan.calico', mtu: 1450, kind: 'vxlan', vxlan: { local: cp.ip } }],
    ] as const;
    for (const [cni, annotations, tunnel] of cases) {
      const pods = [{ kind: 'Pod', metadata: { name: cni.startsWith('flannel') ? 'kube-flannel-ds-x' : 'calico-node-x', namespace: cni.startsWith('flannel') ? 'kube-flannel' : 'kube-system' } }];
      const nodes = [{ kind: 'Node', metadata: { name: cp.name, annotations }, status: { addresses: [{ type: 'InternalIP', address: cp.ip }] } }];
      const obs: NodeObservation[] = [{
        name: cp.name,
        expectedIP: cp.ip,
        links: [{ name: 'eth1', mtu: 1500, ipv4: [{ address: cp.ip, prefixLength: 24 }] }, { ...tunnel, ipv4: [] }],
        routes: [{ dst: 'default', gateway: '10.0.2.2', dev: 'eth0' }],
      }];
      const bad = verifyNetwork({ cni, kubeNodes: nodes, kubePods: pods, nodes: obs }).filter((c) => !c.ok);
      expect(bad, cni).toEqual([]);
    }
  });
});

describe('ip JSON and quoting', () => {
  it('reads links, vxlan details and routes as iproute2 prints them', () => {
    const links = parseIpAddr(JSON.stringify([
      { ifname: 'flannel.1', mtu: 1450, linkinfo: { info_kind: 'vxlan', info_data: { id: 1, local: '192.168.56.11', link: 'eth1', port: 8472 } }, addr_info: [{ family: 'inet', local: '10.244.1.0', prefixlen: 32 }] },
    ]));
    expect(links[0]).toEqual({ name: 'flannel.1', mtu: 1450, kind: 'vxlan', vxlan: { id: 1, local: '192.168.56.11', link: 'eth1' }, ipv4: [{ address: '10.244.1.0', prefixLength: 32 }] });
    const routes = parseIpRoute(cluster('flannel-host-gw', 'node-1.ip-route.json'));
    expect(defaultRoute(routes)).toEqual({ via: '10.0.2.2', dev: 'eth0' });
    expect(toIfaceFacts(parseIpAddr(cluster('flannel-host-gw', 'node-1.ip-addr.json')))).toEqual([
      { name: 'eth0', address: '10.0.2.15', prefixLength: 24 },
      { name: 'eth1', address: '192.168.56.11', prefixLength: 24 },
    ]);
    expect(() => parseIpAddr('1: lo: <LOOPBACK>')).toThrow(/not JSON/);
  });

  it('quotes words for the remote shell', () => {
    expect(shellQuote(['kubectl', 'get', 'pods', '-o', 'jsonpath={.items[*].status.podIP}'])).toBe("kubectl get pods -o 'jsonpath={.items[*].status.podIP}'");
    expect(shellQuote(['sh', '-c', "echo 'hi' && id"])).toBe(`sh -c 'echo '\\''hi'\\'' && id'`);
  });
});
