import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts, HostFacts } from '../../src/core/facts.js';
import { predictPath } from '../../src/path/predict.js';
import type { PathPrediction } from '../../src/path/types.js';
import { addr, hops, node, pod } from '../helpers/path.js';

const SEED: ClusterFacts = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/traces/seed-cluster-facts.json'), 'utf8'));

const addresses = (p: PathPrediction) => hops(p).map((h) => (h.many ? '…' : h.address));

const NAT_NODE_2: HostFacts = {
  name: 'nat-node-2',
  role: 'nat-router',
  serves: 'node-2',
  interfaces: [
    { name: 'lan', address: '10.0.2.2', prefixLength: 24 },
    { name: 'wan', address: '203.0.113.12', prefixLength: 24 },
  ],
};
const NAT_CONTROLPLANE: HostFacts = { ...NAT_NODE_2, name: 'nat-controlplane', serves: 'controlplane', interfaces: [
  { name: 'lan', address: '10.0.2.2', prefixLength: 24 },
  { name: 'wan', address: '203.0.113.10', prefixLength: 24 },
] };
const REGISTRY: HostFacts = { name: 'registry', role: 'registry', interfaces: [{ name: 'eth0', address: '203.0.113.100', prefixLength: 24 }] };
const WITH_NAT: ClusterFacts = { ...SEED, hosts: [...SEED.hosts, NAT_CONTROLPLANE, NAT_NODE_2, REGISTRY] };

describe('flannel host-gw on the seed cluster', () => {
  it("gives the seed's cross-node trace: cni0 of node-2, eth1 of node-1, the pod", () => {
    const p = predictPath(SEED, pod('traceroute'), pod('httpd'));
    expect(hops(p)).toEqual([
      { address: '10.244.2.1', interface: 'cni0', node: 'node-2' },
      { address: '192.168.56.11', interface: 'eth1', node: 'node-1' },
      { address: '10.244.1.3', interface: 'eth0', node: 'node-1', pod: 'httpd' },
    ]);
    expect(p).toMatchObject({ destination: '10.244.1.3', sourceNode: 'node-2', source: 'pod traceroute on node-2', target: 'pod httpd on node-1 (10.244.1.3)' });
  });

  it('says why each hop is there', () => {
    const p = predictPath(SEED, pod('traceroute'), pod('httpd'));
    if (!p.ok) throw new Error(p.reason);
    expect(p.hops.map((h) => h.why)).toEqual([
      "the pod's default route: via 10.244.2.1, cni0 on node-2",
      'flannel host-gw route on node-2: 10.244.1.0/24 via 192.168.56.11 dev eth1 (node-1)',
      'the destination: pod httpd on node-1 answers itself',
    ]);
  });

  it('traces the same pod by its address to the same hops', () => {
    expect(hops(predictPath(SEED, pod('traceroute'), addr('10.244.1.3')))).toEqual(hops(predictPath(SEED, pod('traceroute'), pod('httpd'))));
  });

  it('gives one hop between pods on one node', () => {
    expect(hops(predictPath(SEED, pod('traceroute-local'), pod('httpd')))).toEqual([{ address: '10.244.1.3', interface: 'eth0', node: 'node-1', pod: 'httpd' }]);
  });

  it('gives one hop from node to node over eth1', () => {
    expect(hops(predictPath(SEED, node('controlplane'), node('node-1')))).toEqual([{ address: '192.168.56.11', interface: 'eth1', node: 'node-1' }]);
    expect(addresses(predictPath(SEED, node('controlplane'), node('node-2')))).toEqual(['192.168.56.12']);
  });

  it('goes pod to node: the own node answers at once, another node after cni0', () => {
    expect(addresses(predictPath(SEED, pod('traceroute'), node('node-2')))).toEqual(['192.168.56.12']);
    expect(hops(predictPath(SEED, pod('traceroute'), node('node-1')))).toEqual([
      { address: '10.244.2.1', interface: 'cni0', node: 'node-2' },
      { address: '192.168.56.11', interface: 'eth1', node: 'node-1' },
    ]);
    // Another node's cni0 address is that node's: it answers from it.
    expect(hops(predictPath(SEED, pod('traceroute'), addr('10.244.1.1')))).toEqual([
      { address: '10.244.2.1', interface: 'cni0', node: 'node-2' },
      { address: '10.244.1.1', interface: 'cni0', node: 'node-1' },
    ]);
  });

  it('goes node to pod: straight onto its own bridge, or via the owner node', () => {
    expect(addresses(predictPath(SEED, node('node-1'), pod('httpd')))).toEqual(['10.244.1.3']);
    expect(addresses(predictPath(SEED, node('node-2'), pod('httpd')))).toEqual(['192.168.56.11', '10.244.1.3']);
  });

  it('starts a hostNetwork pod on its node', () => {
    expect(predictPath(SEED, pod('kube-flannel-ds-x7k2p'), pod('httpd'))).toMatchObject({ source: 'node node-1', hops: [{ address: '10.244.1.3' }] });
  });

  it('reaches the VirtualBox host on the eth1 subnet', () => {
    expect(hops(predictPath(SEED, node('node-2'), { kind: 'host', name: 'vbox-host' }))).toEqual([
      { address: '192.168.56.1', interface: 'vboxnet0', node: 'vbox-host' },
    ]);
    expect(addresses(predictPath(SEED, pod('traceroute'), { kind: 'host', name: 'vbox-host' }))).toEqual(['10.244.2.1', '192.168.56.1']);
  });
});

