// The replicaset controller: each ReplicaSet keeps spec.replicas pods of its
// template alive (generateName "<rs>-", owned by it), deletes the surplus in
// the order kube-controller-manager picks, and reports status.
import type { KubeObject } from './runtime.js';
import type { StartController } from './controller.js';
import { coalesce } from './controller.js';
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
export function replicaSetStatus(rs: KubeObject, pods: KubeObject[]): Record<string, unknown> {
  const c = replicaSetCounts(rs, pods);
  return {
    replicas: c.replicas,
    ...(c.fullyLabeledReplicas ? { fullyLabeledReplicas: c.fullyLabeledReplicas } : {}),
    ...(c.readyReplicas ? { readyReplicas: c.readyReplicas } : {}),
    ...(c.availableReplicas ? { availableReplicas: c.availableReplicas } : {}),
    observedGeneration: rs.metadata.generation ?? 1,
  };
}

export const startReplicaSetController: StartController = ({ store, pods: podControl, recorder, log }) => {
  function syncOne(rs: KubeObject, allPods: KubeObject[]): void {
    const { namespace, name, uid } = rs.metadata;
    const owned = allPods.filter((p) => controllerOf(p)?.uid === uid);
    const active = owned.filter(isActive);
    const diff = active.length - (rs.spec?.replicas ?? 0);
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) {
        const pod = store.create(podsDef, podsDef.prepareCreate!(podFromTemplate(rs, 'ReplicaSet'), { namespace, store }));
        recorder.record(rs, SOURCE, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` });
      }
    } else if (diff > 0) {
      for (const victim of deletionOrder(active).slice(0, diff)) {
        podControl.deletePod(namespace, victim.metadata.name);
        recorder.record(rs, SOURCE, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${victim.metadata.name}` });
      }
    }
    const now = diff === 0 ? owned : store.list(podsDef, { namespace }).items.filter((p) => controllerOf(p)?.uid === uid);
    const status = replicaSetStatus(rs, now);
    if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {})) {
      store.mutate(replicaSets, namespace, name, (o) => {
        o.status = status;
      });
    }
  }

  function reconcile(): void {
    const allPods = store.list(podsDef).items;
    for (const rs of store.list(replicaSets).items) {
      try {
        syncOne(rs, allPods);
      } catch (err) {
        log(`replicaset controller: ${rs.metadata.namespace}/${rs.metadata.name}: ${(err as Error).message}`);
      }
    }
  }

  const schedule = coalesce(reconcile);
  const unsubscribe = store.subscribe((c) => {
    if (c.def === replicaSets || c.def === podsDef) schedule();
  });
  schedule();
  return { stop: unsubscribe };
};
