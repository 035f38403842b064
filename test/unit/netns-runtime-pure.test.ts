import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../src/providers/netns/images.js';
import { backoffMs, podPhase, podStatus, type PodView } from '../../src/providers/netns/pod-status.js';
import { parseCniResult } from '../../src/providers/netns/cni.js';

describe('parseImageRef', () => {
  it('normalises like containerd', () => {
    expect(parseImageRef('nginx:latest')).toMatchObject({ registry: 'docker.io', repository: 'library/nginx', tag: 'latest', short: 'nginx' });
    expect(parseImageRef('busybox')).toMatchObject({ repository: 'library/busybox', tag: 'latest' });
    expect(parseImageRef('docker.io/library/httpd:2.4')).toMatchObject({ short: 'httpd', tag: '2.4' });
    expect(parseImageRef('quay.io/org/tool:v1')).toMatchObject({ registry: 'quay.io', repository: 'org/tool', short: 'org/tool' });
    expect(parseImageRef('localhost:5000/x')).toMatchObject({ registry: 'localhost:5000', repository: 'library/x' });
  });
});

describe('pod status', () => {
  const base: PodView = { restartPolicy: 'Always', sandboxReady: true, containers: [] };
  const c = (state: PodView['containers'][number]['state'], restartCount = 0) => ({ name: 'c', image: 'busybox', restartCount, state });
  const t = { kind: 'terminated' as const, reason: 'Completed', startedAt: 'a', finishedAt: 'b' };

  it('is Pending while the sandbox or a container is not up', () => {
    expect(podPhase({ ...base, sandboxReady: false, containers: [c({ kind: 'waiting', reason: 'ContainerCreating' })] })).toBe('Pending');
    expect(podPhase({ ...base, containers: [c({ kind: 'waiting', reason: 'ErrImagePull' })] })).toBe('Pending');
  });
  it('follows the restart policy once containers end', () => {
    expect(podPhase({ ...base, restartPolicy: 'Never', containers: [c({ ...t, exitCode: 0 })] })).toBe('Succeeded');
    expect(podPhase({ ...base, restartPolicy: 'Never', containers: [c({ ...t, exitCode: 1 })] })).toBe('Failed');
    expect(podPhase({ ...base, containers: [c({ ...t, exitCode: 0 })] })).toBe('Running');
    expect(podPhase({ ...base, containers: [c({ kind: 'waiting', reason: 'CrashLoopBackOff' }, 2)] })).toBe('Running');
  });
  it('reports ready, IPs and container states in the API shape', () => {
    const s = podStatus({ ...base, podIP: '10.244.1.2', hostIP: '192.168.56.11', containers: [c({ kind: 'running', startedAt: 'x' })] }, 'now') as any;
    expect(s.phase).toBe('Running');
    expect(s.podIPs).toEqual([{ ip: '10.244.1.2' }]);
    expect(s.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
    expect(s.containerStatuses[0].state).toEqual({ running: { startedAt: 'x' } });
  });
  it('backs off like kubelet', () => {
    expect([0, 1, 2, 5, 10].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 300_000, 300_000]);
  });
});

describe('parseCniResult', () => {
  it('finds the pod IP and the host-side veth', () => {
    const out = JSON.stringify({
      interfaces: [{ name: 'cni0' }, { name: 'veth84d2c481' }, { name: 'eth0', sandbox: '/var/run/netns/p' }],
      ips: [{ interface: 2, address: '10.244.1.2/24', gateway: '10.244.1.1' }],
    });
    expect(parseCniResult(out, 'cni0')).toMatchObject({ podIP: '10.244.1.2', prefixLength: 24, gateway: '10.244.1.1', hostVeth: 'veth84d2c481' });
    expect(() => parseCniResult('{}', 'cni0')).toThrow(/no IP/);
  });
});
