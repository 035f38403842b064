// kube-proxy's chain names against the values in Kubernetes' own tests
// (pkg/proxy/iptables/proxier_test.go) and well-known clusters, and the
// rules the generator writes for ClusterIP, NodePort and endpoint-less services.
import { describe, expect, it } from 'vitest';
import { base32, endpointChain, externalChain, serviceChain, servicePortName } from '../../src/kube/proxy-chains.js';
import { proxyServicePorts, usableEndpoints } from '../../src/providers/netns/kube-proxy-model.js';
import { jumpRules, probability, proxyRules, tableSection } from '../../src/providers/netns/kube-proxy-rules.js';

describe('chain names', () => {
  it('base32-encodes like Go base32.StdEncoding', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI'); // RFC 4648 test vector (without padding)
    expect(base32(Buffer.from('f'))).toBe('MY');
  });

  it('match the chain names in kubernetes proxier_test.go', () => {
    expect(serviceChain('ns1/svc1:p80', 'TCP')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(serviceChain('ns2/svc2:p80', 'tcp')).toBe('KUBE-SVC-GNZBNJ2PO5MGZ6GT');
    expect(externalChain('ns2/svc2:p80', 'tcp')).toBe('KUBE-EXT-GNZBNJ2PO5MGZ6GT');
    expect(serviceChain('ns3/svc3:p80', 'tcp')).toBe('KUBE-SVC-X27LE4BHSL4DOUIK');
    expect(serviceChain('ns4/svc4:p80', 'tcp')).toBe('KUBE-SVC-4SW47YFZTEDKD3PK');
    expect(endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
    expect(endpointChain('ns2/svc2:p80', 'tcp', '10.180.0.2:80')).toBe('KUBE-SEP-RS4RBKLTHTF2IUXJ');
    expect(endpointChain('ns3/svc3:p80', 'tcp', '10.180.0.3:80')).toBe('KUBE-SEP-OYPFS5VJICHGATKP');
    expect(endpointChain('ns4/svc4:p80', 'tcp', '10.180.0.4:80')).toBe('KUBE-SEP-UKSFD7AGPMPPLUHC');
    expect(endpointChain('ns4/svc4:p80', 'tcp', '10.180.0.5:80')).toBe('KUBE-SEP-C6EBXVWJJZMIWKLZ');
  });

  it('give every kubeadm cluster the same chains for kubernetes and kube-dns', () => {
    expect(serviceChain(servicePortName('default', 'kubernetes', 'https'), 'TCP')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(serviceChain(servicePortName('kube-system', 'kube-dns', 'dns'), 'UDP')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect(serviceChain(servicePortName('kube-system', 'kube-dns', 'dns-tcp'), 'TCP')).toBe('KUBE-SVC-ERIFXISQEP7F7OF4');
    expect(serviceChain(servicePortName('kube-system', 'kube-dns', 'metrics'), 'TCP')).toBe('KUBE-SVC-JD5MR3NA4I4DYORP');
    expect(servicePortName('default', 'web', '')).toBe('default/web');
  });
});

const slice = (ns: string, svc: string, ports: any[], eps: [string, any?][]) => ({
  metadata: { namespace: ns, name: `${svc}-x`, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports,
  endpoints: eps.map(([ip, conditions]) => ({ addresses: [ip], conditions: conditions ?? { ready: true } })),
});

describe('endpoints as kube-proxy sees them', () => {
  it('merges slices, sorts by ip:port, falls back to serving terminating endpoints', () => {
    const svc = { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.5.5', ports: [{ port: 80, protocol: 'TCP' }] } };
    const ports = proxyServicePorts(
      [svc],
      [
        slice('default', 'web', [{ name: '', port: 8080, protocol: 'TCP' }], [['10.244.2.10'], ['10.244.10.2', { ready: false, serving: true, terminating: true }]]),
        slice('default', 'web', [{ name: '', port: 8080, protocol: 'TCP' }], [['10.244.1.3'], ['10.244.2.10']]),
        slice('other', 'web', [{ name: '', port: 80, protocol: 'TCP' }], [['10.9.9.9']]),
      ],
    );
    expect(ports).toHaveLength(1);
    expect(ports[0]!.endpoints.map((e) => e.address)).toEqual(['10.244.1.3:8080', '10.244.10.2:8080', '10.244.2.10:8080']);
    expect(usableEndpoints(ports[0]!).map((e) => e.ip)).toEqual(['10.244.1.3', '10.244.2.10']);
    const terminatingOnly = { ...ports[0]!, endpoints: ports[0]!.endpoints.filter((e) => e.terminating) };
    expect(usableEndpoints(terminatingOnly).map((e) => e.ip)).toEqual(['10.244.10.2']);
  });

  it('skips headless and ExternalName services', () => {
    expect(proxyServicePorts([{ metadata: { namespace: 'd', name: 'h' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } }], [])).toEqual([]);
    expect(proxyServicePorts([{ metadata: { namespace: 'd', name: 'e' }, spec: { type: 'ExternalName', externalName: 'x.example' } }], [])).toEqual([]);
  });
});

describe('rules', () => {
  const services = [
    { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.50.50', type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] } },
    { metadata: { namespace: 'default', name: 'empty' }, spec: { clusterIP: '10.96.50.51', ports: [{ port: 80, protocol: 'TCP' }] } },
  ];
  const slices = [slice('default', 'web', [{ name: '', port: 80, protocol: 'TCP' }], [['10.244.2.2'], ['10.244.1.2'], ['10.244.1.3']])];
  const rules = proxyRules(proxyServicePorts(services, slices), { clusterCIDR: '10.244.0.0/16' }, ['KUBE-SEP-GONEGONEGONEGONE', 'KUBE-SVC-LOLE4ISW44XBNF3G']);
  const nat = tableSection(rules.restore, 'nat');
  const filter = tableSection(rules.restore, 'filter');
  const svc = serviceChain('default/web', 'TCP');
  const seps = ['10.244.1.2', '10.244.1.3', '10.244.2.2'].map((ip) => endpointChain('default/web', 'TCP', `${ip}:80`));

  it('sends the ClusterIP to KUBE-SVC, which picks a KUBE-SEP with 1/3, then 1/2, then the last', () => {
    expect(probability(3)).toBe('0.3333333333');
    expect(nat).toContain(`-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.50.50 --dport 80 -j ${svc}`);
    const jumps = nat.split('\n').filter((l) => l.startsWith(`-A ${svc} `) && l.includes('KUBE-SEP'));
    expect(jumps).toEqual([
      `-A ${svc} -m comment --comment "default/web -> 10.244.1.2:80" -m statistic --mode random --probability 0.3333333333 -j ${seps[0]}`,
      `-A ${svc} -m comment --comment "default/web -> 10.244.1.3:80" -m statistic --mode random --probability 0.5000000000 -j ${seps[1]}`,
      `-A ${svc} -m comment --comment "default/web -> 10.244.2.2:80" -j ${seps[2]}`,
    ]);
    expect(nat).toContain(`-A ${seps[2]} -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.2.2:80`);
    expect(nat).toContain(`-A ${seps[2]} -m comment --comment default/web -s 10.244.2.2 -j KUBE-MARK-MASQ`);
    expect(nat).toContain(`-A ${svc} -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.50.50 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
  });

  it('masquerades NodePort traffic through KUBE-EXT and keeps KUBE-NODEPORTS last in KUBE-SERVICES', () => {
    const ext = externalChain('default/web', 'TCP');
    expect(nat).toContain(`-A KUBE-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30080 -j ${ext}`);
    expect(nat).toContain(`-A ${ext} -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ`);
    expect(nat).toContain(`-A ${ext} -j ${svc}`);
    const services = nat.split('\n').filter((l) => l.startsWith('-A KUBE-SERVICES'));
    expect(services.at(-1)).toMatch(/-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS$/);
    expect(nat).toContain('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
  });

  it('rejects a service without endpoints in filter, and deletes chains that fell out of use', () => {
    expect(filter).toContain('-A KUBE-SERVICES -m comment --comment "default/empty has no endpoints" -m tcp -p tcp -d 10.96.50.51 --dport 80 -j REJECT');
    expect(nat).not.toContain('default/empty');
    expect(nat).toContain(':KUBE-SEP-GONEGONEGONEGONE - [0:0]');
    expect(nat).toContain('-X KUBE-SEP-GONEGONEGONEGONE');
    expect(nat).not.toContain(`-X ${svc}`);
    expect(rules.natChains.sort()).toEqual([externalChain('default/web', 'TCP'), ...seps, svc].sort());
  });

  it('adds only the jumps a node does not have yet', () => {
    const fresh = jumpRules('');
    expect(fresh).toContain('-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(fresh).toContain(':KUBE-PROXY-CANARY - [0:0]');
    const saved = [
      '*nat',
      ':KUBE-PROXY-CANARY - [0:0]',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-POSTROUTING - [0:0]',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      'COMMIT',
    ].join('\n');
    expect(tableSection(jumpRules(saved), 'nat')).toBe('');
  });
});
