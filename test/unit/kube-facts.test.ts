import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectCni,
  kubeItems,
  readCniAnnotations,
  readClusterFacts,
  readControlPlaneCidrs,
  readNodes,
  readPods,
  readServices,
  splitByKind,
} from '../../src/providers/kube-facts.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/kube/${name}`, import.meta.url), 'utf8'));

describe('flannel host-gw node (kubeadm v1.26 describe output)', () => {
  const k = splitByKind(fixture('flannel-host-gw.json'));

  it('reads InternalIP, podCIDR, roles and the node address as the only interface', () => {
    expect(readNodes(k.nodes)).toEqual([
      {
        name: 'node01',
        roles: [],
        internalIP: '192.168.213.134',
        podCIDR: '10.244.2.0/24',
        interfaces: [{ name: 'eth0', address: '192.168.213.134' }],
      },
    ]);
  });

  it('reads the flannel annotations; backend-data "null" carries no VTEP', () => {
    expect(readCniAnnotations(k.nodes[0]!)).toEqual({
      flannel: { backendType: 'host-gw', publicIP: '192.168.213.134', vni: undefined, vtepMAC: undefined },
    });
  });

  it('detects flannel host-gw from the agent pod and the annotation', () => {
    const d = detectCni(k.nodes, k.pods);
    expect(d.cni).toBe('flannel-host-gw');
    expect(d.modelled).toBe(true);
    expect(d.evidence).toContain('pod kube-flannel/kube-flannel-ds-t7flw');
  });

  it('reads pods with node and IP', () => {
    expect(readPods(k.pods)[0]).toEqual({
      name: 'nginx-748c667d99-v9vbc',
      namespace: 'default',
      node: 'node01',
      ip: '10.244.2.26',
      phase: 'Running',
    });
  });
});

describe('canal (flannel VXLAN + calico annotations on the same nodes)', () => {
  const k = splitByKind(fixture('canal-two-nodes.json'));

  it('names canal from its pods and does not claim a modelled mode', () => {
    const d = detectCni(k.nodes, k.pods);
    expect(d).toMatchObject({ cni: 'canal', modelled: false });
  });

  it('without pods, says both annotation sets are there instead of guessing', () => {
    const d = detectCni(k.nodes);
    expect(d.cni).toBe('flannel+calico');
    expect(d.modelled).toBe(false);
    expect(d.evidence.join('\n')).toMatch(/both flannel and calico/);
  });

  it('reads the control-plane role and the flannel.1 / tunl0 devices the annotations imply', () => {
    const [cp, worker] = readNodes(k.nodes);
    expect(cp!.roles).toEqual(['control-plane']);
    expect(worker!.roles).toEqual([]);
    expect(cp!.interfaces).toEqual([
      { name: 'eth0', address: '172.30.1.2', prefixLength: 24 },
      { name: 'flannel.1', address: '192.168.0.0', prefixLength: 32 },
      { name: 'tunl0', address: '192.168.0.1', prefixLength: 32 },
    ]);
    expect(readCniAnnotations(k.nodes[1]!).flannel?.vtepMAC).toBe('76:62:36:fe:31:9f');
  });

  it('skips pods that have no address yet', () => {
    expect(readPods(k.pods).map((p) => p.name)).toEqual(['canal-wlt99', 'canal-4xxhw']);
  });
});

describe('flannel-io/flannel#1122 node (malformed backend-data, no status)', () => {
  const nodes = kubeItems(fixture('flannel-issue-1122-node.json'));

  it('survives the malformed JSON and reports an empty InternalIP rather than inventing one', () => {
    expect(readCniAnnotations(nodes[0]!).flannel).toEqual({
      backendType: 'vxlan',
      publicIP: 'x.x.x.x',
      vni: undefined,
      vtepMAC: undefined,
    });
    const [n] = readNodes(nodes);
    expect(n!.internalIP).toBe('');
    expect(n!.interfaces).toEqual([{ name: 'flannel.1', address: '10.200.254.1', prefixLength: 32 }]);
  });

  it('is flannel-vxlan by annotation alone', () => {
    expect(detectCni(nodes).cni).toBe('flannel-vxlan');
  });
});

