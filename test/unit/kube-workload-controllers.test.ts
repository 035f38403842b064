// The replicaset, deployment, endpoints and garbage-collector loops on a
// store, with pods made ready by hand: replica counts, the status fields
// `kubectl rollout status` reads, endpoints following pods, cascading deletes.
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/kube/store.js';
import { createRegistry } from '../../src/kube/resources.js';
import { CORE_RESOURCES, pods as podsDef } from '../../src/kube/core-resources.js';
import { WORKLOAD_RESOURCES, workloadControllers } from '../../src/kube/workloads.js';
import { deployments, replicaSets } from '../../src/kube/apps-resources.js';
import { endpointSlices, endpoints, services } from '../../src/kube/service-resources.js';
import { createEventRecorder } from '../../src/kube/events.js';
import type { PodController } from '../../src/kube/pod-controller.js';
import type { RunningController } from '../../src/kube/controller.js';
import { deletionOrder, podTemplateHash, safeEncode, scaledValue } from '../../src/kube/replica-math.js';
import { slowStartBatches } from '../../src/kube/replicaset-controller.js';
import { rfc3339 } from '../../src/kube/meta.js';
import { waitFor } from '../helpers/wait.js';

let running: RunningController[] = [];
afterEach(() => {
  for (const c of running) c.stop();
  running = [];
});

function setup(): Store {
  const store = createStore();
  const registry = createRegistry([...CORE_RESOURCES, ...WORKLOAD_RESOURCES]);
  // Graceful deletion as the pod controller does it for a started pod: marked now, gone a moment later.
  const pods: PodController = {
    deletePod(namespace, name) {
      const marked = store.mutate(podsDef, namespace, name, (p) => {
        p.metadata.deletionTimestamp = rfc3339();
      });
      setTimeout(() => store.remove(podsDef, namespace, name), 20);
      return marked;
    },
    idle: async () => undefined,
    stop: () => undefined,
  };
  const ctx = { store, registry, pods, recorder: createEventRecorder(store), log: (l: string) => console.error(l) };
  running = workloadControllers({ apiserver: { address: '192.168.56.10', port: 6443 } }).map((start) => start(ctx));
  return store;
}

let nextIP = 2;
function runAll(store: Store): void {
  for (const p of store.list(podsDef).items) {
    if (p.status?.podIP || p.metadata.deletionTimestamp) continue;
    store.mutate(podsDef, p.metadata.namespace, p.metadata.name, (o) => {
      o.spec.nodeName = 'node-1';
      o.status = { phase: 'Running', podIP: `10.244.1.${nextIP++}`, conditions: [{ type: 'Ready', status: 'True' }] };
    });
  }
}

function createDeployment(store: Store, name: string, replicas: number) {
  return store.create(
    deployments,
    deployments.prepareCreate!(
      {
        metadata: { name, namespace: 'default', labels: { app: name } },
        spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'httpd', image: 'httpd' }] } } },
      },
      { namespace: 'default', store },
    ),
  );
}

const live = (store: Store) => store.list(podsDef).items.filter((p) => !p.metadata.deletionTimestamp);

