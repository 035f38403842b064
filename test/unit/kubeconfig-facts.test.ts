import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kubeItems } from '../../src/providers/kube-facts.js';
import type { Kubectl } from '../../src/providers/kubeconfig/kubectl.js';
import { podCounts, podsNeedingVeth, readFacts, staleNodes } from '../../src/providers/kubeconfig/facts.js';
import { PERMISSIONS } from '../../src/providers/kubeconfig/access.js';
import type { KubeconfigLabRecord } from '../../src/providers/kubeconfig/state.js';

const kind = JSON.parse(readFileSync(new URL('../fixtures/kubeconfig/kind-three-nodes.json', import.meta.url), 'utf8'));
const items = kubeItems(kind) as any[];

const labPod = (name: string, node: string, ip: string, extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'hoplab-ada', uid: `uid-${name}`, labels: extra.labels ?? { run: name } },
  spec: { nodeName: node, hostNetwork: extra.hostNetwork ?? false, containers: [{ name, image: 'busybox' }] },
  status: { phase: extra.phase ?? 'Running', podIP: ip },
});

const debugPodObj = labPod('hoplab-shell-node-1-ab12c', 'kind-worker', '172.18.0.3', { hostNetwork: true, labels: { 'hoplab.dev/node-shell': 'true' } });

function record(): KubeconfigLabRecord {
  return {
    version: 1,
    lab: 'lab',
    kubeconfigFiles: ['/home/ada/.kube/config'],
    context: 'kind-kind',
    server: 'https://127.0.0.1:43693',
    namespace: 'hoplab-ada',
    createdNamespace: true,
    debugImage: 'nicolaka/netshoot:v0.13',
    nodeExec: 'image',
    roles: { controlplane: 'kind-control-plane', 'node-1': 'kind-worker', 'node-2': 'kind-worker2' },
    discovery: { cni: 'kindnet', modelled: false, evidence: [], clusterCIDR: '10.244.0.0/16', clusterCIDRSource: 'kind', serviceCIDR: '10.96.0.0/16', notes: [] },
    access: { allowed: Object.fromEntries(PERMISSIONS.map((p) => [p.id, true])), reviewed: true },
    nodes: {
      'kind-worker': {
        interfaces: [
          { name: 'eth0', address: '172.18.0.3', prefixLength: 16 },
          { name: 'cni0', address: '10.244.1.1', prefixLength: 24 },
        ],
        defaultRoute: { via: '172.18.0.1', dev: 'eth0' },
        readAt: 'T',
        podsAtRead: 1,
      },
    },
    createdAt: 'T',
  };
}

/** kubectl as the cluster would answer the three reads facts() makes. */
function fakeKubectl(calls: string[][]): Kubectl {
  const nodes = items.filter((i) => i.kind === 'Node');
  const system = items.filter((i) => i.metadata.namespace === 'kube-system');
  const answer = (list: any[]) => ({ kind: 'List', apiVersion: 'v1', items: list });
  return {
    async run(args) {
      calls.push(args);
      if (args.includes('kube-system')) return { exitCode: 0, stdout: JSON.stringify(answer(system)), stderr: '' };
      // A cluster without endpoints read rights: optional reads may fail.
      return { exitCode: 1, stdout: '', stderr: 'Error from server (Forbidden): endpoints is forbidden\n' };
    },
    async json(_what, args) {
      calls.push(args);
      return answer([...nodes, labPod('httpd', 'kind-worker', '10.244.1.5'), labPod('traceroute', 'kind-worker2', '10.244.2.4', { phase: 'Succeeded' }), debugPodObj]);
    },
  };
}

