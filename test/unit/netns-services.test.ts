// The netns lab's pieces around Services that need no kernel: the records
// the cluster DNS serves, the resolv.conf kubelet writes, the add-on objects,
// and --proxy-mode parsing.
import { describe, expect, it } from 'vitest';
import { clusterDnsHosts, corednsDeployment, kubeDnsService, CLUSTER_DNS_IP } from '../../src/providers/netns/cluster-dns.js';
import { clusterFirstResolvConf, podEtcFiles } from '../../src/providers/netns/etc-files.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { checkProxyMode, parseProxyMode } from '../../src/providers/netns/proxy-mode.js';
import { services } from '../../src/kube/service-resources.js';
import { deployments } from '../../src/kube/apps-resources.js';
import { createStore } from '../../src/kube/store.js';

const svc = (ns: string, name: string, clusterIP: string) => ({ metadata: { namespace: ns, name }, spec: { clusterIP } });
const slice = (ns: string, name: string, eps: [string, boolean][]) => ({
  metadata: { namespace: ns, labels: { 'kubernetes.io/service-name': name } },
  endpoints: eps.map(([a, ready]) => ({ addresses: [a], conditions: { ready } })),
});

describe('cluster DNS records', () => {
  it('names Services at their ClusterIP and ready endpoints by their dashed address', () => {
    const text = clusterDnsHosts(
      [svc('default', 'web', '10.96.5.5'), svc('kube-system', 'kube-dns', '10.96.0.10'), svc('default', 'db', 'None')],
      [slice('default', 'web', [['10.244.1.3', true], ['10.244.2.9', false]]), slice('default', 'db', [['10.244.2.4', true]])],
    );
    expect(text.split('\n')).toEqual([
      '10.244.1.3\t10-244-1-3.web.default.svc.cluster.local',
      '10.244.2.4\t10-244-2-4.db.default.svc.cluster.local',
      '10.244.2.4\tdb.default.svc.cluster.local',
      '10.96.0.10\tkube-dns.kube-system.svc.cluster.local',
      '10.96.5.5\tweb.default.svc.cluster.local',
      '',
    ]);
    expect(clusterDnsHosts([], [])).toBe('');
  });

  it('is the kubeadm add-on: kube-dns at 10.96.0.10, two coredns replicas tolerating the control plane', () => {
    const store = createStore();
    const s = services.prepareCreate!(kubeDnsService(), { namespace: 'kube-system', store });
    expect(s.spec.clusterIP).toBe(CLUSTER_DNS_IP);
    expect(CLUSTER_DNS_IP).toBe('10.96.0.10');
    expect(s.spec.ports.map((p: any) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
    const d = deployments.prepareCreate!(corednsDeployment(), { namespace: 'kube-system', store });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.dnsPolicy).toBe('Default');
    expect(d.spec.template.spec.tolerations).toContainEqual({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  });
});

describe("pods' resolv.conf", () => {
  const plan = planLab('t', 'flannel-host-gw', 2);
  it('is what kubelet writes for ClusterFirst', () => {
    expect(clusterFirstResolvConf('shop', '10.96.0.10')).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const files = podEtcFiles(plan, { name: 'p', ip: '10.244.1.2' }, { namespace: 'default', clusterDNS: '10.96.0.10' });
    expect(files['resolv.conf']).toMatch(/^search default\.svc\.cluster\.local .*\nnameserver 10\.96\.0\.10\n/);
    expect(files.hosts).toContain('10.244.1.2\tp');
  });

  it("is the node's for dnsPolicy Default, and without cluster DNS", () => {
    expect(podEtcFiles(plan, { name: 'p', ip: '10.244.1.2' }, { namespace: 'default', dnsPolicy: 'Default', clusterDNS: '10.96.0.10' })['resolv.conf']).toBe('nameserver 10.0.2.3\n');
    expect(podEtcFiles(plan, { name: 'p', ip: '10.244.1.2' })['resolv.conf']).toBe('nameserver 10.0.2.3\n');
  });
});

describe('--proxy-mode', () => {
  it('takes iptables or ipvs and names both otherwise', () => {
    expect(parseProxyMode(undefined)).toBeUndefined();
    expect(parseProxyMode('ipvs')).toBe('ipvs');
    expect(() => parseProxyMode('nftables')).toThrow("--proxy-mode 'nftables': expected one of iptables, ipvs");
  });

  it('refusing ipvs, the command it suggests names the lab (issue 18 item 12)', async () => {
    const err = await checkProxyMode('ipvs', 'demo').then(
      () => undefined,
      (e: { hint?: string }) => e,
    );
    expect(err?.hint).toContain('hoplab --name demo up');
    await expect(checkProxyMode('iptables', 'demo')).resolves.toBeUndefined();
  });
});
