import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../src/core/facts.js';
import { UsageError } from '../../src/core/errors.js';
import { firstHost, inCidr, onSubnet, subnetOf } from '../../src/path/cidr.js';
import { resolveEndpoint } from '../../src/path/resolve.js';

const SEED: ClusterFacts = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/traces/seed-cluster-facts.json'), 'utf8'));

function usageError(text: string, facts = SEED): string {
  try {
    resolveEndpoint(facts, text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`resolved ${text}`);
}

describe('resolveEndpoint', () => {
  it.each([
    ['httpd', { kind: 'pod', name: 'httpd', namespace: 'default' }],
    ['pod/httpd', { kind: 'pod', name: 'httpd', namespace: 'default' }],
    ['po/httpd', { kind: 'pod', name: 'httpd', namespace: 'default' }],
    ['pod/kube-system/coredns-5d78c9869d-abcde', { kind: 'pod', name: 'coredns-5d78c9869d-abcde', namespace: 'kube-system' }],
    ['kube-system/coredns-5d78c9869d-abcde', { kind: 'pod', name: 'coredns-5d78c9869d-abcde', namespace: 'kube-system' }],
    ['node/node-1', { kind: 'node', name: 'node-1' }],
    ['node-1', { kind: 'node', name: 'node-1' }],
    ['  controlplane  ', { kind: 'node', name: 'controlplane' }],
    ['vbox-host', { kind: 'host', name: 'vbox-host' }],
    ['host/vbox-host', { kind: 'host', name: 'vbox-host' }],
    ['10.244.1.3', { kind: 'pod', name: 'httpd', namespace: 'default' }],
    ['192.168.56.11', { kind: 'node', name: 'node-1' }], // also the hostNetwork flannel pod's: the node wins
    ['10.244.1.1', { kind: 'address', ip: '10.244.1.1' }], // a node's cni0: traced as that address
    ['8.8.8.8', { kind: 'address', ip: '8.8.8.8' }],
  ])('%s', (text, ref) => {
    expect(resolveEndpoint(SEED, text)).toEqual(ref);
  });

  it('lists what exists for an unknown name', () => {
    expect(usageError('htpd')).toBe(
      [
        'unknown endpoint "htpd": expected a pod, node, host or Service name, or an IPv4 address.',
        'pods: nginx (10.244.1.2), httpd (10.244.1.3), traceroute-local (10.244.1.4), traceroute (10.244.2.2), client (10.244.0.5), kube-flannel-ds-x7k2p (192.168.56.11, kube-flannel), coredns-5d78c9869d-abcde (10.244.0.2, kube-system)',
        'nodes: controlplane (192.168.56.10), node-1 (192.168.56.11), node-2 (192.168.56.12)',
        'hosts: vbox-host',
        'services: kubernetes',
      ].join('\n'),
    );
  });

  it('takes a Service by its bare name, as the lab texts name it (--to web)', () => {
    const web = { name: 'web', namespace: 'default', type: 'ClusterIP', clusterIP: '10.96.0.80', ports: [] } as unknown as ClusterFacts['services'][number];
    const facts: ClusterFacts = { ...SEED, services: [...SEED.services, web] };
    expect(resolveEndpoint(facts, 'web')).toEqual({ kind: 'address', ip: '10.96.0.80' });
    const clash: ClusterFacts = { ...facts, hosts: [...facts.hosts, { ...facts.hosts[0]!, name: 'web' }] };
    expect(usageError('web', clash)).toBe('"web" names a host and a Service: write host/web or svc/web');
  });

  it('names the kind when a typed name is unknown', () => {
    expect(usageError('node/node-7')).toBe('unknown endpoint "node/node-7": no node node-7 in the cluster facts (nodes: controlplane, node-1, node-2)');
    expect(usageError('pod/default/coredns-5d78c9869d-abcde')).toMatch(/^unknown endpoint "pod\/default\/coredns-5d78c9869d-abcde": no pod coredns-5d78c9869d-abcde in namespace default/);
  });

  it('refuses an empty endpoint', () => {
    expect(usageError('   ')).toMatch(/^an endpoint is empty: expected a pod, node or host name, or an IPv4 address\.\npods: /);
  });

  it('asks which one when a name is both a pod and a node', () => {
    const facts = { ...SEED, pods: [...SEED.pods, { name: 'node-1', namespace: 'default', node: 'node-2', ip: '10.244.2.9' }] };
    expect(usageError('node-1', facts)).toBe('"node-1" names a pod and a node: write pod/node-1 or node/node-1');
    expect(resolveEndpoint(facts, 'pod/node-1')).toEqual({ kind: 'pod', name: 'node-1', namespace: 'default' });
  });

  it('asks for the namespace when a pod name is in two', () => {
    const facts = { ...SEED, pods: [...SEED.pods, { name: 'httpd', namespace: 'web', node: 'node-2', ip: '10.244.2.8' }] };
    expect(usageError('httpd', facts)).toBe('ambiguous endpoint "httpd": pod httpd exists in namespaces default, web: name one, as pod/<namespace>/httpd');
    expect(resolveEndpoint(facts, 'pod/web/httpd')).toEqual({ kind: 'pod', name: 'httpd', namespace: 'web' });
  });
});

describe('cidr helpers', () => {
  it('answers subnet questions', () => {
    expect(inCidr('10.244.1.3', '10.244.1.0/24')).toBe(true);
    expect(inCidr('10.244.2.3', '10.244.1.0/24')).toBe(false);
    expect(inCidr('10.244.1.3', 'garbage')).toBe(false);
    expect(inCidr('not-an-ip', '10.0.0.0/8')).toBe(false);
    expect(onSubnet('192.168.56.1', '192.168.56.11', 24)).toBe(true);
    expect(onSubnet('192.168.57.1', '192.168.56.11', 24)).toBe(false);
    expect(subnetOf('192.168.56.11', 24)).toBe('192.168.56.0/24');
  });

  it('finds the first host address of a pod CIDR, wherever the CIDR is written from', () => {
    expect(firstHost('10.244.1.0/24')).toBe('10.244.1.1');
    expect(firstHost('10.42.4.0/23')).toBe('10.42.4.1');
    expect(firstHost('10.42.5.77/23')).toBe('10.42.4.1');
  });
});
