import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitByKind } from '../../src/providers/kube-facts.js';
import { askServerVersion, coveringCidr, serviceRangeFromRefusal, summarise, type DiscoveryExtras } from '../../src/providers/kubeconfig/discover.js';
import type { Kubectl } from '../../src/providers/kubeconfig/kubectl.js';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
const extras = (more: Partial<DiscoveryExtras> = {}): DiscoveryExtras => ({ podsScope: 'all', notes: [], ...more });

describe('discovery summary', () => {
  it('flannel host-gw (kubeadm v1.26 node): modelled, the pod range from the flannel config map', () => {
    const k = splitByKind(fixture('kube/flannel-host-gw.json'));
    const d = summarise(k.nodes, k.pods, extras({ flannelNetConf: { network: '10.244.0.0/16', backend: 'host-gw', source: 'configmap kube-flannel/kube-flannel-cfg' } }));
    expect(d.cni).toBe('flannel-host-gw');
    expect(d.modelled).toBe(true);
    expect(d.clusterCIDR).toBe('10.244.0.0/16');
    expect(d.clusterCIDRSource).toBe('configmap kube-flannel/kube-flannel-cfg Network');
    expect(d.evidence).toContain('configmap kube-flannel/kube-flannel-cfg: Backend host-gw');
    expect(d.notes).toEqual([]);
  });

  it('kubeadm control-plane flags win for both ranges', () => {
    const k = splitByKind(fixture('kube/flannel-host-gw.json'), fixture('kube/control-plane-pods.json'));
    const d = summarise(k.nodes, k.pods, extras({ flannelNetConf: { network: '10.99.0.0/16', source: 'x' } }));
    expect([d.clusterCIDR, d.clusterCIDRSource]).toEqual(['10.244.0.0/16', 'kube-controller-manager --cluster-cidr']);
    expect([d.serviceCIDR, d.serviceCIDRSource]).toEqual(['10.96.0.0/12', 'kube-apiserver --service-cluster-ip-range']);
  });

  it('calico VXLAN node: modelled; the pool gives the range', () => {
    const k = splitByKind(fixture('kube/calico-vxlan.json'));
    const d = summarise(k.nodes, k.pods, extras({ calicoPools: [{ cidr: '192.168.0.0/16', vxlanMode: 'Always', ipipMode: 'Never' }] }));
    expect(d.cni).toBe('calico-vxlan');
    expect(d.clusterCIDR).toBe('192.168.0.0/16');
    expect(d.evidence).toContain('calico IP pool 192.168.0.0/16: ipipMode Never, vxlanMode Always');
  });

  it('kind (kindnet): not modelled, said plainly; DNS and the Service range are found', () => {
    const k = splitByKind(fixture('kubeconfig/kind-three-nodes.json'));
    const dns = k.services.find((s) => (s.metadata as any).name === 'kube-dns');
    const d = summarise(k.nodes, k.pods, extras({ dnsService: dns as any, serverVersion: 'v1.27.3' }));
    expect(d.cni).toBe('kindnet');
    expect(d.modelled).toBe(false);
    expect(d.notes).toContain('CNI kindnet is not one hoplab\'s path engine models: labs still run, and their hop checks report "no prediction for CNI kindnet"');
    expect(d.clusterDns).toEqual({ ip: '10.96.0.10', service: 'kube-system/kube-dns' });
    expect(d.serviceCIDR).toBe('10.96.0.0/16');
    // Nothing publishes the pod range: the smallest range over the nodes' pod CIDRs, and the source says so.
    expect(d.clusterCIDR).toBe('10.244.0.0/22');
    expect(d.clusterCIDRSource).toMatch(/smallest range holding the nodes' pod CIDRs/);
    expect(d.serverVersion).toBe('v1.27.3');
  });

  it('pods only from kube-system, or none: the notes say what that costs', () => {
    const k = splitByKind(fixture('kube/canal-two-nodes.json'));
    expect(summarise(k.nodes, k.pods, extras({ podsScope: 'kube-system' })).notes[0]).toMatch(/kube-system only/);
    const none = summarise(k.nodes, [], extras({ podsScope: 'none' }));
    expect(none.notes[0]).toMatch(/the CNI is judged from node annotations alone/);
  });

  it('no pods and no annotations: unknown, not modelled', () => {
    const d = summarise([{ kind: 'Node', metadata: { name: 'n' }, spec: {} }], [], extras());
    expect(d.cni).toBe('unknown');
    expect(d.modelled).toBe(false);
    expect(d.clusterCIDR).toBe('');
    expect(d.notes.join('\n')).toMatch(/the cluster CIDR is unknown/);
  });
});

describe('ranges', () => {
  it('coveringCidr', () => {
    expect(coveringCidr(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24'])).toBe('10.244.0.0/22');
    expect(coveringCidr(['10.244.0.0/24', '10.244.200.0/24'])).toBe('10.244.0.0/16');
    expect(coveringCidr(['192.168.1.0/24'])).toBe('192.168.1.0/24');
    expect(coveringCidr(['10.0.0.0/8', '192.168.0.0/16'])).toBe('0.0.0.0/0');
    expect(coveringCidr(['nonsense'])).toBeUndefined();
  });

  it("reads the Service range from the apiserver's refusal", () => {
    const msg =
      'The Service "hoplab-service-range-probe" is invalid: spec.clusterIPs: Invalid value: []string{"203.0.113.1"}: failed to allocate IP 203.0.113.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12';
    expect(serviceRangeFromRefusal(msg)).toBe('10.96.0.0/12');
    expect(serviceRangeFromRefusal('The Service "x" is invalid: spec.clusterIP: Invalid value: "10.32.0.10": provided IP is not in the valid range')).toBeUndefined();
  });
});

describe("the server's version, asked once before discovery", () => {
  const answering = (exitCode: number, stdout: string): Kubectl & { asked: string[][] } => {
    const asked: string[][] = [];
    return { asked, run: async (args) => (asked.push(args), { exitCode, stdout, stderr: '' }), json: async () => ({}) };
  };
  it("is kubectl version's gitVersion", async () => {
    const k = answering(0, JSON.stringify({ clientVersion: { gitVersion: 'v1.31.0' }, serverVersion: { gitVersion: 'v1.29.4+k3s1' } }));
    expect(await askServerVersion(k)).toBe('v1.29.4+k3s1');
    expect(k.asked).toEqual([['version', '-o', 'json']]);
  });
  it('is unknown when kubectl fails or answers something else: the dispatcher then picks', async () => {
    expect(await askServerVersion(answering(1, ''))).toBeUndefined();
    expect(await askServerVersion(answering(0, 'not json'))).toBeUndefined();
    expect(await askServerVersion(answering(0, JSON.stringify({ clientVersion: {} })))).toBeUndefined();
  });
});
