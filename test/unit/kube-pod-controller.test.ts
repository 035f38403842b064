import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/kube/store.js';
import { createEventRecorder } from '../../src/kube/events.js';
import { startPodController } from '../../src/kube/pod-controller.js';
import { events, nodes, pods } from '../../src/kube/core-resources.js';
import { preparePod } from '../../src/kube/pod-admission.js';
import type { KubeObject, PodReport, PodRuntime } from '../../src/kube/runtime.js';
import { waitFor } from '../helpers/wait.js';

function setup() {
  const store = createStore();
  for (const name of ['controlplane', 'node-1', 'node-2']) {
    store.create(nodes, {
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: name === 'controlplane' ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    });
  }
  const started: { pod: KubeObject; report: (r: PodReport) => void }[] = [];
  const deleted: string[] = [];
  let finishDelete: () => void = () => {};
  const runtime: PodRuntime = {
    startPod: (pod, report) => started.push({ pod, report }),
    deletePod: (pod) => {
      deleted.push(pod.metadata.name);
      return new Promise<void>((r) => (finishDelete = r));
    },
    logs: () => {
      throw new Error('unused');
    },
    exec: () => {
      throw new Error('unused');
    },
  };
  const controller = startPodController({ store, runtime, recorder: createEventRecorder(store), log: () => {} });
  const create = (name: string, spec: Record<string, any> = {}) =>
    store.create(pods, preparePod({ metadata: { name }, spec: { containers: [{ name, image: 'busybox' }], ...spec } }, 'default'));
  const eventsOf = (name: string) => store.list(events, { namespace: 'default' }).items.filter((e) => e.involvedObject.name === name);
  return { store, started, deleted, controller, create, eventsOf, finishDelete: () => finishDelete() };
}

describe('pod controller', () => {
  it('binds a new pod, records Scheduled, and hands the bound pod to the runtime', async () => {
    const t = setup();
    t.create('a', { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } });
    await waitFor('startPod', () => t.started.length === 1);
    expect(t.started[0]!.pod.spec.nodeName).toBe('node-2');
    const pod = t.store.get(pods, 'default', 'a')!;
    expect(pod.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
    expect(t.eventsOf('a').map((e) => [e.type, e.reason, e.message, e.source.component])).toEqual([
      ['Normal', 'Scheduled', 'Successfully assigned default/a to node-2', 'default-scheduler'],
    ]);
  });

  it("merges the runtime's status reports and records its events against the container", async () => {
    const t = setup();
    t.create('a');
    await waitFor('startPod', () => t.started.length === 1);
    const { report } = t.started[0]!;
    report({ status: { phase: 'Running', podIP: '10.244.1.2' } });
    report({ status: { hostIP: '192.168.56.11' }, event: { type: 'Normal', reason: 'Started', message: 'Started container a', container: 'a' } });
    const pod = t.store.get(pods, 'default', 'a')!;
    expect(pod.status).toMatchObject({ phase: 'Running', podIP: '10.244.1.2', hostIP: '192.168.56.11', qosClass: 'BestEffort' });
    const started = t.eventsOf('a').find((e) => e.reason === 'Started')!;
    expect(started.involvedObject.fieldPath).toBe('spec.containers{a}');
    expect(started.source).toEqual({ component: 'kubelet', host: 'node-1' });
    report({ event: { type: 'Normal', reason: 'Started', message: 'Started container a', container: 'a' } });
    expect(t.eventsOf('a').find((e) => e.reason === 'Started')!.count).toBe(2);
  });

  it('deletes gracefully: Terminating until the runtime is done, then gone; later reports are ignored', async () => {
    const t = setup();
    t.create('a');
    await waitFor('startPod', () => t.started.length === 1);
    const seen: string[] = [];
    t.store.watch(pods, { resourceVersion: t.store.resourceVersion() }, (e) => seen.push(e.type));
    const marked = t.controller.deletePod('default', 'a');
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    await waitFor('deletePod', () => t.deleted.length === 1);
    expect(t.store.get(pods, 'default', 'a')).toBeTruthy();
    t.finishDelete();
    await t.controller.idle();
    expect(t.store.get(pods, 'default', 'a')).toBeUndefined();
    expect(seen).toEqual(['MODIFIED', 'DELETED']);
    t.started[0]!.report({ status: { phase: 'Failed' } });
    expect(t.store.get(pods, 'default', 'a')).toBeUndefined();
    expect(t.eventsOf('a').map((e) => e.reason)).toContain('Killing');
  });

  it('removes a pod the runtime never got at once', () => {
    const t = setup();
    t.create('a', { nodeSelector: { 'kubernetes.io/hostname': 'nowhere' } });
    t.controller.deletePod('default', 'a');
    expect(t.store.get(pods, 'default', 'a')).toBeUndefined();
    expect(t.deleted).toEqual([]);
  });

  it('keeps an unschedulable pod Pending with FailedScheduling, and schedules it once a node fits', async () => {
    const t = setup();
    t.create('a', { nodeSelector: { disk: 'ssd' } });
    await waitFor('FailedScheduling', () => t.eventsOf('a').some((e) => e.reason === 'FailedScheduling'));
    const pod = t.store.get(pods, 'default', 'a')!;
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status.conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    t.store.mutate(nodes, '', 'node-2', (n) => (n.metadata.labels.disk = 'ssd'));
    await waitFor('startPod after the label', () => t.started.length === 1);
    expect(t.started[0]!.pod.spec.nodeName).toBe('node-2');
  });
});
