// Every CNI mode on the real kernel, through the data plane and the pod
// runtime (as netns-dataplane.test.ts does): the traceroutes same node and
// across nodes, veth pairing by interface index, each mode's devices and
// routes. A mode the kernel cannot build is skipped with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CNI_MODES, type CniMode } from '../../src/core/facts.js';
import { run } from '../../src/core/exec.js';
import { buildDataPlane } from '../../src/providers/netns/build.js';
import { prepareImages } from '../../src/providers/netns/images.js';
import { probeModes } from '../../src/providers/netns/modes/support.js';
import { caliName, calicoTunnelAddress } from '../../src/providers/netns/modes/calico-ipam.js';
import { modeWiring } from '../../src/providers/netns/modes/index.js';
import { inNs, listNamespaces } from '../../src/providers/netns/namespaces.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { createNetnsRuntime } from '../../src/providers/netns/runtime.js';
import { labPaths, writeLabRecord } from '../../src/providers/netns/state.js';
import { teardownLab } from '../../src/providers/netns/teardown.js';
import type { PodReport } from '../../src/kube/runtime.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { predictPath } from '../../src/path/predict.js';
import type { EndpointRef } from '../../src/path/types.js';
import { waitFor as pollFor } from '../helpers/wait.js';
import { NO_NETNS, testLabName, useTempStateDir } from '../helpers/root.js';

useTempStateDir();

const support = NO_NETNS ? undefined : await probeModes(testLabName('kp'));
const SKIP: Record<string, string | undefined> = Object.fromEntries(
  CNI_MODES.map((m) => {
    const refused = support?.refused.find((r) => r.mode === m);
    return [m, NO_NETNS ?? (refused ? `this kernel has no ${refused.missing.join(', ')} support` : undefined)];
  }),
);
for (const [m, why] of Object.entries(SKIP)) if (why) console.warn(`skipping ${m}: ${why}`);

function pod(name: string, node: string, image: string, args?: string[]) {
  return {
    metadata: { name, namespace: 'default', uid: `${name}-0000-uid-${Math.random().toString(16).slice(2, 10)}` },
    spec: { nodeName: node, restartPolicy: 'Always', containers: [{ name, image, ...(args ? { args } : {}) }] },
  };
}

const waitFor = <T>(what: string, fn: () => T | undefined, ms = 10_000) => pollFor(what, fn, ms, 50);

const hopsOf = (out: string) => [...out.matchAll(/^\s*(\d+)\s+(\S+)/gm)].map((m) => m[2]!);

