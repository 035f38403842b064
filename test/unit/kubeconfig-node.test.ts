import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { debugPod, debugPodName, nodeExecArgv, readDebugPod, reusable, stripExecTrailer } from '../../src/providers/kubeconfig/debug-pod.js';
import { linkNamesByIndex, readNodeSideOutput } from '../../src/providers/kubeconfig/node-side.js';

const text = (name: string) => readFileSync(new URL(`../fixtures/kubeconfig/${name}`, import.meta.url), 'utf8');

describe('the node debug pod', () => {
  const pod = debugPod({ lab: 'ws1', namespace: 'hoplab-ada-ws1', node: 'ip-10-0-1-7.eu-west-1.compute.internal', role: 'node-1', image: 'nicolaka/netshoot:v0.13', suffix: 'ab12c' }) as any;

  it('is what kubectl debug node/NAME makes: bound by nodeName, host network and PID, privileged, node root at /host', () => {
    expect(pod.metadata.name).toBe('hoplab-shell-node-1-ab12c');
    expect(pod.metadata.namespace).toBe('hoplab-ada-ws1');
    expect(pod.spec.nodeName).toBe('ip-10-0-1-7.eu-west-1.compute.internal');
    expect(pod.spec).toMatchObject({ hostNetwork: true, hostPID: true, restartPolicy: 'Never', automountServiceAccountToken: false });
    expect(pod.spec.containers[0].securityContext).toEqual({ privileged: true });
    expect(pod.spec.volumes).toEqual([{ name: 'host-root', hostPath: { path: '/' } }]);
    expect(pod.spec.containers[0].volumeMounts).toEqual([{ name: 'host-root', mountPath: '/host' }]);
  });

  it('carries the lab labels, and ends by itself', () => {
    expect(pod.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'hoplab', 'hoplab.dev/lab': 'ws1', 'hoplab.dev/node-shell': 'true' });
    expect(pod.spec.containers[0].command).toEqual(['sleep', '1800']);
    expect(pod.spec.activeDeadlineSeconds).toBe(1860);
  });

  it('has a valid name even for a long real node name', () => {
    const name = debugPodName({ node: 'gke-workshop-default-pool-7c9f1e3a-x9qz.us-central1-a.c.project-123456.internal' });
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('runs commands with the image tools, or the node own under chroot', () => {
    expect(nodeExecArgv('image', ['ip', 'route'])).toEqual(['ip', 'route']);
    expect(nodeExecArgv('chroot', ['sh', '-c', 'ip route'])).toEqual(['chroot', '/host', 'sh', '-c', 'ip route']);
  });

  it("drops kubectl exec's own trailer line, and only that", () => {
    expect(stripExecTrailer('ping: bad address\ncommand terminated with exit code 1\n')).toBe('ping: bad address\n');
    expect(stripExecTrailer('command terminated with exit code 2\n')).toBe('');
    expect(stripExecTrailer('some error\n')).toBe('some error\n');
  });

  it('reuses a running pod of the same image on the same node with time left', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    const state = readDebugPod({
      metadata: { name: 'hoplab-shell-node-1-ab12c', creationTimestamp: '2026-01-01T09:50:00Z' },
      spec: { nodeName: 'w1', containers: [{ image: 'img' }] },
      status: { phase: 'Running', containerStatuses: [{ ready: true, state: { running: {} } }] },
    });
    expect(reusable(state, 'w1', 'img', now)).toBe(true);
    expect(reusable(state, 'w2', 'img', now)).toBe(false);
    expect(reusable(state, 'w1', 'other', now)).toBe(false);
    // 1800 s lifetime, 300 s margin: at 26 minutes it is too close to its end.
    expect(reusable(state, 'w1', 'img', now + 16 * 60_000)).toBe(false);
    expect(reusable({ ...state, deleting: true }, 'w1', 'img', now)).toBe(false);
  });

  it('reads why a pod is stuck', () => {
    const s = readDebugPod({
      metadata: { name: 'p' },
      spec: { nodeName: 'w1', containers: [{ image: 'nicolaka/netshoot:nope' }] },
      status: { phase: 'Pending', containerStatuses: [{ ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] },
    });
    expect([s.phase, s.waitingReason, s.waitingMessage]).toEqual(['Pending', 'ImagePullBackOff', 'Back-off pulling image']);
  });
});

describe("what the node says about itself (recorded in the embedded lab's node-1)", () => {
  it('interfaces with addresses, the bridge, and the default route; the loopback left out', () => {
    const side = readNodeSideOutput(text('node-1-ip.txt'), 0, 'T');
    expect(side.interfaces).toEqual([
      { name: 'eth0', address: '10.0.2.15', prefixLength: 24 },
      { name: 'eth1', address: '192.168.56.11', prefixLength: 24 },
      { name: 'cni0', address: '10.244.1.1', prefixLength: 24 },
    ]);
    expect(side.defaultRoute).toEqual({ via: '10.0.2.2', dev: 'eth0' });
    expect(side).toMatchObject({ readAt: 'T', podsAtRead: 0 });
  });

  it("pods' veths (no address) are left out; a node NIC that is a veth with an address stays", () => {
    const [addr, route] = text('node-1-ip.txt').split('---hoplab---\n');
    const links = JSON.parse(addr!);
    links.push({ ifindex: 9, ifname: 'veth1234abcd', mtu: 1500, linkinfo: { info_kind: 'veth' }, addr_info: [] });
    const side = readNodeSideOutput(`${JSON.stringify(links)}\n---hoplab---\n${route}`, 1);
    expect(side.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1', 'cni0']);
  });

  it('a listing cut short is an error', () => {
    expect(() => readNodeSideOutput('[]', 0)).toThrow(/cut short/);
  });

  it('ip -o link: index to name, without the @peer part', () => {
    const names = linkNamesByIndex(text('node-1-ip-o-link.txt'));
    expect([...names]).toEqual([
      [1, 'lo'],
      [2, 'eth0'],
      [3, 'eth1'],
      [4, 'cni0'],
    ]);
  });
});
