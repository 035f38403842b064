// The path engine's rules for flannel vxlan and calico (BGP, IPIP, VXLAN):
// which hops a traceroute shows and which address each router answers from.
// The netns lab's real traceroutes prove the same rules in
// test/integration/netns-modes.test.ts; here they run on literal facts, and
// IPIP on the addresses seed 001 prints.
import { describe, expect, it } from 'vitest';
import type { ClusterFacts, IfaceFacts, PodFacts } from '../../src/core/facts.js';
import { predictPath } from '../../src/path/predict.js';
import type { PathPrediction } from '../../src/path/types.js';
import { addr, hops, node, pod, seedNodes } from '../helpers/path.js';

const addresses = (p: PathPrediction) => hops(p).map((h) => h.address);
const whys = (p: PathPrediction) => (p.ok ? p.hops.map((h) => h.why) : [p.reason]);

/** The seed's three VirtualBox nodes, with what each mode adds to them. */
function cluster(cni: string, extra: (i: number) => IfaceFacts[], pods: PodFacts[]): ClusterFacts {
  const nodes = seedNodes(['controlplane', 'node-1', 'node-2'], extra);
  return { provider: 'test', cni, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', nodes, pods, hosts: [], services: [] };
}

const calicoPods: PodFacts[] = [
  { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.1', hostVeth: 'cali1111111111a' },
  { name: 'near', namespace: 'default', node: 'node-1', ip: '10.244.1.2', hostVeth: 'cali2222222222b' },
  { name: 'traceroute', namespace: 'default', node: 'node-2', ip: '10.244.2.1', hostVeth: 'cali3333333333c' },
];

describe('flannel vxlan', () => {
  const facts = cluster(
    'flannel-vxlan',
    (i) => [
      { name: 'flannel.1', address: `10.244.${i}.0`, prefixLength: 32 },
      { name: 'cni0', address: `10.244.${i}.1`, prefixLength: 24 },
    ],
    [
      { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3' },
      { name: 'near', namespace: 'default', node: 'node-1', ip: '10.244.1.4' },
      { name: 'traceroute', namespace: 'default', node: 'node-2', ip: '10.244.2.2' },
    ],
  );

  it("crosses nodes via the destination node's flannel.1 address, never eth1", () => {
    const p = predictPath(facts, pod('traceroute'), pod('httpd'));
    expect(hops(p)).toEqual([
      { address: '10.244.2.1', interface: 'cni0', node: 'node-2' },
      { address: '10.244.1.0', interface: 'flannel.1', node: 'node-1' },
      { address: '10.244.1.3', interface: 'eth0', node: 'node-1', pod: 'httpd' },
    ]);
    expect(whys(p)[1]).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
  });

  it('stays on the bridge on one node, and a node reaches a remote pod through its flannel.1', () => {
    expect(addresses(predictPath(facts, pod('near'), pod('httpd')))).toEqual(['10.244.1.3']);
    expect(hops(predictPath(facts, node('node-2'), pod('httpd')))).toEqual([
      { address: '10.244.1.0', interface: 'flannel.1', node: 'node-1' },
      { address: '10.244.1.3', interface: 'eth0', node: 'node-1', pod: 'httpd' },
    ]);
    // Node addresses are on eth1 and need no tunnel.
    expect(addresses(predictPath(facts, pod('traceroute'), node('node-1')))).toEqual(['10.244.2.1', '192.168.56.11']);
  });

  it("finds flannel.1's address from the pod CIDR when the facts do not list it", () => {
    const bare = { ...facts, nodes: facts.nodes.map((n) => ({ ...n, interfaces: n.interfaces.filter((i) => i.name.startsWith('eth')) })) };
    expect(addresses(predictPath(bare, pod('traceroute'), pod('httpd')))).toEqual(['10.244.2.1', '10.244.1.0', '10.244.1.3']);
  });
});

describe('calico: every pod packet goes through its node, which answers from its route back', () => {
  const bgp = cluster('calico-bgp', () => [], calicoPods);

  it("answers a pod from the node's first address: the route back is its addressless cali veth", () => {
    const p = predictPath(bgp, pod('near'), pod('httpd'));
    expect(hops(p)).toEqual([
      { address: '10.0.2.15', interface: 'eth0', node: 'node-1' },
      { address: '10.244.1.1', interface: 'eth0', node: 'node-1', pod: 'httpd' },
    ]);
    expect(whys(p)[0]).toContain('via 169.254.1.1');
    expect(whys(p)[0]).toContain('cali2222222222b, which holds no address');
  });

  it('takes the first interface the facts list, whatever it is', () => {
    const swapped = { ...bgp, nodes: bgp.nodes.map((n) => ({ ...n, interfaces: [...n.interfaces].reverse() })) };
    expect(addresses(predictPath(swapped, pod('near'), pod('httpd')))).toEqual(['192.168.56.11', '10.244.1.1']);
  });

  it('bgp: across nodes the peer answers from eth1, where its route back leaves', () => {
    const p = predictPath(bgp, pod('traceroute'), pod('httpd'));
    expect(hops(p)).toEqual([
      { address: '10.0.2.15', interface: 'eth0', node: 'node-2' },
      { address: '192.168.56.11', interface: 'eth1', node: 'node-1' },
      { address: '10.244.1.1', interface: 'eth0', node: 'node-1', pod: 'httpd' },
    ]);
    expect(whys(p)[1]).toContain('via 192.168.56.11 dev eth1, no tunnel');
    expect(addresses(predictPath(bgp, node('node-2'), pod('httpd')))).toEqual(['192.168.56.11', '10.244.1.1']);
  });

  it('vxlan: the peer answers from vxlan.calico, for pods and for nodes tracing', () => {
    const vx = cluster('calico-vxlan', (i) => [{ name: 'vxlan.calico', address: `10.244.${i}.0`, prefixLength: 32 }], calicoPods);
    expect(hops(predictPath(vx, pod('traceroute'), pod('httpd')))).toEqual([
      { address: '10.0.2.15', interface: 'eth0', node: 'node-2' },
      { address: '10.244.1.0', interface: 'vxlan.calico', node: 'node-1' },
      { address: '10.244.1.1', interface: 'eth0', node: 'node-1', pod: 'httpd' },
    ]);
    // node-2 sends from its own vxlan.calico address, so node-1's route back is the tunnel too.
    expect(addresses(predictPath(vx, node('node-2'), pod('httpd')))).toEqual(['10.244.1.0', '10.244.1.1']);
    expect(addresses(predictPath(vx, pod('near'), pod('httpd')))).toEqual(['10.0.2.15', '10.244.1.1']);
    const noTunnel = { ...vx, nodes: vx.nodes.map((n) => ({ ...n, interfaces: n.interfaces.filter((i) => i.name !== 'vxlan.calico') })) };
    expect(predictPath(noTunnel, pod('traceroute'), pod('httpd'))).toMatchObject({ ok: false, reason: expect.stringContaining('vxlan.calico address') });
  });

  it('ipip: the peer answers from tunl0', () => {
    const ipip = cluster('calico-ipip', (i) => [{ name: 'tunl0', address: `10.244.${i}.0`, prefixLength: 32 }], calicoPods);
    const p = predictPath(ipip, pod('traceroute'), pod('httpd'));
    expect(addresses(p)).toEqual(['10.0.2.15', '10.244.1.0', '10.244.1.1']);
    expect(whys(p)[1]).toContain('via 192.168.56.11 dev tunl0 onlink');
    // Where tunl0 comes first in device order (made with the namespace, as in the
    // netns lab), it is the node's first address, and its answer to its own pod.
    const first = { ...ipip, nodes: ipip.nodes.map((n) => ({ ...n, interfaces: [n.interfaces[2]!, n.interfaces[0]!, n.interfaces[1]!] })) };
    expect(hops(predictPath(first, pod('traceroute'), pod('httpd')))[0]).toEqual({ address: '10.244.2.0', interface: 'tunl0', node: 'node-2' });
  });

  it('drops an address of a node’s pods that no pod holds (the block’s blackhole), from that node or another', () => {
    for (const from of ['traceroute', 'httpd']) {
      expect(predictPath(bgp, pod(from), addr('10.244.1.50'))).toEqual({ ok: false, reason: "no pod on node-1 holds 10.244.1.50: calico's blackhole route for node-1's block drops it" });
    }
  });
});

describe('calico IPIP on the addresses seed 001 prints', () => {
  // K8S-Node 10.20.1.22 shows ens192, docker0 and tunl0 10.21.230.0/32; the
  // ingress pod's node 10.20.1.24 shows ens192 and docker0; the pod is
  // 10.21.69.212/32, its eth0@if19 paired with calib51fc1cd61e (index 19).
  const seed: ClusterFacts = {
    provider: 'seed-001',
    cni: 'calico-ipip',
    clusterCIDR: '10.21.0.0/16', // not printed; the pool the addresses come from
    nodes: [
      {
        name: 'k8s-node-22',
        roles: [],
        internalIP: '10.20.1.22',
        podCIDR: '',
        interfaces: [
          { name: 'ens192', address: '10.20.1.22', prefixLength: 24 },
          { name: 'docker0', address: '172.17.0.1', prefixLength: 16 },
          { name: 'tunl0', address: '10.21.230.0', prefixLength: 32 },
        ],
      },
      {
        name: 'k8s-node-24',
        roles: [],
        internalIP: '10.20.1.24',
        podCIDR: '',
        interfaces: [
          { name: 'ens192', address: '10.20.1.24', prefixLength: 24 },
          { name: 'docker0', address: '172.17.0.1', prefixLength: 16 },
        ],
      },
    ],
    pods: [
      { name: 'ingress-nginx-controller-nginx-d864d97df-22ljk', namespace: 'ingress-nginx', node: 'k8s-node-24', ip: '10.21.69.212', hostVeth: 'calib51fc1cd61e' },
    ],
    hosts: [],
    services: [],
  };
  const ingress = pod('ingress-nginx-controller-nginx-d864d97df-22ljk');

  it("answers the pod from ens192, the node's first address, then reaches the other node's tunl0", () => {
    const p = predictPath(seed, ingress, addr('10.21.230.0'));
    expect(hops(p)).toEqual([
      { address: '10.20.1.24', interface: 'ens192', node: 'k8s-node-24' },
      { address: '10.21.230.0', interface: 'tunl0', node: 'k8s-node-22' },
    ]);
    expect(whys(p)[0]).toContain('calib51fc1cd61e, which holds no address');
  });

  it('reaches the other node over ens192 without the tunnel', () => {
    expect(addresses(predictPath(seed, ingress, node('k8s-node-22')))).toEqual(['10.20.1.24', '10.20.1.22']);
  });

  it("says when a router's answer is a guess: the seed does not print 10.20.1.24's tunl0", () => {
    const p = predictPath(seed, node('k8s-node-22'), ingress);
    expect(addresses(p)).toEqual(['10.20.1.24', '10.21.69.212']);
    expect(p.ok && p.notes.join('\n')).toContain("the facts do not give tunl0's address on k8s-node-24");
  });
});
