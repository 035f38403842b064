// The audit of issue 12: every step whose checks claim where a pod runs
// ("traceroute on node-2 reaches httpd on node-1", "kube-proxy's rules on the
// client's node") declares it with `requires:`, and a pod pinned to the
// wrong node fails every check of the step with that reason first, instead
// of a ✓ computed from wherever the pod landed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkStep } from '../../src/labs/checks.js';
import { parseLab } from '../../src/labs/load.js';
import type { Lab, Precondition } from '../../src/labs/model.js';
import { unmetPreconditions } from '../../src/labs/preconditions.js';
import { baseFacts, fakeCluster } from '../fixtures/labs/fake-cluster.js';

function load(id: string): Lab {
  const r = parseLab(readFileSync(new URL(`../../labs/${id}.yaml`, import.meta.url), 'utf8'), `labs/${id}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lab;
}

const H1 = { pod: 'httpd', on: 'node-1' };
const T1 = { pod: 'traceroute', on: 'node-1' };
const T2 = { pod: 'traceroute', on: 'node-2' };
const C2 = { pod: 'client', on: 'node-2' };

/** The placement each step's check titles claim, by lab and step (steps not listed claim none). */
const AUDIT: Record<string, Record<string, Precondition[]>> = {
  'pod-to-pod': { 'same-node': [H1, T1], 'across-nodes': [H1, T2] },
  calico: { 'node-interfaces': [H1], 'veth-pair': [H1], routes: [H1], 'across-nodes': [H1, T2] },
  'flannel-vxlan': { trace: [H1, T2], encapsulation: [H1] },
  'pod-to-service': { 'kube-proxy-rules': [C2], 'across-the-cluster': [C2], conntrack: [C2] },
  'office-lan': Object.fromEntries(
    ['a-pod-to-reach', 'route-on-the-gateway', 'the-way-back', 'the-wrong-node', 'two-gateways', 'a-service-from-the-office', 'the-virtualbox-host'].map((s) => [s, [H1]]),
  ),
};

const pin = (node: string) => `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "${node}"}}}`;

describe.each(Object.keys(AUDIT))('the preconditions of %s', (id) => {
  const lab = load(id);

  it('every step declares the placement its checks claim, and no other', () => {
    const declared = Object.fromEntries(lab.steps.filter((s) => s.requires.length).map((s) => [s.id, s.requires]));
    expect(declared).toEqual(AUDIT[id]);
  });

  it.each(Object.keys(AUDIT[id]!))('step %s fails every check with the reason when its pods run on the wrong node', async (stepId) => {
    const index = lab.steps.findIndex((s) => s.id === stepId);
    // What earlier steps made besides the pods (pod-to-service's web Service): there, so the step is not jumped ahead to.
    const web = { name: 'web', namespace: 'default', clusterIP: '10.96.0.20', ports: [{ port: 80, protocol: 'TCP' }], endpoints: [] };
    const provider = fakeCluster(id === 'pod-to-service' ? { services: [web] } : {});
    const wrong = (on: string) => (on === 'node-1' ? 'node-2' : 'node-1');
    for (const r of lab.steps[index]!.requires) if ('on' in r) await provider.kubectl(['run', r.pod, '--image=busybox', pin(wrong(r.on))]);
    const checks = await checkStep(lab, index, provider);
    const reasons = lab.steps[index]!.requires.map((r) => ('on' in r ? `${r.pod} runs on ${wrong(r.on)}, this step needs it on ${r.on}` : ''));
    expect(checks.length).toBe(lab.steps[index]!.checks.length);
    for (const c of checks) expect(c).toMatchObject({ passed: false, outcome: 'failed', summary: reasons.join('; ') });
  });
});

describe('unmetPreconditions', () => {
  const facts = baseFacts();
  facts.pods = [
    { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', phase: 'Running' },
    { name: 'traceroute', namespace: 'default', node: 'node-1', ip: '10.244.1.4', phase: 'Succeeded' },
  ];
  it('names a missing pod, and pods that should be apart but share a node', () => {
    expect(unmetPreconditions([{ pod: 'client', on: 'node-2' }], facts)).toEqual(['there is no pod client yet: this step needs it on node-2']);
    expect(unmetPreconditions([{ pod: 'traceroute', apartFrom: 'httpd' }], facts)).toEqual([
      'traceroute runs on node-1, the same node as httpd: this step needs them on different nodes',
    ]);
    expect(unmetPreconditions([H1, T1], facts)).toEqual([]);
  });
});