describe.each(CNI_MODES.map((m) => [m, SKIP[m] ? ` (skipped: ${SKIP[m]})` : ''] as const))('%s on the real kernel%s', (cni) => {
  const skip = SKIP[cni];
  const lab = testLabName(`m${CNI_MODES.indexOf(cni)}`);
  const plan = planLab(lab, cni, 2);
  const paths = labPaths(lab);
  const statuses = new Map<string, any>();
  let runtime: ReturnType<typeof createNetnsRuntime>;
  const server = pod('web', 'node-1', 'httpd');
  const neighbour = pod('client-near', 'node-1', 'busybox', ['sleep', '3600']);
  const remote = pod('client-far', 'node-2', 'busybox', ['sleep', '3600']);
  const reporter = (name: string) => (r: PodReport) => {
    if (r.status) statuses.set(name, r.status);
  };
  const ipOf = (name: string) => statuses.get(name)?.podIP as string;
  const nsOf = (p: { metadata: { uid: string } }) => runtime.podNetwork(p.metadata.uid)!.ns;
  const node = (name: string) => plan.nodes.find((n) => n.name === name)!;

  beforeAll(async () => {
    if (skip) return;
    await writeLabRecord(lab, { version: 1, plan, workers: 2, createdAt: new Date().toISOString() });
    await prepareImages(paths);
    await buildDataPlane(plan, paths, () => undefined);
    runtime = createNetnsRuntime(plan, paths, (line) => console.error(line));
    for (const p of [server, neighbour, remote]) runtime.startPod(p, reporter(p.metadata.name));
    for (const p of [server, neighbour, remote]) {
      await waitFor(`${p.metadata.name} Running`, () => (statuses.get(p.metadata.name)?.phase === 'Running' ? true : undefined));
    }
  });

  afterAll(async () => {
    if (skip) return;
    runtime?.shutdown();
    await teardownLab(lab);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  async function traceFrom(p: { metadata: { uid: string } }, dest: string): Promise<string> {
    // Warm the neighbour caches first: a cold path loses traceroute's first probes.
    await run(inNs(nsOf(p), ['busybox', 'ping', '-c', '1', '-W', '2', dest]));
    const r = await run(inNs(nsOf(p), ['busybox', 'traceroute', '-n', '-q', '1', '-w', '1', dest]));
    return r.stdout;
  }

  const trace = async (from: { metadata: { uid: string } }) => hopsOf(await traceFrom(from, ipOf('web')));

  it.skipIf(skip)('reaches the pod on the same node and across nodes (traceroute ends at the pod)', async () => {
    const near = await trace(neighbour);
    const far = await trace(remote);
    expect(near.at(-1)).toBe(ipOf('web'));
    expect(far.at(-1)).toBe(ipOf('web'));
    expect(near).not.toContain('*');
    expect(far).not.toContain('*');
    // The same-node path never leaves the node: nothing of eth1 or a tunnel on it.
    expect(near.length).toBeLessThan(far.length);
  });

  /** The facts the provider reports for this lab, pods included, as `hoplab status` would. */
  const facts = () =>
    labFacts(
      plan,
      [server, neighbour, remote].map((p) => ({
        name: p.metadata.name,
        namespace: 'default',
        node: p.spec.nodeName,
        ip: ipOf(p.metadata.name),
        hostVeth: runtime.podNetwork(p.metadata.uid)!.hostVeth,
      })),
    );
  const predicted = (from: EndpointRef, to: EndpointRef) => {
    const p = predictPath(facts(), from, to);
    if (!p.ok) throw new Error(`no prediction: ${p.reason}`);
    return p.hops.map((h) => h.address);
  };
  const pod_ = (name: string): EndpointRef => ({ kind: 'pod', name });

  it.skipIf(skip)("agrees with the path engine, hop by hop: pod to pod on one node and across nodes", async () => {
    expect(await trace(neighbour)).toEqual(predicted(pod_('client-near'), pod_('web')));
    expect(await trace(remote)).toEqual(predicted(pod_('client-far'), pod_('web')));
  });

  it.skipIf(skip)('agrees with the path engine from a node to a pod, from a pod to a node, and out to the internet', async () => {
    const fromNode = hopsOf((await run(inNs(node('node-2').ns, ['sh', '-c', `ping -c 1 -W 2 ${ipOf('web')} >/dev/null; busybox traceroute -n -q 1 -w 1 ${ipOf('web')}`]))).stdout);
    expect(fromNode).toEqual(predicted({ kind: 'node', name: 'node-2' }, pod_('web')));
    expect(hopsOf(await traceFrom(remote, node('node-1').eth1))).toEqual(predicted(pod_('client-far'), { kind: 'node', name: 'node-1' }));
    expect(hopsOf(await traceFrom(remote, plan.internet.registry))).toEqual(predicted(pod_('client-far'), { kind: 'host', name: 'registry' }));
  });

  it.skipIf(skip)('serves HTTP across nodes and lets pods out through the NAT router', async () => {
    const http = await run(inNs(nsOf(remote), ['busybox', 'wget', '-q', '-O', '-', `http://${ipOf('web')}/`]), { timeoutMs: 5000 });
    expect(http.stdout).toContain('It works!');
    const out = await run(inNs(nsOf(remote), ['busybox', 'ping', '-c', '1', '-W', '2', plan.internet.registry]));
    expect(out.exitCode).toBe(0);
  });

  it.skipIf(skip)("pairs the pod's eth0@ifN with its host-side veth by interface index", async () => {
    const hostVeth = runtime.podNetwork(server.metadata.uid)!.hostVeth!;
    if (cni.startsWith('calico')) expect(hostVeth).toBe(caliName('default', 'web'));
    else expect(hostVeth).toMatch(/^veth[0-9a-f]{8}$/);
    const podSide = (await run(inNs(nsOf(server), ['ip', '-o', 'link', 'show', 'eth0']))).stdout;
    const nodeSide = (await run(['ip', '-n', node('node-1').ns, '-o', 'link', 'show', hostVeth])).stdout;
    const [, podIndex, peerOfPod] = podSide.match(/^(\d+): eth0@if(\d+):/)!;
    const [, nodeIndex, peerOfNode] = nodeSide.match(new RegExp(`^(\\d+): ${hostVeth}@if(\\d+):`))!;
    expect(peerOfPod).toBe(nodeIndex);
    expect(peerOfNode).toBe(podIndex);
    const mtu = Number(podSide.match(/ mtu (\d+) /)![1]);
    expect(mtu).toBe({ 'flannel-host-gw': 1500, 'flannel-vxlan': 1450, 'calico-ipip': 1480, 'calico-vxlan': 1450, 'calico-bgp': 1500 }[cni]);
  });

  it.skipIf(skip || !cni.startsWith('calico'))('gives calico pods a /32 and 169.254.1.1, the node a /32 route and proxy ARP', async () => {
    const hostVeth = caliName('default', 'web');
    const addr = (await run(inNs(nsOf(server), ['ip', '-o', '-4', 'addr', 'show', 'eth0']))).stdout;
    expect(addr).toContain(`inet ${ipOf('web')}/32 `);
    expect((await run(inNs(nsOf(server), ['ip', 'route']))).stdout).toContain('default via 169.254.1.1 dev eth0');
    const n1 = node('node-1').ns;
    expect((await run(['ip', '-n', n1, 'route', 'show', `${ipOf('web')}/32`])).stdout.trim()).toBe(`${ipOf('web')} dev ${hostVeth} scope link`);
    expect((await run(inNs(n1, ['sysctl', '-n', `net.ipv4.conf.${hostVeth}.proxy_arp`]))).stdout.trim()).toBe('1');
    expect((await run(inNs(n1, ['sysctl', '-n', `net.ipv4.neigh.${hostVeth}.proxy_delay`]))).stdout.trim()).toBe('0');
    expect((await run(['ip', '-n', n1, '-o', '-4', 'addr', 'show', hostVeth])).stdout).toBe('');
    expect((await run(['ip', '-n', n1, '-o', 'link', 'show', hostVeth])).stdout).toContain('link/ether ee:ee:ee:ee:ee:ee');
  });

  it.skipIf(skip || cni !== 'calico-bgp')('calico-bgp: BIRD routes (proto bird) over eth1, a blackhole for the own block, no tunl0', async () => {
    const n1 = node('node-1').ns;
    const bird = (await run(['ip', '-n', n1, 'route', 'show', 'proto', 'bird'])).stdout;
    expect(bird).toContain('10.244.0.0/26 via 192.168.56.10 dev eth1');
    expect(bird).toContain('10.244.2.0/26 via 192.168.56.12 dev eth1');
    expect(bird).toContain('blackhole 10.244.1.0/26');
    expect((await run(['ip', '-n', n1, 'link', 'show', 'tunl0'])).exitCode).not.toBe(0);
    // Inside the node, BIRD's files are where a node keeps them: /etc/bird.
    const protocols = (await run(inNs(n1, ['birdc', '-s', '/etc/bird/bird.ctl', 'show', 'protocols']))).stdout;
    expect((await run(inNs(n1, ['cat', '/etc/bird/bird.conf']))).stdout).toContain('router id 192.168.56.11;');
    expect(protocols).toMatch(/^Mesh_192_168_56_10\s+BGP\s.*Established/m);
    expect(protocols).toMatch(/^Mesh_192_168_56_12\s+BGP\s.*Established/m);
  });

  const tunnelDevice = { 'flannel-vxlan': 'flannel.1', 'calico-vxlan': 'vxlan.calico' }[cni as string];
  it.skipIf(skip || !tunnelDevice)('counts cross-node traffic on the VXLAN device (ip -s link), none for same-node traffic', async () => {
    const txPackets = async (n: string) =>
      JSON.parse((await run(['ip', '-n', node(n).ns, '-s', '-j', 'link', 'show', tunnelDevice!])).stdout)[0].stats64.tx.packets as number;
    const before = await txPackets('node-2');
    await run(inNs(nsOf(remote), ['busybox', 'ping', '-c', '5', '-i', '0.2', '-W', '1', ipOf('web')]));
    expect((await txPackets('node-2')) - before).toBeGreaterThanOrEqual(5);
    const sameBefore = await txPackets('node-1');
    await run(inNs(nsOf(neighbour), ['busybox', 'ping', '-c', '5', '-i', '0.2', '-W', '1', ipOf('web')]));
    expect(await txPackets('node-1')).toBe(sameBefore);
  });
});

// This kernel cannot build tunl0, but the routing half of calico-ipip is
// BIRD's, and BIRD does not care what kind of device tunl0 is: with a veth
// named tunl0 standing in, the real BIRD must install calico's IPIP routes.
const NO_BIRD = NO_NETNS ?? ((await run(['sh', '-c', 'command -v bird'])).exitCode === 0 ? undefined : 'needs bird (bird2)');
describe.skipIf(NO_BIRD)(`calico-ipip routing: BIRD over a stand-in tunl0${NO_BIRD ? ` (skipped: ${NO_BIRD})` : ''}`, () => {
  const lab = testLabName('bi');
  const plan = planLab(lab, 'calico-ipip', 1);
  const paths = labPaths(lab);

  beforeAll(async () => {
    const [a, b] = plan.nodes as [(typeof plan.nodes)[0], (typeof plan.nodes)[0]];
    const lines = [`netns add ${a.ns}`, `netns add ${b.ns}`, `link add eth1 netns ${a.ns} type veth peer name eth1 netns ${b.ns}`];
    expect((await run(['ip', '-batch', '-'], { input: lines.join('\n') + '\n' })).exitCode).toBe(0);
    for (const n of plan.nodes) {
      const batch = [
        'link set lo up',
        `addr add ${n.eth1}/24 dev eth1`,
        'link set eth1 up',
        'link add tunl0 type veth peer name tunl0-peer',
        'link set tunl0-peer up',
        `addr add ${calicoTunnelAddress(n)}/32 dev tunl0`,
        'link set tunl0 up',
      ];
      expect((await run(['ip', '-n', n.ns, '-batch', '-'], { input: batch.join('\n') + '\n' })).exitCode).toBe(0);
    }
  });

  afterAll(async () => {
    await teardownLab(lab);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('reaches Established and installs `<peer block> via <peer eth1> dev tunl0 proto bird onlink`', async () => {
    const events: string[] = [];
    await modeWiring('calico-ipip').routing!.start(plan, paths, (e) => {
      if (e.type === 'phase') events.push(`${e.node} ${e.state}`);
    });
    expect(events.filter((e) => e.endsWith(' done')).sort()).toEqual(['controlplane done', 'node-1 done']);
    const routes = (await run(['ip', '-n', plan.nodes[1]!.ns, 'route', 'show', 'proto', 'bird'])).stdout;
    expect(routes).toMatch(/^10\.244\.0\.0\/26 via 192\.168\.56\.10 dev tunl0 .*onlink/m);
    expect(routes).toMatch(/^blackhole 10\.244\.1\.0\/26 /m);
    expect(routes).not.toContain('dev eth1');
  });
});

// The evidence for the path engine's answer rule (src/path/modes/answers.ts):
// a router whose route back to the sender leaves through an interface with no
// address (a cali veth) answers from the first address in its device order,
// whichever interface its routes use. One router, two uplinks made in either
// order, the default route always through the first one made as `up`.
describe.skipIf(NO_NETNS)('which address the kernel answers from, behind an addressless veth', () => {
  const lab = testLabName('src');
  const ns = (n: string) => `hoplab-${lab}-${n}`;

  afterAll(async () => {
    await teardownLab(lab);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  async function firstHop(order: ['up-a', 'up-b'] | ['up-b', 'up-a']): Promise<string> {
    await teardownLab(lab);
    const uplinks = { 'up-a': ['10.9.9.1', '10.9.9.2'], 'up-b': ['192.168.77.1', '192.168.77.2'] } as const;
    const root = ['r', 'p', 'up-a', 'up-b'].map((n) => `netns add ${ns(n)}`);
    for (const u of order) root.push(`link add ${u} netns ${ns('r')} type veth peer name x netns ${ns(u)}`);
    root.push(`link add cali0 netns ${ns('r')} type veth peer name eth0 netns ${ns('p')}`);
    const batch = async (where: string | undefined, lines: string[]) =>
      expect((await run(['ip', ...(where ? ['-n', where] : []), '-batch', '-'], { input: lines.join('\n') + '\n' })).exitCode).toBe(0);
    await batch(undefined, root);
    for (const u of ['up-a', 'up-b'] as const) {
      await batch(ns(u), [`addr add ${uplinks[u][1]}/24 dev x`, 'link set x up', `route add default via ${uplinks[u][0]}`]);
    }
    await batch(ns('r'), [
      'link set lo up',
      ...(['up-a', 'up-b'] as const).flatMap((u) => [`addr add ${uplinks[u][0]}/24 dev ${u}`, `link set ${u} up`]),
      'route add default via 10.9.9.2', // always through up-a
      'link set cali0 up',
      'route add 10.244.5.5/32 dev cali0 scope link',
    ]);
    for (const s of ['net.ipv4.ip_forward=1', 'net.ipv4.conf.cali0.proxy_arp=1', 'net.ipv4.neigh.cali0.proxy_delay=0']) {
      await run(inNs(ns('r'), ['sysctl', '-qw', s]));
    }
    await batch(ns('p'), ['addr add 10.244.5.5/32 dev eth0', 'link set eth0 up', 'route add 169.254.1.1 dev eth0 scope link', 'route add default via 169.254.1.1']);
    await run(inNs(ns('p'), ['busybox', 'ping', '-c', '1', '-W', '2', '192.168.77.2']));
    return hopsOf((await run(inNs(ns('p'), ['busybox', 'traceroute', '-n', '-q', '1', '-w', '1', '-m', '3', '192.168.77.2']))).stdout)[0]!;
  }

  it('is the first address in device order, not the address of the route out', async () => {
    expect(await firstHop(['up-a', 'up-b'])).toBe('10.9.9.1');
    expect(await firstHop(['up-b', 'up-a'])).toBe('192.168.77.1');
  });
});
