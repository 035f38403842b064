// The data plane and the pod runtime on the real kernel, without the API
// server: namespaces, CNI, registry pulls and the seed's traceroutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/core/exec.js';
import { buildDataPlane } from '../../src/providers/netns/build.js';
import { prepareImages } from '../../src/providers/netns/images.js';
import { inNs, listNamespaces } from '../../src/providers/netns/namespaces.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { createNetnsRuntime } from '../../src/providers/netns/runtime.js';
import { labPaths, writeLabRecord } from '../../src/providers/netns/state.js';
import { teardownLab } from '../../src/providers/netns/teardown.js';
import type { PodReport } from '../../src/kube/runtime.js';
import { waitFor as pollFor } from '../helpers/wait.js';
import { NO_NETNS, testLabName, useTempStateDir } from '../helpers/root.js';

useTempStateDir();

const lab = testLabName('dp');

function pod(name: string, node: string, image: string, args?: string[], restartPolicy = 'Never') {
  return {
    metadata: { name, namespace: 'default', uid: `${name}-0000-uid-${Math.random().toString(16).slice(2, 10)}` },
    spec: { nodeName: node, restartPolicy, containers: [{ name, image, ...(args ? { args } : {}) }] },
  };
}

const waitFor = <T>(what: string, fn: () => T | undefined, ms = 10_000) => pollFor(what, fn, ms, 50);

describe.skipIf(NO_NETNS)('netns data plane (real kernel)', () => {
  const plan = planLab(lab, 'flannel-host-gw', 2);
  const paths = labPaths(lab);
  const statuses = new Map<string, any>();
  const events = new Map<string, string[]>();
  let runtime: ReturnType<typeof createNetnsRuntime>;
  const httpd = pod('httpd', 'node-1', 'httpd', undefined, 'Always');
  const reporter = (name: string) => (r: PodReport) => {
    if (r.status) statuses.set(name, r.status);
    if (r.event) events.set(name, [...(events.get(name) ?? []), `${r.event.reason}: ${r.event.message}`]);
  };

  beforeAll(async () => {
    await writeLabRecord(lab, { version: 1, plan, workers: 2, createdAt: new Date().toISOString() });
    await prepareImages(paths);
    await buildDataPlane(plan, paths, () => undefined);
    runtime = createNetnsRuntime(plan, paths, (line) => console.error(line));
  });

  afterAll(async () => {
    runtime?.shutdown();
    await teardownLab(lab);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('controlplane reaches node-1 and node-2 over eth1 in one hop', async () => {
    for (const ip of ['192.168.56.11', '192.168.56.12']) {
      const r = await run(inNs(plan.nodes[0]!.ns, ['traceroute', '-n', '-q', '1', '-w', '1', ip]));
      expect(r.stdout).toMatch(new RegExp(`^ 1  ${ip.replace(/\./g, '\\.')} `, 'm'));
      expect(r.stdout.trim().split('\n')).toHaveLength(2);
    }
  });

  it('a node resolves the registry through the NAT DNS at 10.0.2.3', async () => {
    const r = await run(inNs(plan.nodes[1]!.ns, ['busybox', 'nslookup', 'registry-1.docker.io']));
    expect(r.stdout).toContain('10.0.2.3');
    expect(r.stdout).toMatch(/Address: 203\.0\.113\.100/);
  });

  it('a node reaches the simulated internet through its NAT router', async () => {
    const r = await run(inNs(plan.nodes[1]!.ns, ['traceroute', '-n', '-q', '1', '-w', '1', '203.0.113.100']));
    expect(r.stdout).toMatch(/^ 1  10\.0\.2\.2 /m);
    expect(r.stdout).toMatch(/^ 2  203\.0\.113\.100 /m);
  });

  it('runs pods with the real CNI bridge plugin and gives the seed traceroute across nodes', async () => {
    runtime.startPod(httpd, reporter('httpd'));
    const httpdIP = await waitFor('httpd running', () =>
      statuses.get('httpd')?.phase === 'Running' ? (statuses.get('httpd').podIP as string) : undefined,
    );
    expect(httpdIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(events.get('httpd')!.some((e) => e.startsWith('Pulled: Successfully pulled image "httpd"'))).toBe(true);

    const tr = pod('traceroute', 'node-2', 'busybox', ['sh', '-c', `ping -c 1 -W 2 ${httpdIP} >/dev/null; traceroute ${httpdIP}`]);
    runtime.startPod(tr, reporter('traceroute'));
    await waitFor('traceroute done', () => (statuses.get('traceroute')?.phase === 'Succeeded' ? true : undefined), 20_000);
    const chunks: Buffer[] = [];
    for await (const c of runtime.logs(tr, 'traceroute', { follow: false, signal: new AbortController().signal })) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks).toString();
    const hops = [...out.matchAll(/^ (\d)  (\S+)/gm)].map((m) => m[2]);
    expect(hops).toEqual(['10.244.2.1', '192.168.56.11', httpdIP]);
  });

  it('serves HTTP from the httpd pod to a pod on another node', async () => {
    const ip = statuses.get('httpd').podIP;
    const w = pod('wget', 'controlplane', 'busybox', ['wget', '-q', '-O', '-', `http://${ip}/`]);
    // Scheduled explicitly on the control plane: the runtime does what the API server decided.
    runtime.startPod(w, reporter('wget'));
    await waitFor('wget done', () => (['Succeeded', 'Failed'].includes(statuses.get('wget')?.phase) ? true : undefined), 15_000);
    expect(statuses.get('wget').phase).toBe('Succeeded');
  });

  it('fails the pull of an image the registry does not have', async () => {
    runtime.startPod(pod('nope', 'node-1', 'doesnotexist:1.0'), reporter('nope'));
    const state = await waitFor('ErrImagePull', () => {
      const w = statuses.get('nope')?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'ErrImagePull' ? w : undefined;
    });
    expect(state.message).toContain('docker.io/library/doesnotexist:1.0');
  });

  it('exec in a pod shows eth0@ifN and the pod hostname', async () => {
    const s = runtime.exec(httpd, 'httpd', ['sh', '-c', 'hostname; ip addr show eth0; exit 3'], { tty: false, stdin: false });
    const chunks: Buffer[] = [];
    s.stdout.on('data', (c: Buffer) => chunks.push(c));
    expect(await s.exited).toBe(3);
    const out = Buffer.concat(chunks).toString();
    expect(out.split('\n')[0]).toBe('httpd');
    expect(out).toMatch(/^\d+: eth0@if\d+: /m);
    expect(out).toContain(`inet ${statuses.get('httpd').podIP}/24`);
  });

  it('deleting a pod removes its namespace', async () => {
    const before = (await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-pod-`)).length;
    const w = pod('short', 'node-1', 'busybox', ['true']);
    runtime.startPod(w, reporter('short'));
    await waitFor('short has a namespace', () => runtime.podNetwork(w.metadata.uid));
    await waitFor('short done', () => (statuses.get('short')?.phase === 'Succeeded' ? true : undefined));
    await runtime.deletePod(w);
    const after = (await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-pod-`)).length;
    expect(after).toBe(before);
    expect(runtime.podNetwork(w.metadata.uid)).toBeUndefined();
  });
});
