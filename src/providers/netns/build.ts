// Builds and removes the data plane of a lab: executes wiring.ts's commands,
// starts the simulated registry, and reports progress per node and phase.
import type { ProgressEvent } from '../provider.js';
import { ipBatch, inNs, runScriptInNs } from './namespaces.js';
import { runOk } from '../../core/exec.js';
import { labEtcFiles, writeEtcFiles } from './etc-files.js';
import type { LabPlan } from './plan.js';
import type { LabPaths } from './state.js';
import { join } from 'node:path';
import { nsShell, wireLab } from './wiring.js';
import { modeWiring } from './modes/index.js';
import { buildLan } from './lan-wiring.js';

type Emit = (e: ProgressEvent) => void;

/**
 * `nodesWired` is called once every node's own network (and the LAN) is in
 * place: pods can get their sandboxes and kube-proxy its rules while the
 * registry, the NAT routers' DNS and the routing daemons still start.
 */
export async function buildDataPlane(
  plan: LabPlan,
  paths: LabPaths,
  emit: Emit,
  signal?: AbortSignal,
  hooks: { nodesWired?: () => void } = {},
): Promise<void> {
  const wiring = wireLab(plan);
  emit({ type: 'phase', phase: 'namespaces', state: 'start', detail: `${wiring.rootBatch.length} links and namespaces` });
  await Promise.all(Object.entries(labEtcFiles(plan)).map(([ns, files]) => writeEtcFiles(ns, files)));
  await ipBatch(wiring.rootBatch, signal);
  emit({ type: 'phase', phase: 'namespaces', state: 'done' });

  const nodeOf = new Map(plan.nodes.flatMap((n) => [[n.ns, n.name], [n.natNs, n.name]] as const));
  await Promise.all(
    wiring.scripts.map(async (s) => {
      const node = nodeOf.get(s.ns);
      const phase = node ? (s.ns.includes('-nat-') ? 'nat-router' : 'node-network') : s.ns.slice(s.ns.lastIndexOf('-') + 1);
      emit({ type: 'phase', phase, node, state: 'start' });
      await runScriptInNs(s.ns, nsShell(s), signal);
      emit({ type: 'phase', phase, node, state: 'done' });
    }),
  );

  await buildLan(plan, emit, signal); // the office LAN (up --lan) hangs off the host-only switch built above
  hooks.nodesWired?.();

  // The mode's routing daemon (calico's BIRD) converges while the registry and DNS start.
  const routing = modeWiring(plan.cni).routing?.start(plan, paths, emit, signal);
  routing?.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled

  emit({ type: 'phase', phase: 'registry', state: 'start', detail: plan.internet.registry });
  // busybox httpd forks into the background inside the internet namespace;
  // teardown finds it there with `ip netns pids`.
  await runOk(inNs(plan.internet.ns, ['busybox', 'httpd', '-p', `${plan.internet.registry}:80`, '-h', paths.registry]), { signal });
  emit({ type: 'phase', phase: 'registry', state: 'done' });

  emit({ type: 'phase', phase: 'nat-dns', state: 'start', detail: plan.nodes[0]!.natDns });
  // VirtualBox's NAT answers DNS at 10.0.2.3; dnsmasq plays it in each NAT
  // router: registry names resolve to the simulated registry, reverse lookups
  // of private addresses get NXDOMAIN at once, nothing is forwarded anywhere.
  await Promise.all(
    plan.nodes.map((n) =>
      runOk(
        inNs(n.natNs, [
          'dnsmasq', '--no-resolv', '--no-hosts', '--bogus-priv', '--bind-interfaces',
          `--listen-address=${n.natDns}`, '--except-interface=lo',
          `--address=/docker.io/${plan.internet.registry}`,
          `--address=/registry.k8s.io/${plan.internet.registry}`,
          `--pid-file=${join(paths.dir, `dnsmasq-${n.name}.pid`)}`,
        ]),
        { signal },
      ),
    ),
  );
  emit({ type: 'phase', phase: 'nat-dns', state: 'done' });
  await routing;
}
