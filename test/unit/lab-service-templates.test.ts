// {{ services.NAME.FIELD }}: values from the cluster's Services, kube-proxy's
// chain names computed from them, and the errors a lab author gets.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterFacts } from '../../src/core/facts.js';
import { findTemplates, resolveTemplates } from '../../src/labs/templates.js';
import { endpointChain, serviceChain } from '../../src/kube/proxy-chains.js';

const FACTS: ClusterFacts = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/traces/service/facts.json'), 'utf8'));
const r = (t: string) => resolveTemplates(t, FACTS);

describe('service templates', () => {
  it('resolves addresses, ports and counts', () => {
    expect(r('{{ services.web.clusterIP }}')).toBe('10.104.24.41');
    expect(r('{{ services.web.port }}/{{ services.web-np.nodePort }}')).toBe('80/31024');
    expect(r('{{ services.web.endpointCount }}')).toBe('3');
    expect(r('{{ services.kube-dns.clusterIP }} in {{ services.kube-dns.namespace }}')).toBe('10.96.0.10 in kube-system');
  });

  it("gives kube-proxy's chains, endpoints in kube-proxy's order", () => {
    expect(r('{{ services.web.chain }}')).toBe(serviceChain('default/web', 'TCP'));
    expect(r('{{ services.web.chain }}')).toBe('KUBE-SVC-LOLE4ISW44XBNF3G');
    expect(r('{{ services.kubernetes.chain }}')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(r('{{ services.kube-dns.chain }}')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect([1, 2, 3].map((i) => r(`{{ services.web.endpoint.${i} }}`))).toEqual(['10.244.1.3', '10.244.2.2', '10.244.2.3']);
    expect(r('{{ services.web.endpoint.last }}')).toBe('10.244.2.3');
    expect(r('{{ services.web.endpointChain.1 }}')).toBe(endpointChain('default/web', 'TCP', '10.244.1.3:80'));
    expect(r('{{ services.kubernetes.endpointChain.1 }}')).toBe(endpointChain('default/kubernetes:https', 'TCP', '192.168.56.10:6443'));
  });

  it('orders endpoints by "ip:port" as text, as kube-proxy does', () => {
    const facts = { ...FACTS, services: [{ name: 's', namespace: 'default', clusterIP: '10.96.1.1', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], endpoints: ['10.244.1.3', '10.244.1.30'] }] };
    // "10.244.1.30:80" < "10.244.1.3:80": ':' sorts after '0'.
    expect(resolveTemplates('{{ services.s.endpoint.1 }}', facts)).toBe('10.244.1.30');
  });

  it('reports what is wrong', () => {
    expect(findTemplates('{{ services.web.clusterIp }}').errors).toEqual([
      "{{ services.web.clusterIp }}: unknown service field 'clusterIp', expected one of clusterIP, port, nodePort, namespace, chain, endpointCount, endpoint.N or endpointChain.N (N = 1, 2, ... or last) (did you mean clusterIP?)",
    ]);
    expect(findTemplates('{{ service.web.clusterIP }}').errors[0]).toMatch(/did you mean services\?/);
    expect(() => r('{{ services.nope.clusterIP }}')).toThrow("there is no Service 'nope' in the cluster (services: kubernetes, web, web-np, kube-dns)");
    expect(() => r('{{ services.web.endpoint.4 }}')).toThrow("Service 'web' has 3 ready endpoints, not 4");
    expect(() => r('{{ services.web.nodePort }}')).toThrow("Service 'web' has no NodePort (type ClusterIP)");
  });
});