describe('to the internet over eth0', () => {
  it('without facts about the NAT router: its gateway, then anything, then the destination', () => {
    const p = predictPath(SEED, node('node-2'), addr('8.8.8.8'));
    expect(hops(p)).toEqual([{ address: '10.0.2.2' }, { address: null, many: true }, { address: '8.8.8.8' }]);
    if (!p.ok) throw new Error(p.reason);
    expect(p.hops[0]!.why).toBe("node-2's default route: via 10.0.2.2 dev eth0");
    expect(p.notes).toEqual(['10.0.2.2 is not in the lab facts: the hops after it cannot be predicted, only the destination']);
  });

  it('from a pod: cni0 first, then the node’s gateway', () => {
    expect(addresses(predictPath(SEED, pod('traceroute'), addr('8.8.8.8')))).toEqual(['10.244.2.1', '10.0.2.2', '…', '8.8.8.8']);
  });

  it('through the NAT router that serves the node, straight to a host on its upstream subnet', () => {
    expect(hops(predictPath(WITH_NAT, node('node-2'), { kind: 'host', name: 'registry' }))).toEqual([
      { address: '10.0.2.2', interface: 'lan', node: 'nat-node-2' },
      { address: '203.0.113.100', interface: 'eth0', node: 'registry' },
    ]);
    expect(hops(predictPath(WITH_NAT, node('controlplane'), addr('203.0.113.100')))[0]).toEqual({ address: '10.0.2.2', interface: 'lan', node: 'nat-controlplane' });
    expect(addresses(predictPath(WITH_NAT, pod('traceroute'), addr('203.0.113.100')))).toEqual(['10.244.2.1', '10.0.2.2', '203.0.113.100']);
  });

  it('through the NAT router to an address beyond its subnets: routers it cannot see', () => {
    const p = predictPath(WITH_NAT, pod('traceroute'), addr('8.8.8.8'));
    expect(hops(p)).toEqual([
      { address: '10.244.2.1', interface: 'cni0', node: 'node-2' },
      { address: '10.0.2.2', interface: 'lan', node: 'nat-node-2' },
      { address: null, many: true },
      { address: '8.8.8.8' },
    ]);
  });

  it('sends a cluster-CIDR address no node owns to the default route, and says so', () => {
    const p = predictPath(SEED, pod('traceroute'), addr('10.244.9.9'));
    expect(addresses(p)).toEqual(['10.244.2.1', '10.0.2.2', '…', '10.244.9.9']);
    expect(p.ok && p.notes[0]).toBe('10.244.9.9 is in the cluster CIDR 10.244.0.0/16, but no node has it as its pod CIDR: node-2 sends it to its default route');
  });
});

