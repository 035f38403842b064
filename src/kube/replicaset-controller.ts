// The replicaset controller: each ReplicaSet keeps spec.replicas pods of its
// template alive (generateName "<rs>-", owned by it), deletes the surplus in
// the order kube-controller-manager picks, and reports status.
import type { KubeObject } from './runtime.js';
import type { StartController } from './controller.js';
import { throttle } from './controller.js';
import { pods as podsDef } from './core-resources.js';
import { replicaSets } from './apps-resources.js';
import { controllerOf, deletionOrder, isActive, replicaSetCounts } from './replica-math.js';

const SOURCE = { component: 'replicaset-controller' };

export function podFromTemplate(owner: KubeObject, ownerKind: string): KubeObject {
  const t = owner.spec.template ?? {};
  return {
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [
        { apiVersion: owner.apiVersion, kind: ownerKind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: structuredClone(t.spec ?? {}),
  };
}

/** ReplicaSetStatus with Go's omitempty: zero counters are left out, replicas is always there. */
export function replicaSetStatus(rs: KubeObject, pods: readonly KubeObject[]): Record<string, unknown> {
  const c = replicaSetCounts(rs, pods);
  return {
    replicas: c.replicas,
    ...(c.fullyLabeledReplicas ? { fullyLabeledReplicas: c.fullyLabeledReplicas } : {}),
    ...(c.readyReplicas ? { readyReplicas: c.readyReplicas } : {}),
    ...(c.availableReplicas ? { availableReplicas: c.availableReplicas } : {}),
    observedGeneration: rs.metadata.generation ?? 1,
  };
}

/** kube-controller-manager's burstReplicas: at most this many pods created or deleted per sync of one ReplicaSet. */
export const BURST_REPLICAS = 500;

/**
 * The batch sizes of slowStartBatch for `count` creations: 1, 2, 4, ... (the
 * last one what is left), so a template that cannot work fails after one pod,
 * not after hundreds.
 */
export function slowStartBatches(count: number): number[] {
  const out: number[] = [];
  for (let size = 1, left = count; left > 0; size *= 2) {
    out.push(Math.min(size, left));
    left -= out[out.length - 1]!;
  }
  return out;
}

/** The share of the daemon's CPU the controller's passes over the pods may take when they come back to back. */
export const RECONCILE_SHARE = 0.1;

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export const startReplicaSetController: StartController = ({ store, pods: podControl, recorder, log }) => {
  const bursting = new Set<string>(); // uids of ReplicaSets whose pods are being created
  let stopped = false;

  const activeOwned = (namespace: string, uid: string) =>
    store.scan(podsDef, { namespace }).filter((p) => controllerOf(p)?.uid === uid && isActive(p)).length;

  /**
   * Creates the missing pods in slow-start batches, yielding to the event loop
   * between batches so API requests and the scheduler get their turn. Each
   * batch re-reads the ReplicaSet: a scale-down or deletion meanwhile stops it.
   */
  async function burst(rs: KubeObject, count: number): Promise<void> {
    const { namespace, name, uid } = rs.metadata;
    bursting.add(uid);
    try {
      for (const size of slowStartBatches(count)) {
        const now = store.scan(replicaSets, { namespace }).find((r) => r.metadata.uid === uid);
        if (stopped || !now || now.metadata.deletionTimestamp) return;
        const n = Math.min(size, (now.spec?.replicas ?? 0) - activeOwned(namespace, uid));
        for (let i = 0; i < n; i++) {
          const pod = store.create(podsDef, podsDef.prepareCreate!(podFromTemplate(now, 'ReplicaSet'), { namespace, store }));
          recorder.record(now, SOURCE, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` });
        }
        if (n < size) return;
        await nextTick();
      }
    } catch (err) {
      // As slowStartBatch: a failed creation ends the burst; the next sync tries again.
      log(`replicaset controller: ${namespace}/${name}: ${(err as Error).message}`);
    } finally {
      bursting.delete(uid);
      schedule();
    }
  }

  function syncOne(rs: KubeObject, owned: readonly KubeObject[]): void {
    const { namespace, name, uid } = rs.metadata;
    const active = owned.filter(isActive);
    const diff = active.length - (rs.spec?.replicas ?? 0);
    if (diff < 0 && !bursting.has(uid)) void burst(rs, Math.min(-diff, BURST_REPLICAS));
    else if (diff > 0) {
      for (const victim of deletionOrder(active).slice(0, Math.min(diff, BURST_REPLICAS))) {
        podControl.deletePod(namespace, victim.metadata.name);
        recorder.record(rs, SOURCE, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${victim.metadata.name}` });
      }
    }
    const now = diff > 0 ? store.scan(podsDef, { namespace }).filter((p) => controllerOf(p)?.uid === uid) : owned;
    const status = replicaSetStatus(rs, now);
    if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {})) {
      store.mutate(replicaSets, namespace, name, (o) => {
        o.status = status;
      });
    }
  }

  function reconcile(): void {
    // One pass over the pods per reconcile, grouped by owner, however many ReplicaSets there are.
    const byOwner = new Map<string, KubeObject[]>();
    for (const p of store.scan(podsDef)) {
      const owner = controllerOf(p)?.uid;
      if (!owner) continue;
      const list = byOwner.get(owner);
      if (list) list.push(p);
      else byOwner.set(owner, [p]);
    }
    for (const rs of store.scan(replicaSets)) {
      try {
        syncOne(rs, byOwner.get(rs.metadata.uid) ?? []);
      } catch (err) {
        log(`replicaset controller: ${rs.metadata.namespace}/${rs.metadata.name}: ${(err as Error).message}`);
      }
    }
  }

  // Pod status changes come by the thousand in a big rollout: passes over a thousand pods take at most a tenth of the CPU.
  const schedule = throttle(reconcile, RECONCILE_SHARE, 250);
  const unsubscribe = store.subscribe((c) => {
    if (c.def === replicaSets || c.def === podsDef) schedule();
  });
  schedule();
  return {
    stop() {
      stopped = true;
      unsubscribe();
      schedule.cancel();
    },
  };
};
