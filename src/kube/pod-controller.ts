// The control loop between the store and the pod runtime: schedules new pods
// (scheduler + binding + events), hands bound pods to the runtime, folds the
// runtime's reports into pod status, and carries out graceful deletion so
// `kubectl delete pod` returns once the runtime has cleaned up.
import type { KubeObject, PodReport, PodRuntime } from './runtime.js';
import type { Store } from './store.js';
import type { EventRecorder } from './events.js';
import { nodes as nodesDef, pods as podsDef } from './core-resources.js';
import { schedule } from './scheduler.js';
import { configMaps, secrets } from './config-resources.js';
import { services as servicesDef } from './service-resources.js';
import type { ConfigSource } from './container-config.js';
import { rfc3339 } from './meta.js';

export interface PodController {
  /**
   * Deletes a pod the way the apiserver and kubelet do together: unstarted
   * pods (and gracePeriodSeconds 0) go at once; started ones get a
   * deletionTimestamp, the runtime stops them, then the object goes.
   * Returns the pod as the DELETE response shows it.
   */
  deletePod(namespace: string, name: string, opts?: { gracePeriodSeconds?: number }): KubeObject;
  /** Resolves when every deletion in flight has finished (for shutdown and tests). */
  idle(): Promise<void>;
  stop(): void;
}

const SCHEDULER = { component: 'default-scheduler' };
/** Pods scheduled per turn of the event loop. */
const SCHEDULE_BATCH = 50;

