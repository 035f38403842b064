import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { ClusterFacts } from '../../src/core/facts.js';
import { readClusterFacts, splitByKind, readNodes } from '../../src/providers/kube-facts.js';
import { mapRoles, realOf, renameFacts, roleOf } from '../../src/providers/kubeconfig/roles.js';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
const kind = splitByKind(fixture('kubeconfig/kind-three-nodes.json'));
const canal = splitByKind(fixture('kube/canal-two-nodes.json'));

describe('mapRoles', () => {
  it('kind: the control plane first, then the workers by name (not list order)', () => {
    const m = mapRoles(readNodes(kind.nodes));
    expect(m.roles).toEqual({ controlplane: 'kind-control-plane', 'node-1': 'kind-worker', 'node-2': 'kind-worker2' });
    expect(m.notes.join(' ')).not.toMatch(/worker/);
  });

  it('a two-node kubeadm cluster (canal fixture) gives one worker and says what that means', () => {
    const m = mapRoles(readNodes(canal.nodes));
    expect(m.roles).toEqual({ controlplane: 'controlplane', 'node-1': 'node01' });
    expect(m.notes.join('\n')).toMatch(/one worker: labs that need two workers \(pod-to-pod\) say so/);
  });

  it('a one-node cluster (minikube) has a control plane and no worker', () => {
    const m = mapRoles([{ name: 'minikube', roles: ['control-plane'] }]);
    expect(m.roles).toEqual({ controlplane: 'minikube' });
    expect(m.notes.join('\n')).toMatch(/a control plane and no worker/);
  });

  it('a managed control plane (no control-plane node): the first node stands in, and the notes say so', () => {
    const m = mapRoles([
      { name: 'gke-pool-b', roles: [] },
      { name: 'gke-pool-a', roles: [] },
      { name: 'gke-pool-c', roles: [] },
    ]);
    expect(m.roles).toEqual({ controlplane: 'gke-pool-a', 'node-1': 'gke-pool-b', 'node-2': 'gke-pool-c' });
    expect(m.notes[0]).toMatch(/no node carries the control-plane role.*'controlplane' in labs means gke-pool-a/);
  });

  it('the older master role counts as control plane; extra control planes keep their names', () => {
    const m = mapRoles([
      { name: 'm2', roles: ['control-plane'] },
      { name: 'm1', roles: ['master'] },
      { name: 'w1', roles: [] },
    ]);
    expect(m.roles).toEqual({ controlplane: 'm1', 'node-1': 'w1' });
    expect(m.notes[0]).toMatch(/control-plane nodes m2 keep their own names/);
  });

  it('--nodes gives the order; unknown names are refused with the real ones listed', () => {
    expect(mapRoles(readNodes(kind.nodes), ['kind-worker2', 'kind-control-plane', 'kind-worker']).roles).toEqual({
      controlplane: 'kind-worker2',
      'node-1': 'kind-control-plane',
      'node-2': 'kind-worker',
    });
    expect(() => mapRoles(readNodes(kind.nodes), ['kind-control-plane', 'kind-wroker'])).toThrow(/--nodes: no node 'kind-wroker' in the cluster/);
    try {
      mapRoles(readNodes(kind.nodes), ['nope']);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).hint).toBe('its nodes: kind-control-plane, kind-worker, kind-worker2');
    }
  });

  it('refuses when a node left out of the map has the name of a role another node plays', () => {
    const nodes = [
      { name: 'node-1', roles: [] },
      { name: 'a', roles: ['control-plane'] },
      { name: 'b', roles: [] },
    ];
    expect(() => mapRoles(nodes, ['a', 'b'])).toThrow(/node 'node-1' has the name of a lab role that b plays/);
  });
});

describe('role and real names', () => {
  const roles = { controlplane: 'kind-control-plane', 'node-1': 'kind-worker', 'node-2': 'kind-worker2' };
  it('translates both ways, and leaves unmapped names alone', () => {
    expect(roleOf(roles, 'kind-worker2')).toBe('node-2');
    expect(roleOf(roles, 'other')).toBe('other');
    expect(realOf(roles, 'node-1')).toBe('kind-worker');
    expect(realOf(roles, 'kind-worker')).toBe('kind-worker');
    expect(realOf(roles, 'extra', ['extra'])).toBe('extra');
    expect(realOf(roles, 'node-3')).toBeUndefined();
  });

  it('renameFacts: nodes and pods under role names, roles as the lab sees them, role order', () => {
    const facts: ClusterFacts = readClusterFacts([fixture('kubeconfig/kind-three-nodes.json')], { provider: 'kubeconfig' });
    const renamed = renameFacts(facts, { controlplane: 'kind-worker2', 'node-1': 'kind-control-plane', 'node-2': 'kind-worker' });
    expect(renamed.nodes.map((n) => [n.name, n.roles, n.internalIP])).toEqual([
      ['controlplane', ['control-plane'], '172.18.0.2'],
      ['node-1', [], '172.18.0.4'],
      ['node-2', [], '172.18.0.3'],
    ]);
    expect(renamed.pods.find((p) => p.name.startsWith('coredns'))!.node).toBe('node-1');
    expect(renamed.pods.find((p) => p.name.startsWith('kindnet'))!.node).toBe('node-2');
    // The facts it came from are untouched.
    expect(facts.nodes.map((n) => n.name)).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);
  });
});
