// kube-proxy for the netns lab, in iptables mode: runs in the lab daemon,
// watches Services and EndpointSlices in the API's store and, after a burst
// of changes, writes the rules kube-proxy-rules.ts generates into every
// node's namespace with one atomic `iptables-restore --noflush` per node
// (at most one sync per MIN_SYNC_MS, like kube-proxy's minSyncPeriod, and
// three times a sync's length between two; a node
// whose rules did not change is not written). Like
// kube-proxy, it clears the conntrack entries of UDP endpoints that went
// away, so DNS does not keep answering from a deleted pod.
import { CommandError } from '../../core/errors.js';
import type { Store } from '../../kube/store.js';
import { endpointSlices, services } from '../../kube/service-resources.js';
import { runInNs } from './namespaces.js';
import { createLimiter } from './limit.js';
import type { LabPlan } from './plan.js';
import { proxyServicePorts, usableEndpoints, type ProxyServicePort } from './kube-proxy-model.js';
import { jumpRules, proxyRules } from './kube-proxy-rules.js';

/**
 * Syncs start at least this far apart: a rollout's hundreds of endpoint changes become a few rewrites.
 * (kube-proxy's own default is 1 s; labs read a node's rules right after the API shows the endpoints.)
 */
export const MIN_SYNC_MS = 250;
/**
 * ...and a sync is followed by at least this many times its own length without one: with a
 * thousand endpoints, a sync is 20 nodes' `iptables-restore` of 60 ms of CPU each, which back to
 * back took 151 s of CPU in a 1000-pod rollout (2486 restores). A change after a quiet spell is
 * still written at once.
 */
const SYNC_SPACING = 3;
/** Nodes written at once. */
const NODE_CONCURRENCY = 4;

export interface KubeProxy {
  /** Resolves once no sync is queued or running: the kernel holds the rules for the store as it is. */
  idle(): Promise<void>;
  stop(): void;
}

async function restore(ns: string, input: string): Promise<void> {
  const r = await runInNs(ns, ['iptables-restore', '--noflush', '--counters'], { input });
  if (r.exitCode !== 0) throw new CommandError(['iptables-restore', '--noflush', '--counters'], r.exitCode, r.stderr, `iptables-restore in ${ns}`);
}

/** UDP endpoints per "clusterIP:port", to find the ones a sync removes. */
function udpEndpoints(ports: ProxyServicePort[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of ports) {
    if (p.protocol !== 'UDP') continue;
    out.set(`${p.clusterIP}:${p.port}`, new Set(usableEndpoints(p).map((e) => e.ip)));
  }
  return out;
}

export function startKubeProxy(opts: { store: Store; plan: LabPlan; log: (line: string) => void }): KubeProxy {
  const { store, plan, log } = opts;
  const chains = new Map<string, string[]>(); // node namespace -> service chains written last time
  const written = new Map<string, string>(); // node namespace -> the last restore input it took
  const perNode = createLimiter(NODE_CONCURRENCY);
  let nextSync = 0;
  let udpBefore = new Map<string, Set<string>>();
  let stopped = false;
  let dirty = true;
  let running: Promise<void> | undefined;

  async function prepareNode(ns: string): Promise<void> {
    // route_localnet lets NodePorts answer on 127.0.0.1, as kube-proxy's localhostNodePorts does.
    await runInNs(ns, ['sysctl', '-qw', 'net.ipv4.conf.all.route_localnet=1']);
    const saved = await runInNs(ns, ['iptables-save']);
    const jumps = jumpRules(saved.stdout);
    if (jumps) await restore(ns, jumps);
  }

  async function clearStaleUdp(ns: string, gone: [string, string][]): Promise<void> {
    for (const [vip, ip] of gone) {
      const [clusterIP, port] = vip.split(':') as [string, string];
      // Exit status 1 means there was no entry to delete.
      await runInNs(ns, ['conntrack', '-D', '-p', 'udp', '--orig-dst', clusterIP, '--orig-port-dst', port, '--reply-src', ip]);
    }
  }

  async function syncOnce(): Promise<void> {
    dirty = false;
    const ports = proxyServicePorts(store.scan(services), store.scan(endpointSlices));
    const udpNow = udpEndpoints(ports);
    const gone: [string, string][] = [];
    for (const [vip, before] of udpBefore) {
      for (const ip of before) if (!udpNow.get(vip)?.has(ip)) gone.push([vip, ip]);
    }
    await Promise.all(
      plan.nodes.map((n) =>
        perNode(async () => {
          const rules = proxyRules(ports, { clusterCIDR: plan.clusterCIDR }, chains.get(n.ns) ?? []);
          if (written.get(n.ns) !== rules.restore) {
            written.delete(n.ns); // until this write is known to have worked
            await restore(n.ns, rules.restore);
            written.set(n.ns, rules.restore);
            chains.set(n.ns, rules.natChains);
          }
          if (gone.length) await clearStaleUdp(n.ns, gone);
        }),
      ),
    );
    udpBefore = udpNow;
  }

  async function loop(): Promise<void> {
    while (dirty && !stopped) {
      const wait = nextSync - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // changes meanwhile join this sync
      if (stopped) return;
      const start = Date.now();
      try {
        await syncOnce();
      } catch (err) {
        log(`kube-proxy: ${(err as Error).message}`);
        dirty = false; // the next change retries; a broken node must not spin
      }
      const took = Date.now() - start;
      nextSync = start + Math.max(MIN_SYNC_MS, took * (1 + SYNC_SPACING));
    }
  }

  function schedule(): void {
    dirty = true;
    if (!running) {
      running = loop().finally(() => {
        running = undefined;
        if (dirty && !stopped) schedule();
      });
    }
  }

  const ready = Promise.all(plan.nodes.map((n) => perNode(() => prepareNode(n.ns)))).catch((err) => log(`kube-proxy: preparing nodes: ${(err as Error).message}`));
  let unsubscribe: () => void = () => undefined;
  const started = ready.then(() => {
    if (stopped) return;
    unsubscribe = store.subscribe((c) => {
      if (c.def === services || c.def === endpointSlices) schedule();
    });
    schedule();
  });

  return {
    async idle() {
      await started;
      while (running) await running;
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
