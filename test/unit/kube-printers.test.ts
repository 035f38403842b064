import { describe, expect, it } from 'vitest';
import { humanDuration, nodeRoles, nodeStatus, podCells, since } from '../../src/kube/printers.js';
import { podTable, nodeTable, toTable, eventTable } from '../../src/kube/tables.js';
import { pods } from '../../src/kube/core-resources.js';

const now = new Date('2024-05-01T12:00:00Z');
const pod = (status: Record<string, any>, extra: Record<string, any> = {}) => ({
  metadata: { name: 'p', namespace: 'default', creationTimestamp: '2024-05-01T11:59:00Z', ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'node-1', ...(extra.spec ?? {}) },
  status,
});
const cs = (state: Record<string, any>, more: Record<string, any> = {}) => ({ name: 'c', ready: false, restartCount: 0, state, ...more });

describe('humanDuration', () => {
  it('prints durations as kubectl AGE does', () => {
    const s = 1000;
    expect([5 * s, 119 * s, 120 * s, 150 * s, 10 * 60 * s, 179 * 60 * s, 3 * 3600 * s + 5 * 60 * s, 24 * 3600 * s, 3 * 86400 * s + 4 * 3600 * s, 30 * 86400 * s, 800 * 86400 * s].map(humanDuration)).toEqual([
      '5s',
      '119s',
      '2m',
      '2m30s',
      '10m',
      '179m',
      '3h5m',
      '24h',
      '3d4h',
      '30d',
      '2y70d',
    ]);
    expect(humanDuration(-500)).toBe('0s');
    expect(humanDuration(-5000)).toBe('<invalid>');
    expect(since(undefined, now)).toBe('<unknown>');
  });
});

describe('pod STATUS, READY and RESTARTS', () => {
  it('follows the printer through a pod lifecycle', () => {
    expect(podCells(pod({ phase: 'Pending' }, { spec: { nodeName: '' } }), now)).toEqual({ ready: '0/1', status: 'Pending', restarts: '0' });
    expect(podCells(pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ContainerCreating' } })] }), now).status).toBe('ContainerCreating');
    expect(podCells(pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ErrImagePull' } })] }), now).status).toBe('ErrImagePull');
    expect(podCells(pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ImagePullBackOff' } })] }), now).status).toBe('ImagePullBackOff');
    expect(podCells(pod({ phase: 'Running', containerStatuses: [cs({ running: { startedAt: '2024-05-01T11:59:10Z' } }, { ready: true })] }), now)).toEqual({
      ready: '1/1',
      status: 'Running',
      restarts: '0',
    });
    expect(podCells(pod({ phase: 'Succeeded', containerStatuses: [cs({ terminated: { exitCode: 0, reason: 'Completed' } })] }), now).status).toBe('Completed');
    expect(podCells(pod({ phase: 'Failed', containerStatuses: [cs({ terminated: { exitCode: 1, reason: 'Error' } })] }), now).status).toBe('Error');
    expect(podCells(pod({ phase: 'Failed', containerStatuses: [cs({ terminated: { exitCode: 2 } })] }), now).status).toBe('ExitCode:2');
  });

  it('shows CrashLoopBackOff with the restart count and when the last one was', () => {
    const c = cs({ waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:59:30Z' } } });
    expect(podCells(pod({ phase: 'Running', containerStatuses: [c] }), now)).toEqual({ ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (30s ago)' });
  });

  it('says Terminating once a running pod has a deletionTimestamp, but not for a finished one', () => {
    const running = pod({ phase: 'Running', containerStatuses: [cs({ running: {} }, { ready: true })] }, { metadata: { deletionTimestamp: '2024-05-01T12:00:30Z' } });
    expect(podCells(running, now).status).toBe('Terminating');
    const done = pod({ phase: 'Succeeded', containerStatuses: [cs({ terminated: { exitCode: 0, reason: 'Completed' } })] }, { metadata: { deletionTimestamp: '2024-05-01T12:00:30Z' } });
    expect(podCells(done, now).status).toBe('Completed');
  });

  it('shows an unfinished init container as Init:x/y', () => {
    const p = pod(
      { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: { running: {} } }], containerStatuses: [cs({ waiting: { reason: 'PodInitializing' } })] },
      { spec: { initContainers: [{ name: 'init', image: 'busybox' }] } },
    );
    expect(podCells(p, now).status).toBe('Init:0/1');
  });
});

describe('tables', () => {
  it('builds the pod row with the wide cells kubectl hides without -o wide', () => {
    const p = pod({ phase: 'Running', podIP: '10.244.1.3', podIPs: [{ ip: '10.244.1.3' }], containerStatuses: [cs({ running: {} }, { ready: true })] });
    expect(podTable.row(p, now).cells).toEqual(['p', '1/1', 'Running', '0', '60s', '10.244.1.3', 'node-1', '<none>', '<none>']);
    expect(podTable.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1',
    ]);
  });

  it('builds node rows with roles, status and the wide columns', () => {
    const n = {
      metadata: { name: 'controlplane', creationTimestamp: '2024-05-01T11:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.56.10' }],
        nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.7.24' },
      },
    };
    expect(nodeRoles(n)).toEqual(['control-plane']);
    expect(nodeStatus(n)).toBe('Ready,SchedulingDisabled');
    expect(nodeTable.row(n, now).cells).toEqual(['controlplane', 'Ready,SchedulingDisabled', 'control-plane', '60m', 'v1.31.0', '192.168.56.10', '<none>', 'Debian', '6.1', 'containerd://1.7.24']);
  });

  it('prints events with object kind/name and count', () => {
    const e = {
      metadata: { name: 'p.1' },
      involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{c}' },
      type: 'Normal',
      reason: 'Pulled',
      message: 'ok ',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2024-05-01T11:59:00Z',
      lastTimestamp: '2024-05-01T11:59:50Z',
      count: 2,
    };
    expect(eventTable.row(e, now).cells).toEqual(['10s', 'Normal', 'Pulled', 'pod/p', 'spec.containers{c}', 'kubelet, node-1', 'ok', '60s', 2, 'p.1']);
  });

  it('honours includeObject', () => {
    const p = pod({ phase: 'Pending' });
    const meta = toTable(pods, [p], { includeObject: 'Metadata', resourceVersion: '7', now });
    expect(meta.metadata).toEqual({ resourceVersion: '7' });
    expect(meta.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
    expect(toTable(pods, [p], { includeObject: 'Object', now }).rows[0].object).toEqual(p);
    expect(toTable(pods, [p], { includeObject: 'None', now }).rows[0].object).toBeUndefined();
  });
});