function isTerminal(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function startPodController(opts: {
  store: Store;
  runtime: PodRuntime;
  recorder: EventRecorder;
  log: (line: string) => void;
}): PodController {
  const { store, runtime, recorder, log } = opts;
  const started = new Set<string>(); // uids handed to the runtime
  const deleting = new Map<string, Promise<void>>(); // uid -> runtime deletion
  let stopped = false;

  // What kubelet reads from the API when it starts a container.
  const config: ConfigSource = {
    configMap: (ns, n) => store.get(configMaps, ns, n),
    secret: (ns, n) => store.get(secrets, ns, n),
    services: (ns) => [
      ...store.list(servicesDef, { namespace: ns }).items,
      ...(ns === 'default' ? [] : store.list(servicesDef, { namespace: 'default' }).items.filter((s) => s.metadata.name === 'kubernetes')),
    ],
  };

  const kubelet = (pod: KubeObject) => ({ component: 'kubelet', host: pod.spec?.nodeName });

  function load(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const p of store.scan(podsDef)) {
      if (p.spec?.nodeName && !isTerminal(p)) counts[p.spec.nodeName] = (counts[p.spec.nodeName] ?? 0) + 1;
    }
    return counts;
  }

  function current(namespace: string, name: string, uid: string): KubeObject | undefined {
    const p = store.get(podsDef, namespace, name);
    return p && p.metadata.uid === uid ? p : undefined;
  }

  function applyReport(namespace: string, name: string, uid: string, r: PodReport): void {
    if (stopped) return;
    let pod = current(namespace, name, uid);
    if (!pod) return; // deleted meanwhile: the runtime's late news is moot
    if (r.status) {
      pod = store.mutate(podsDef, namespace, name, (p) => {
        p.status = { ...(p.status ?? {}), ...r.status };
      });
    }
    if (r.event) {
      const { container, ...ev } = r.event;
      recorder.record(pod, kubelet(pod), { ...ev, ...(container ? { fieldPath: `spec.containers{${container}}` } : {}) });
    }
  }

  function start(pod: KubeObject): void {
    const { namespace, name, uid } = pod.metadata;
    if (started.has(uid)) return;
    if (!store.get(nodesDef, '', pod.spec.nodeName)) return; // like a pod bound to a node that never registers
    started.add(uid);
    try {
      runtime.startPod(pod, (r) => applyReport(namespace, name, uid, r), config);
    } catch (err) {
      log(`runtime failed to start pod ${namespace}/${name}: ${(err as Error).message}`);
      recorder.record(pod, kubelet(pod), { type: 'Warning', reason: 'Failed', message: (err as Error).message });
    }
  }

  /** The scheduler's view for one pass: nodes and their pod counts, read once and kept current as pods are bound. */
  interface Pass {
    nodes: readonly KubeObject[];
    load: Record<string, number>;
  }
  const newPass = (): Pass => ({ nodes: store.scan(nodesDef), load: load() });

  function scheduleOne(namespace: string, name: string, uid: string, pass: Pass): void {
    if (stopped) return;
    const pod = current(namespace, name, uid);
    if (!pod || pod.metadata.deletionTimestamp) return;
    if (pod.spec?.nodeName) return start(pod);
    const result = schedule(pod, [...pass.nodes], pass.load);
    const now = rfc3339();
    if (!result.ok) {
      const updated = store.mutate(podsDef, namespace, name, (p) => {
        p.status = {
          ...(p.status ?? {}),
          conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message: result.message }],
        };
      });
      recorder.record(updated, SCHEDULER, { type: 'Warning', reason: 'FailedScheduling', message: result.message });
      return;
    }
    pass.load[result.node] = (pass.load[result.node] ?? 0) + 1;
    const bound = store.mutate(podsDef, namespace, name, (p) => {
      p.spec.nodeName = result.node;
      p.status = {
        ...(p.status ?? {}),
        conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }],
      };
    });
    recorder.record(bound, SCHEDULER, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${namespace}/${name} to ${result.node}`,
    });
    start(bound);
  }

  function retryUnscheduled(): void {
    const pass = newPass();
    for (const p of store.scan(podsDef)) {
      if (!p.spec?.nodeName && !p.metadata.deletionTimestamp) scheduleOne(p.metadata.namespace, p.metadata.name, p.metadata.uid, pass);
    }
  }

  // New pods wait in a queue and are scheduled in passes of at most SCHEDULE_BATCH,
  // one turn of the event loop each: after the create responses are on their way
  // (the real scheduler is a separate process), and never holding the loop for a
  // whole burst of a thousand pods.
  const queue: [string, string, string][] = [];
  let queued = false;
  function drain(): void {
    queued = false;
    const batch = queue.splice(0, SCHEDULE_BATCH);
    const pass = newPass();
    for (const [namespace, name, uid] of batch) scheduleOne(namespace, name, uid, pass);
    if (queue.length && !stopped) wake();
  }
  function wake(): void {
    if (queued) return;
    queued = true;
    setImmediate(drain);
  }

  const unsubscribe = store.subscribe((change) => {
    if (change.def === podsDef && change.type === 'ADDED') {
      const { namespace, name, uid } = change.object.metadata;
      queue.push([namespace, name, uid]);
      wake();
    } else if (change.def === nodesDef && change.type !== 'DELETED') {
      setImmediate(retryUnscheduled);
    }
  });

  function finishDeletion(namespace: string, name: string, uid: string): void {
    started.delete(uid);
    deleting.delete(uid);
    if (current(namespace, name, uid)) store.remove(podsDef, namespace, name);
  }

  function runtimeDelete(pod: KubeObject): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    const p = Promise.resolve()
      .then(() => runtime.deletePod(pod))
      .catch((err: Error) => {
        log(`runtime failed to delete pod ${namespace}/${name}: ${err.message}`);
        const still = current(namespace, name, uid);
        if (still) recorder.record(still, kubelet(still), { type: 'Warning', reason: 'FailedKillPod', message: `error killing pod: ${err.message}` });
      })
      .finally(() => finishDeletion(namespace, name, uid));
    deleting.set(uid, p);
    return p;
  }

  return {
    deletePod(namespace, name, o = {}) {
      const pod = store.require(podsDef, namespace, name);
      const uid = pod.metadata.uid;
      if (pod.metadata.deletionTimestamp && o.gracePeriodSeconds !== 0) return pod;
      const grace = o.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      if (!started.has(uid) || grace === 0 || isTerminal(pod)) {
        const gone = store.remove(podsDef, namespace, name) ?? pod;
        if (started.has(uid) && !deleting.has(uid)) void runtimeDelete(pod);
        return gone;
      }
      const marked = store.mutate(podsDef, namespace, name, (p) => {
        p.metadata.deletionTimestamp = rfc3339(new Date(Date.now() + grace * 1000));
        p.metadata.deletionGracePeriodSeconds = grace;
      });
      for (const c of marked.spec?.containers ?? []) {
        recorder.record(marked, kubelet(marked), {
          type: 'Normal',
          reason: 'Killing',
          message: `Stopping container ${c.name}`,
          fieldPath: `spec.containers{${c.name}}`,
        });
      }
      void runtimeDelete(marked);
      return marked;
    },
    async idle() {
      while (deleting.size) await Promise.allSettled([...deleting.values()]);
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
