// kube-proxy's syncs in a burst of endpoint changes: a costly sync (a thousand
// endpoints, twenty nodes) is followed by three times its length without one,
// so the rewrites cannot take the machine; a change after a quiet spell is
// written at once. The nodes' programs go to a recording helper (runInNs).
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/kube/store.js';
import { endpointSlices, services } from '../../src/kube/service-resources.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { startKubeProxy } from '../../src/providers/netns/kube-proxy.js';
import { useNamespaceSpawners } from '../../src/providers/netns/namespaces.js';
import type { Spawner } from '../../src/core/spawner.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node helper whose iptables-restore takes `restoreMs`; it records when each restore started. */
function slowNode(restoreMs: number) {
  const restores: number[] = [];
  const s: Spawner = {
    async run(argv) {
      if (argv[0] === 'iptables-restore') {
        restores.push(Date.now());
        await sleep(restoreMs);
      }
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    start: () => Promise.reject(new Error('not used')),
    programCpu: async () => [],
    close: () => undefined,
  };
  return { s, restores };
}

afterEach(() => useNamespaceSpawners(() => undefined));

describe('kube-proxy in a burst of endpoint changes', () => {
  it('spaces costly syncs by three times their length, and writes a lone change at once', async () => {
    const plan = planLab('kp', 'flannel-host-gw', 1);
    // The control plane's restores are counted; the worker's take as long, beside them.
    const node = slowNode(200);
    const other = slowNode(200);
    useNamespaceSpawners((ns) => (ns === plan.nodes[0]!.ns ? node.s : other.s));
    const store = createStore();
    store.create(services, { metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.50', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const slice = store.create(endpointSlices, {
      metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      endpoints: [],
    });
    const addEndpoint = (i: number) =>
      store.mutate(endpointSlices, 'default', slice.metadata.name, (s) => {
        s.endpoints = [...(s.endpoints ?? []), { addresses: [`10.244.0.${i}`], conditions: { ready: true } }];
      });
    const proxy = startKubeProxy({ store, plan, log: () => undefined });
    try {
      await proxy.idle();
      const before = node.restores.length;
      // A new endpoint every 20 ms for 2 s: a rollout.
      const start = Date.now();
      for (let i = 1; Date.now() - start < 2000; i++) {
        addEndpoint(i);
        await sleep(20);
      }
      await proxy.idle();
      const burst = node.restores.slice(before);
      // Each 200-ms sync is followed by 600 ms without one: 3 or 4 in 2 s (back to back at 250 ms, 8).
      expect(burst.length).toBeGreaterThanOrEqual(2);
      expect(burst.length).toBeLessThanOrEqual(4);
      for (let i = 1; i < burst.length; i++) expect(burst[i]! - burst[i - 1]!).toBeGreaterThanOrEqual(780);
      // Quiet for longer than the spacing, then one change: written at once.
      await sleep(900);
      const t = Date.now();
      addEndpoint(250);
      await sleep(250);
      expect(node.restores.at(-1)! - t).toBeLessThan(200);
    } finally {
      proxy.stop();
    }
  }, 15_000);
});
