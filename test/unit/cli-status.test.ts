import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/commands/status.js';
import type { ClusterFacts, NodeFacts } from '../../src/core/facts.js';

const node = (name: string, ip: string, cni0?: string): NodeFacts => ({
  name,
  roles: [],
  internalIP: ip,
  podCIDR: '10.244.1.0/24',
  interfaces: [{ name: 'eth1', address: ip, prefixLength: 24 }, ...(cni0 ? [{ name: 'cni0', address: cni0, prefixLength: 24 }] : [])],
});

const facts = (cni: string, n: NodeFacts, hostVeth: string): ClusterFacts => ({
  provider: 'netns',
  cni,
  clusterCIDR: '10.244.0.0/16',
  nodes: [n],
  pods: [{ name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', phase: 'Running', hostVeth }],
  hosts: [],
  services: [],
});

const podLine = (f: ClusterFacts) => renderStatus({ lab: 'm', provider: 'netns', state: 'up', cni: f.cni, facts: f, notes: [] }).split('\n').find((l) => l.includes('httpd'));

describe('hoplab status: where a pod meets its node', () => {
  it('flannel: the cni0 bridge and the veth', () => {
    expect(podLine(facts('flannel-host-gw', node('node-1', '192.168.56.11', '10.244.1.1'), 'veth1a2b3c4d'))).toBe(
      '  default/httpd Running    10.244.1.3     on node-1 (cni0 10.244.1.1)  veth veth1a2b3c4d',
    );
  });

  it('calico: no cni0 to show, the pod hangs off its cali* veth', () => {
    const line = podLine(facts('calico-ipip', node('node-1', '192.168.56.11'), 'cali1234567890a'));
    expect(line).toBe('  default/httpd Running    10.244.1.3     on node-1  veth cali1234567890a');
    expect(line).not.toContain('cni0');
  });
});