describe('facts of a kubeconfig lab', () => {
  it('nodes under role names, node readings merged, debug pods hidden, the CNI from up, veths from the cache', async () => {
    const calls: string[][] = [];
    const facts = await readFacts({ k: fakeKubectl(calls), record: record(), veths: { 'uid-httpd': 'veth0a1b2c3d' }, save: async () => {} });
    expect(calls[0]).toEqual(['get', 'nodes,pods', '-n', 'hoplab-ada', '-o', 'json']);
    expect(facts.provider).toBe('kubeconfig');
    expect(facts.namespace).toBe('hoplab-ada');
    expect(facts.cni).toBe('kindnet');
    expect(facts.serviceCIDR).toBe('10.96.0.0/16');
    expect(facts.nodes.map((n) => [n.name, n.internalIP, n.podCIDR])).toEqual([
      ['controlplane', '172.18.0.4', '10.244.0.0/24'],
      ['node-1', '172.18.0.3', '10.244.1.0/24'],
      ['node-2', '172.18.0.2', '10.244.2.0/24'],
    ]);
    const n1 = facts.nodes.find((n) => n.name === 'node-1')!;
    expect(n1.interfaces.map((i) => i.name)).toEqual(['eth0', 'cni0']);
    expect(n1.defaultRoute).toEqual({ via: '172.18.0.1', dev: 'eth0' });
    // Without a reading, what the API implies.
    expect(facts.nodes.find((n) => n.name === 'node-2')!.interfaces).toEqual([{ name: 'eth0', address: '172.18.0.2' }]);
    expect(facts.pods.map((p) => `${p.namespace}/${p.name}@${p.node}${p.hostVeth ? ` ${p.hostVeth}` : ''}`).sort()).toEqual([
      'hoplab-ada/httpd@node-1 veth0a1b2c3d',
      'hoplab-ada/traceroute@node-2',
      'kube-system/coredns-5d78c9869d-2wq8x@controlplane',
      'kube-system/kindnet-5fk8h@node-1',
      'kube-system/kube-apiserver-kind-control-plane@controlplane',
    ]);
    expect(facts.services.map((s) => `${s.namespace}/${s.name} ${s.clusterIP}`)).toEqual(['kube-system/kube-dns 10.96.0.10']);
  });

  it('never reads namespaces other than the lab one and kube-system', async () => {
    const calls: string[][] = [];
    await readFacts({ k: fakeKubectl(calls), record: record(), veths: {}, save: async () => {} });
    for (const c of calls) {
      expect(c).not.toContain('--all-namespaces');
      expect(c).not.toContain('-A');
      expect(c[c.indexOf('-n') + 1]).toMatch(/^(hoplab-ada|kube-system)$/);
    }
  });
});

describe('when to look at a node again', () => {
  it('a node read with no pods is read again once it runs one (its CNI bridge comes with the first pod)', () => {
    const nodes = record().nodes;
    nodes['kind-worker2'] = { interfaces: [], readAt: 'T', podsAtRead: 0 };
    const counts = podCounts([labPod('a', 'kind-worker2', '10.244.2.9', { phase: 'Succeeded' }), labPod('b', 'kind-worker', '10.244.1.9')]);
    expect(counts).toEqual({ 'kind-worker2': 1, 'kind-worker': 1 });
    expect(staleNodes(nodes, counts, ['kind-control-plane', 'kind-worker', 'kind-worker2'])).toEqual(['kind-control-plane', 'kind-worker2']);
    expect(staleNodes(nodes, {}, ['kind-worker', 'kind-worker2'])).toEqual([]);
  });

  it('host-network pods do not count, and neither do pods without an address', () => {
    expect(podCounts([debugPodObj, labPod('p', 'kind-worker', '')])).toEqual({});
  });

  it('veths are looked up for running lab pods on the pod network, once', () => {
    const pods = [
      labPod('httpd', 'kind-worker', '10.244.1.5'),
      labPod('web', 'kind-worker2', '10.244.2.5'),
      labPod('done', 'kind-worker2', '10.244.2.6', { phase: 'Succeeded' }),
      debugPodObj,
      { ...labPod('dns', 'kind-worker', '10.244.1.2'), metadata: { name: 'dns', namespace: 'kube-system', uid: 'uid-dns' } },
    ];
    const need = podsNeedingVeth(pods, 'hoplab-ada', { 'uid-httpd': 'vethx' });
    expect([...need]).toEqual([['kind-worker2', [{ uid: 'uid-web', name: 'web', namespace: 'hoplab-ada' }]]]);
  });
});