describe('deployment and replicaset controllers', () => {
  it('create a ReplicaSet named after the template hash, and its pods', async () => {
    const store = setup();
    createDeployment(store, 'web', 3);
    const rs = await waitFor('replica set', () => store.list(replicaSets).items[0]);
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const pods = await waitFor('3 pods', () => (store.list(podsDef).items.length === 3 ? store.list(podsDef).items : undefined));
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.metadata.ownerReferences[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid });
      expect(p.spec.dnsPolicy).toBe('ClusterFirst');
    }
  });

  it('reports the status fields rollout status waits for', async () => {
    const store = setup();
    createDeployment(store, 'web', 2);
    await waitFor('pods', () => store.list(podsDef).items.length === 2);
    // Pods come in slow-start bursts (1, then 1): the status catches up with the second a turn later.
    let d = await waitFor('observed', () => {
      const now = store.get(deployments, 'default', 'web');
      return now?.status?.observedGeneration === 1 && now.status.updatedReplicas === 2 && now;
    });
    expect(d.status.availableReplicas).toBeUndefined(); // zero is left out, as omitempty does
    expect(d.status.conditions.find((c: any) => c.type === 'Available').status).toBe('False');
    runAll(store);
    d = await waitFor('available', () => (store.get(deployments, 'default', 'web')?.status?.availableReplicas === 2 ? store.get(deployments, 'default', 'web') : undefined));
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(d.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  });

  it('scales up and down through spec.replicas, deleting not-ready pods first', async () => {
    const store = setup();
    createDeployment(store, 'web', 3);
    await waitFor('3 pods', () => store.list(podsDef).items.length === 3);
    runAll(store);
    store.mutate(deployments, 'default', 'web', (d) => {
      d.spec.replicas = 5;
      d.metadata.generation = 2;
    });
    await waitFor('5 pods', () => live(store).length === 5);
    const fresh = live(store).filter((p) => !p.status?.podIP).map((p) => p.metadata.name);
    expect(fresh).toHaveLength(2);
    store.mutate(deployments, 'default', 'web', (d) => {
      d.spec.replicas = 3;
      d.metadata.generation = 3;
    });
    await waitFor('3 live pods', () => live(store).length === 3);
    // The two that never became ready went first.
    expect(live(store).every((p) => !fresh.includes(p.metadata.name))).toBe(true);
    await waitFor('status replicas 3', () => store.get(deployments, 'default', 'web')?.status?.replicas === 3);
  });

  it('replaces a deleted pod', async () => {
    const store = setup();
    createDeployment(store, 'web', 2);
    await waitFor('2 pods', () => live(store).length === 2);
    const victim = live(store)[0]!.metadata.name;
    store.remove(podsDef, 'default', victim);
    await waitFor('a new pod', () => live(store).length === 2 && !live(store).some((p) => p.metadata.name === victim));
  });

  it('a new template makes a new ReplicaSet; the old one goes to 0 once the new pods are available', async () => {
    const store = setup();
    createDeployment(store, 'web', 2);
    await waitFor('2 pods', () => live(store).length === 2);
    runAll(store);
    store.mutate(deployments, 'default', 'web', (d) => {
      d.spec.template.spec.containers[0].image = 'nginx';
      d.metadata.generation = 2;
    });
    await waitFor('2 replica sets', () => store.list(replicaSets).items.length === 2);
    // maxSurge 25% of 2 rounds up to 1, maxUnavailable down to 0: one new pod at a time, an old one going once it is available.
    await waitFor('one new pod beside the old two', () => live(store).length === 3);
    let most = 0;
    const d = await waitFor('rolled out', () => {
      most = Math.max(most, live(store).length);
      runAll(store);
      const x = store.get(deployments, 'default', 'web');
      return x?.status?.replicas === 2 && x.status.updatedReplicas === 2 && x.status.availableReplicas === 2 ? x : undefined;
    });
    expect(most).toBe(3);
    expect(store.list(replicaSets).items.map((rs) => rs.spec.replicas).sort()).toEqual([0, 2]);
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    // Back to the first template (kubectl rollout undo): its set is scaled up again and becomes revision 3.
    store.mutate(deployments, 'default', 'web', (x) => {
      x.spec.template.spec.containers[0].image = 'httpd';
      x.metadata.generation = 3;
    });
    const back = await waitFor('first set back', () => {
      runAll(store); // its pods become available, step by step
      return store.list(replicaSets).items.find((rs) => rs.spec.template.spec.containers[0].image === 'httpd' && rs.spec.replicas === 2);
    });
    expect(store.list(replicaSets).items).toHaveLength(2);
    expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('deleting the Deployment takes its ReplicaSet and pods with it', async () => {
    const store = setup();
    createDeployment(store, 'web', 2);
    await waitFor('2 pods', () => store.list(podsDef).items.length === 2);
    store.remove(deployments, 'default', 'web');
    await waitFor('everything gone', () => store.list(replicaSets).items.length === 0 && store.list(podsDef).items.length === 0, 2000);
  });
});

describe('endpoints controller', () => {
  it('keeps Endpoints and one EndpointSlice in step with the pods, removes them with the Service', async () => {
    const store = setup();
    createDeployment(store, 'web', 2);
    store.create(services, services.prepareCreate!({ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, { namespace: 'default', store }));
    const slice = await waitFor('slice', () => store.list(endpointSlices, { namespace: 'default' }).items.find((s) => s.metadata.labels['kubernetes.io/service-name'] === 'web'));
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.ports).toBeNull();
    await waitFor('2 pods', () => live(store).length === 2); // created in bursts of 1, then 1
    runAll(store);
    const ep = await waitFor('2 addresses', () => store.get(endpoints, 'default', 'web')?.subsets?.[0]?.addresses?.length === 2 && store.get(endpoints, 'default', 'web'));
    expect(ep.subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const s2 = store.get(endpointSlices, 'default', slice.metadata.name)!;
    expect(s2.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(s2.endpoints.map((e: any) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: false },
    ]);
    // A pod that terminates leaves Endpoints at once and shows as terminating in the slice.
    const victim = live(store)[0]!;
    store.mutate(podsDef, 'default', victim.metadata.name, (p) => {
      p.metadata.deletionTimestamp = rfc3339();
    });
    await waitFor('1 address', () => store.get(endpoints, 'default', 'web')?.subsets?.[0]?.addresses?.length === 1);
    const s3 = store.get(endpointSlices, 'default', slice.metadata.name)!;
    expect(s3.endpoints.find((e: any) => e.addresses[0] === victim.status.podIP).conditions).toEqual({ ready: false, serving: true, terminating: true });
    store.remove(services, 'default', 'web');
    await waitFor('endpoints gone', () => !store.get(endpoints, 'default', 'web') && !store.get(endpointSlices, 'default', slice.metadata.name));
  });

  it('serves default/kubernetes at 10.96.0.1 with the apiserver endpoint, and puts it back', async () => {
    const store = setup();
    expect(store.get(services, 'default', 'kubernetes')?.spec.clusterIP).toBe('10.96.0.1');
    expect(store.get(endpoints, 'default', 'kubernetes')?.subsets).toEqual([{ addresses: [{ ip: '192.168.56.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    store.remove(services, 'default', 'kubernetes');
    await waitFor('kubernetes back', () => store.get(services, 'default', 'kubernetes'));
  });
});

describe('replica math', () => {
  it('safe-encodes like rand.SafeEncodeString and hashes templates stably', () => {
    // The decimal digits of a hash map onto 4-9 and b-f: pod-template-hash values read like "7d4c9b8f65".
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'httpd' }] } };
    expect(podTemplateHash(t)).toBe(podTemplateHash(JSON.parse(JSON.stringify(t))));
    expect(podTemplateHash(t)).not.toBe(podTemplateHash({ ...t, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
  });

  it('rounds percentages as the deployment controller does', () => {
    expect(scaledValue('25%', 3, false)).toBe(0);
    expect(scaledValue('25%', 3, true)).toBe(1);
    expect(scaledValue(2, 3, false)).toBe(2);
  });

  it('deletes unscheduled, then pending, then not-ready, then the newest pods first', () => {
    const p = (name: string, node: string, phase: string, ready: boolean, created: string) => ({
      metadata: { name, creationTimestamp: created },
      spec: node ? { nodeName: node } : {},
      status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
    const order = deletionOrder([
      p('old-ready', 'n', 'Running', true, '2024-01-01T00:00:00Z'),
      p('new-ready', 'n', 'Running', true, '2024-01-02T00:00:00Z'),
      p('unready', 'n', 'Running', false, '2024-01-01T00:00:00Z'),
      p('pending', 'n', 'Pending', false, '2024-01-01T00:00:00Z'),
      p('unscheduled', '', 'Pending', false, '2024-01-01T00:00:00Z'),
    ]).map((x) => x.metadata.name);
    expect(order).toEqual(['unscheduled', 'pending', 'unready', 'new-ready', 'old-ready']);
  });
});

describe('replicaset controller bursts', () => {
  it('slow-start batches double from one, the last what is left, as kube-controller-manager does', () => {
    expect(slowStartBatches(0)).toEqual([]);
    expect(slowStartBatches(1)).toEqual([1]);
    expect(slowStartBatches(10)).toEqual([1, 2, 4, 3]);
    expect(slowStartBatches(500)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 245]);
  });

  it('creates a big scale-up over several turns of the event loop, not in one', async () => {
    const store = setup();
    const counts: number[] = [];
    const sampler = setInterval(() => counts.push(live(store).length), 0);
    createDeployment(store, 'many', 60);
    await waitFor('60 pods', () => live(store).length === 60);
    clearInterval(sampler);
    // Seen between batches: some pods, not yet all.
    expect(counts.some((n) => n > 0 && n < 60)).toBe(true);
  });

  it('a scale-down during a burst stops it at the new count', async () => {
    const store = setup();
    createDeployment(store, 'shrink', 200);
    await waitFor('the first pods', () => live(store).length > 0);
    store.mutate(deployments, 'default', 'shrink', (d) => {
      d.spec.replicas = 3;
      d.metadata.generation = 2;
    });
    await waitFor('3 pods left', () => live(store).length === 3 && store.list(podsDef).items.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(live(store)).toHaveLength(3);
  });
});

describe('throttled control loops', () => {
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
  it('runs a cheap pass at once after each burst of changes, as coalesce does', async () => {
    const { throttle } = await import('../../src/kube/controller.js');
    let runs = 0;
    const schedule = throttle(() => runs++, 0.1, 250);
    for (let round = 1; round <= 3; round++) {
      // Bursts further apart than the longest wait (250 ms): the pass, however long a loaded
      // machine made it look on the wall clock, cannot have pushed the next one into a timer.
      if (round > 1) await new Promise((r) => setTimeout(r, 260));
      for (let i = 0; i < 100; i++) schedule();
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(runs).toBe(round);
    }
  });
  it('spaces costly passes so they take about their share of the time, and cancel drops a queued one', async () => {
    const { throttle } = await import('../../src/kube/controller.js');
    const runs: number[] = [];
    const schedule = throttle(() => {
      runs.push(performance.now());
      busy(10);
    }, 0.1, 250);
    schedule();
    await new Promise((r) => setImmediate(r));
    schedule();
    schedule();
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toHaveLength(1);
    await waitFor('a second run', () => runs.length === 2, 2000);
    // 10 ms of work at a 10% share: 90 ms of rest after it.
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(95);
    schedule();
    schedule.cancel();
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toHaveLength(2);
  });
});
