// Service admission (ClusterIP and NodePort allocation, validation with the
// apiserver's messages), the endpoints computation and the table cells.
import { describe, expect, it } from 'vitest';
import { allocateClusterIP, allocateNodePort, staticBand } from '../../src/kube/ip-allocator.js';
import { services } from '../../src/kube/service-resources.js';
import { createStore } from '../../src/kube/store.js';
import { endpointGroups, endpointSubsets, sliceBody } from '../../src/kube/endpoints.js';
import { formatEndpoints, formatSliceEndpoints, formatSlicePorts, serviceTable } from '../../src/kube/service-tables.js';
import { ApiError } from '../../src/kube/status.js';

const seq = () => 0; // deterministic "random": the first candidate

describe('ClusterIP allocation', () => {
  it('takes a requested free address in range, refuses others with the apiserver wording', () => {
    const used = new Set(['10.96.0.1']);
    expect(allocateClusterIP('10.96.0.0/12', used, '10.96.0.10')).toEqual({ ok: true, value: '10.96.0.10' });
    expect(allocateClusterIP('10.96.0.0/12', used, '10.96.0.1')).toEqual({ ok: false, message: 'failed to allocate IP 10.96.0.1: provided IP is already allocated' });
    expect(allocateClusterIP('10.96.0.0/12', used, '1.2.3.4')).toEqual({
      ok: false,
      message: 'failed to allocate IP 1.2.3.4: the provided IP (1.2.3.4) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    });
    expect(allocateClusterIP('10.96.0.0/12', used, '10.96.0.0').ok).toBe(false); // network address
    expect(allocateClusterIP('10.96.0.0/12', used, '10.111.255.255').ok).toBe(false); // broadcast
  });

  it('allocates dynamically above the static band (256 addresses of a /12), then falls back into it', () => {
    expect(staticBand(2 ** 20)).toBe(256);
    expect(allocateClusterIP('10.96.0.0/12', new Set(), undefined, seq)).toEqual({ ok: true, value: '10.96.1.0' });
    // A /28 has a band of 16: all of it; dynamic allocation then uses the band itself.
    const small = new Set<string>();
    for (let i = 0; i < 14; i++) {
      const r = allocateClusterIP('10.0.0.0/28', small, undefined, seq);
      expect(r.ok).toBe(true);
      if (r.ok) small.add(r.value);
    }
    expect(allocateClusterIP('10.0.0.0/28', small, undefined, seq)).toEqual({ ok: false, message: 'failed to allocate a serviceIP: range is full' });
  });
});

describe('NodePort allocation', () => {
  it('checks the range and collisions, allocates from 30000-32767', () => {
    expect(allocateNodePort(new Set(), 1000)).toEqual({ ok: false, message: 'provided port is not in the valid range. The range of valid ports is 30000-32767' });
    expect(allocateNodePort(new Set([30080]), 30080)).toEqual({ ok: false, message: 'provided port is already allocated' });
    const r = allocateNodePort(new Set(), undefined, seq);
    expect(r).toEqual({ ok: true, value: 30086 });
    for (let i = 0; i < 50; i++) {
      const p = allocateNodePort(new Set());
      expect(p.ok && p.value >= 30000 && p.value <= 32767).toBe(true);
    }
  });
});

describe('Service admission', () => {
  const store = createStore();
  const create = (obj: any) => store.create(services, services.prepareCreate!(obj, { namespace: 'default', store }));
  const invalidMessage = (obj: any): string => {
    try {
      create(obj);
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      return (err as ApiError).message;
    }
    throw new Error('accepted');
  };

  it('defaults ports, allocates ClusterIP and NodePort', () => {
    const svc = create({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], type: 'NodePort' } });
    expect(svc.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec).toMatchObject({ sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it('turns protobuf IntOrString target ports back into numbers and names', () => {
    const svc = create({ metadata: { name: 'pb' }, spec: { ports: [{ name: 'a', port: 80, targetPort: { intVal: 8080 } }, { name: 'b', port: 81, targetPort: { type: 1, strVal: 'http' } }] } });
    expect(svc.spec.ports.map((p: any) => p.targetPort)).toEqual([8080, 'http']);
  });

  it('rejects bad services as the apiserver does', () => {
    expect(invalidMessage({ metadata: { name: 'noports' }, spec: {} })).toBe('Service "noports" is invalid: spec.ports: Required value');
    expect(invalidMessage({ metadata: { name: '9lives' }, spec: { ports: [{ port: 80 }] } })).toMatch(/^Service "9lives" is invalid: metadata.name: Invalid value: "9lives": a DNS-1035 label/);
    expect(invalidMessage({ metadata: { name: 'two' }, spec: { ports: [{ port: 80 }, { port: 81 }] } })).toBe(
      'Service "two" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
    );
    create({ metadata: { name: 'first' }, spec: { clusterIP: '10.96.0.99', ports: [{ port: 1 }] } });
    expect(invalidMessage({ metadata: { name: 'again' }, spec: { clusterIP: '10.96.0.99', ports: [{ port: 1 }] } })).toBe(
      'Service "again" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.99"}: failed to allocate IP 10.96.0.99: provided IP is already allocated',
    );
    expect(invalidMessage({ metadata: { name: 'np' }, spec: { ports: [{ port: 80, nodePort: 30001 }] } })).toBe(
      "Service \"np\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    );
  });
});

const pod = (name: string, ip: string, node: string, extra: any = {}) => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(extra.metadata ?? {}) },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'httpd', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { phase: extra.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
});

describe('endpoints of a Service', () => {
  const svc = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] } };

  it('lists ready pods by IP, resolves named ports, keeps unready and terminating pods apart', () => {
    const pods = [
      pod('b', '10.244.2.2', 'node-2'),
      pod('a', '10.244.1.3', 'node-1'),
      pod('slow', '10.244.1.4', 'node-1', { ready: false }),
      pod('going', '10.244.2.9', 'node-2', { metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } }),
      pod('done', '10.244.2.7', 'node-2', { phase: 'Succeeded' }),
      { ...pod('other', '10.244.2.8', 'node-2'), metadata: { name: 'other', namespace: 'default', uid: 'o', labels: { app: 'db' } } },
    ];
    const groups = endpointGroups(svc, pods);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(groups[0]!.endpoints.map((e) => [e.ip, e.ready, e.serving, e.terminating])).toEqual([
      ['10.244.1.3', true, true, false],
      ['10.244.1.4', false, false, false],
      ['10.244.2.2', true, true, false],
      ['10.244.2.9', false, true, true],
    ]);
    const subsets = endpointSubsets(groups);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.1.3', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
          { ip: '10.244.2.2', nodeName: 'node-2', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
        ],
        notReadyAddresses: [{ ip: '10.244.1.4', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'slow', uid: 'uid-slow' } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(formatEndpoints({ subsets })).toBe('10.244.1.3:8080,10.244.2.2:8080');
    const slice = sliceBody(groups[0]!);
    expect(slice.endpoints[3]).toEqual({
      addresses: ['10.244.2.9'],
      conditions: { ready: false, serving: true, terminating: true },
      nodeName: 'node-2',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'going', uid: 'uid-going' },
    });
    expect(formatSliceEndpoints(slice.endpoints)).toBe('10.244.1.3,10.244.1.4,10.244.2.2 + 1 more...');
    expect(formatSlicePorts(slice.ports)).toBe('8080');
  });

  it('prints what kubectl prints for empty endpoints', () => {
    expect(formatEndpoints({})).toBe('<none>');
    expect(formatEndpoints({ subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] })).toBe('');
    expect(formatSliceEndpoints(null as any)).toBe('<unset>');
    expect(formatSlicePorts(null as any)).toBe('<unset>');
    expect(formatEndpoints({ subsets: [{ addresses: [1, 2, 3, 4].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }, { port: 443 }] }] })).toBe(
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...',
    );
  });
});

describe('service table', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const row = (spec: any, status: any = {}) => serviceTable.row({ metadata: { name: 's', creationTimestamp: '2024-05-01T11:59:00Z' }, spec, status }, now).cells;
  it('prints TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE and SELECTOR', () => {
    expect(row({ type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], selector: { 'k8s-app': 'kube-dns' } })).toEqual([
      's', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP', '60s', 'k8s-app=kube-dns',
    ]);
    expect(row({ type: 'NodePort', clusterIPs: ['10.96.5.5'], ports: [{ port: 80, nodePort: 31234, protocol: 'TCP' }] })).toEqual([
      's', 'NodePort', '10.96.5.5', '<none>', '80:31234/TCP', '60s', '<none>',
    ]);
    expect(row({ type: 'LoadBalancer', clusterIPs: ['10.96.5.6'], ports: [] })[3]).toBe('<pending>');
    expect(row({ type: 'ClusterIP', clusterIPs: ['None'], ports: [] }).slice(2, 5)).toEqual(['None', '<none>', '<none>']);
  });
});