describe('calico modes from tunnel-address annotations', () => {
  it('IPIP tunnel address → calico-ipip, tunl0 holds it', () => {
    const k = splitByKind(fixture('calico-ipip.json'));
    expect(detectCni(k.nodes, k.pods)).toMatchObject({ cni: 'calico-ipip', modelled: true });
    const [n] = readNodes(k.nodes);
    expect(n!.roles).toEqual(['master']);
    expect(n!.interfaces).toContainEqual({ name: 'tunl0', address: '192.168.191.192', prefixLength: 32 });
  });

  it('VXLAN tunnel address → calico-vxlan, vxlan.calico holds it', () => {
    const k = splitByKind(fixture('calico-vxlan.json'));
    expect(detectCni(k.nodes).cni).toBe('calico-vxlan');
    const [n] = readNodes(k.nodes);
    expect(n!.podCIDR).toBe('');
    expect(n!.interfaces).toContainEqual({ name: 'vxlan.calico', address: '192.168.25.64', prefixLength: 32 });
  });

  it('no tunnel address → calico-bgp', () => {
    const k = splitByKind(fixture('calico-bgp.json'));
    const d = detectCni(k.nodes);
    expect(d.cni).toBe('calico-bgp');
    expect(d.evidence).toContain('node node-1: IPv4Address 192.168.56.11/24');
  });

  it('nodes that disagree are reported, not averaged', () => {
    const ipip = splitByKind(fixture('calico-ipip.json')).nodes;
    const vxlan = splitByKind(fixture('calico-vxlan.json')).nodes;
    const d = detectCni([...ipip, ...vxlan]);
    expect(d).toMatchObject({ cni: 'calico', modelled: false });
    expect(d.evidence.at(-1)).toMatch(/disagree.*ipip, vxlan/);
  });
});

describe('other CNIs and nothing at all', () => {
  it('names an unmodelled CNI from its agent pods', () => {
    const pods = [{ kind: 'Pod', metadata: { name: 'cilium-x7k2p', namespace: 'kube-system' } }];
    expect(detectCni([], pods)).toMatchObject({ cni: 'cilium', modelled: false });
    const kind = [{ kind: 'Pod', metadata: { name: 'kindnet-abcde', namespace: 'kube-system' } }];
    expect(detectCni([], kind).cni).toBe('kindnet');
  });

  it('says unknown when nothing points anywhere', () => {
    expect(detectCni([{ kind: 'Node', metadata: { name: 'a' } }])).toMatchObject({ cni: 'unknown', modelled: false });
  });
});

describe('services, endpoints and control-plane CIDRs', () => {
  it('joins Services with EndpointSlices and with legacy Endpoints', () => {
    const k = splitByKind(fixture('services.json'));
    expect(readServices(k.services, k.endpointSlices, k.endpoints)).toEqual([
      // The port name and the endpoints' port (from the slice) are what kube-proxy's chain names are made of.
      { name: 'example', namespace: 'default', clusterIP: '10.96.12.34', ports: [{ port: 80, protocol: 'TCP', name: 'http', targetPort: 80 }], endpoints: ['10.1.2.3'] },
      {
        name: 'my-service',
        namespace: 'default',
        clusterIP: '10.96.0.77',
        ports: [{ port: 80, protocol: 'TCP', nodePort: 30007 }],
        endpoints: ['192.0.2.42'],
        type: 'NodePort',
      },
    ]);
  });

  it('leaves out endpoints that are not ready', () => {
    const slice = {
      kind: 'EndpointSlice',
      metadata: { namespace: 'default', labels: { 'kubernetes.io/service-name': 's' } },
      endpoints: [
        { addresses: ['10.244.1.5'], conditions: { ready: false } },
        { addresses: ['10.244.2.6'] },
      ],
    };
    const svc = { kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP: '10.96.0.9', ports: [] } };
    expect(readServices([svc], [slice])[0]!.endpoints).toEqual(['10.244.2.6']);
  });

  it('reads the cluster and Service CIDRs from the kubeadm static pods', () => {
    expect(readControlPlaneCidrs(kubeItems(fixture('control-plane-pods.json')))).toEqual({
      clusterCIDR: '10.244.0.0/16',
      serviceCIDR: '10.96.0.0/12',
    });
  });
});

describe('readClusterFacts', () => {
  it('puts it together from several answers, preferring node-side interface listings', () => {
    const facts = readClusterFacts([fixture('flannel-host-gw.json'), fixture('control-plane-pods.json'), fixture('services.json')], {
      provider: 'vagrant',
      interfaces: { node01: [{ name: 'eth1', address: '192.168.213.134', prefixLength: 24 }] },
      defaultRoutes: { node01: { via: '10.0.2.2', dev: 'eth0' } },
    });
    expect(facts.provider).toBe('vagrant');
    expect(facts.cni).toBe('flannel-host-gw');
    expect(facts.clusterCIDR).toBe('10.244.0.0/16');
    expect(facts.serviceCIDR).toBe('10.96.0.0/12');
    expect(facts.nodes[0]!.interfaces).toEqual([{ name: 'eth1', address: '192.168.213.134', prefixLength: 24 }]);
    expect(facts.nodes[0]!.defaultRoute).toEqual({ via: '10.0.2.2', dev: 'eth0' });
    expect(facts.pods.map((p) => p.name)).toContain('kube-apiserver-controlplane');
    expect(facts.services).toHaveLength(2);
    expect(facts.cniEvidence.length).toBeGreaterThan(0);
  });

  it('falls back to the given cluster CIDR when the control plane is not visible', () => {
    const facts = readClusterFacts([fixture('calico-bgp.json')], { provider: 'kubeconfig', clusterCIDR: '10.244.0.0/16' });
    expect(facts.clusterCIDR).toBe('10.244.0.0/16');
    expect(facts.serviceCIDR).toBeUndefined();
  });
});