describe('what it will not predict', () => {
  it('a CNI mode without rules', () => {
    expect(predictPath({ ...SEED, cni: 'weave' }, pod('traceroute'), pod('httpd'))).toEqual({
      ok: false,
      reason: 'no prediction for CNI weave: hoplab predicts paths for flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp',
    });
    expect(predictPath({ ...SEED, cni: 'cilium' }, pod('traceroute'), pod('httpd'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^no prediction for CNI cilium/) });
  });

  it('a Service address no Service has', () => {
    expect(predictPath(SEED, pod('traceroute'), addr('10.96.0.99'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^10\.96\.0\.99 is in the service CIDR .* but no Service/) });
  });

  it('a Service address: through kube-proxy to its endpoints (see path-service.test.ts)', () => {
    const p = predictPath(SEED, pod('traceroute'), addr('10.96.0.1'));
    expect(p).toMatchObject({ ok: true, destination: '10.96.0.1', alternatives: [{ endpoint: '192.168.56.10' }] });
  });

  it('unknown endpoints, listing what exists', () => {
    expect(predictPath(SEED, pod('nope'), pod('httpd'))).toEqual({
      ok: false,
      reason: 'source: no pod nope in the cluster facts (pods: nginx, httpd, traceroute-local, traceroute, client, kube-flannel-ds-x7k2p, coredns-5d78c9869d-abcde)',
    });
    expect(predictPath(SEED, pod('traceroute'), node('node-9'))).toEqual({
      ok: false,
      reason: 'destination: no node node-9 in the cluster facts (nodes: controlplane, node-1, node-2)',
    });
    expect(predictPath(SEED, addr('10.0.2.15'), pod('httpd'))).toMatchObject({ ok: false, reason: expect.stringMatching(/no single pod, node or host .* holds 10\.0\.2\.15/) });
  });

  it('a pod without an IP yet', () => {
    const facts = { ...SEED, pods: [...SEED.pods, { name: 'pending', namespace: 'default', node: 'node-1', ip: '', phase: 'Pending' }] };
    expect(predictPath(facts, pod('traceroute'), pod('pending'))).toEqual({ ok: false, reason: 'destination: pod pending has no IP address yet (phase Pending)' });
  });

  it('host-gw between nodes that share no subnet', () => {
    const facts: ClusterFacts = structuredClone(SEED);
    const n1 = facts.nodes.find((n) => n.name === 'node-1')!;
    n1.internalIP = '192.168.57.11';
    n1.interfaces.find((i) => i.name === 'eth1')!.address = '192.168.57.11';
    expect(predictPath(facts, pod('traceroute'), pod('httpd'))).toEqual({
      ok: false,
      reason: "flannel host-gw routes 10.244.1.0/24 via node-1's 192.168.57.11, but node-2 has no interface on that subnet: host-gw needs every node on one L2 network",
    });
  });

  it('a node with no route at all', () => {
    const facts: ClusterFacts = structuredClone(SEED);
    delete facts.nodes.find((n) => n.name === 'node-2')!.defaultRoute;
    expect(predictPath(facts, node('node-2'), addr('8.8.8.8'))).toEqual({ ok: false, reason: 'node-2 has no route to 8.8.8.8 and no default route' });
  });
});

describe('computed from the facts, not from a fixed lab', () => {
  it('derives cni0 from the pod CIDR when the facts do not list cni0', () => {
    const facts: ClusterFacts = structuredClone(SEED);
    for (const n of facts.nodes) n.interfaces = n.interfaces.filter((i) => i.name !== 'cni0');
    expect(addresses(predictPath(facts, pod('traceroute'), pod('httpd')))).toEqual(['10.244.2.1', '192.168.56.11', '10.244.1.3']);
  });

  it('follows other addresses and CIDRs', () => {
    const facts: ClusterFacts = structuredClone(SEED);
    facts.nodes.forEach((n, i) => {
      n.podCIDR = `10.42.${i * 2}.0/23`;
      n.internalIP = `172.16.0.${100 + i}`;
      n.interfaces = [
        { name: 'ens3', address: n.internalIP, prefixLength: 16 },
        { name: 'cni0', address: `10.42.${i * 2}.1`, prefixLength: 23 },
      ];
    });
    facts.clusterCIDR = '10.42.0.0/16';
    facts.pods = [
      { name: 'a', namespace: 'default', node: 'node-2', ip: '10.42.5.7' },
      { name: 'b', namespace: 'default', node: 'node-1', ip: '10.42.3.200' },
    ];
    expect(hops(predictPath(facts, pod('a'), pod('b')))).toEqual([
      { address: '10.42.4.1', interface: 'cni0', node: 'node-2' },
      { address: '172.16.0.101', interface: 'ens3', node: 'node-1' },
      { address: '10.42.3.200', interface: 'eth0', node: 'node-1', pod: 'b' },
    ]);
  });

  it('is pure: the facts are not changed', () => {
    const before = JSON.stringify(WITH_NAT);
    predictPath(WITH_NAT, pod('traceroute'), addr('8.8.8.8'));
    predictPath(WITH_NAT, node('controlplane'), pod('httpd'));
    expect(JSON.stringify(WITH_NAT)).toBe(before);
  });
});
