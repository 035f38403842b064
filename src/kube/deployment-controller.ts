// The deployment controller: each Deployment owns one ReplicaSet per pod
// template ("<deployment>-<pod-template-hash>"); the current template's set
// is scaled to spec.replicas and older ones to zero once it is available
// (Recreate: old ones first). Status carries what `kubectl rollout status`
// watches: observedGeneration, replicas, updatedReplicas, availableReplicas,
// and the Available/Progressing conditions.
//
// A rolling update takes kube-controller-manager's steps (rollingStep): the
// new set grows within maxSurge, old sets shrink within maxUnavailable, each
// step once the ReplicaSets' status says the last one has taken effect.
import type { KubeObject } from './runtime.js';
import type { ControllerContext, StartController } from './controller.js';
import { coalesce } from './controller.js';
import { deployments, replicaSets } from './apps-resources.js';
import { controllerOf, deploymentCounts, podTemplateHash, rollingLimits, rollingStep, scaledValue } from './replica-math.js';
import { rfc3339 } from './meta.js';

const SOURCE = { component: 'deployment-controller' };
const HASH = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';

function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function newReplicaSet(d: KubeObject, hash: string, revision: number, replicas: number): KubeObject {
  const t = d.spec.template;
  const labels = { ...(t.metadata?.labels ?? {}), [HASH]: hash };
  return {
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
        'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas, true)),
        [REVISION]: String(revision),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH]: hash } },
      template: { ...t, metadata: { ...(t.metadata ?? {}), labels } },
    },
  };
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

function mergeConditions(old: any[] | undefined, wanted: Condition[], now: string): any[] {
  return wanted.map((w) => {
    const prev = (old ?? []).find((c) => c.type === w.type);
    const sameStatus = prev?.status === w.status;
    const unchanged = sameStatus && prev?.reason === w.reason && prev?.message === w.message;
    return {
      type: w.type,
      status: w.status,
      lastUpdateTime: unchanged ? prev.lastUpdateTime : now,
      lastTransitionTime: sameStatus ? prev.lastTransitionTime : now,
      reason: w.reason,
      message: w.message,
    };
  });
}

function omitZero(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
}

export function deploymentStatus(d: KubeObject, newRS: KubeObject | undefined, owned: KubeObject[], now: string): Record<string, unknown> {
  const desired = d.spec.replicas ?? 0;
  const counts = deploymentCounts(desired, newRS, owned);
  const minAvailable = desired - scaledValue(d.spec.strategy?.rollingUpdate?.maxUnavailable, desired, false);
  const available = counts.availableReplicas >= minAvailable;
  const rsName = newRS?.metadata.name ?? '';
  const complete = newRS !== undefined && counts.updatedReplicas === desired && counts.replicas === desired && counts.availableReplicas === desired;
  const conditions = mergeConditions(
    d.status?.conditions,
    [
      available
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      complete
        ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }
        : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` },
    ],
    now,
  );
  return { observedGeneration: d.metadata.generation ?? 1, ...omitZero({ ...counts }), conditions };
}

function scale(ctx: ControllerContext, d: KubeObject, rs: KubeObject, replicas: number): void {
  const from = rs.spec.replicas ?? 0;
  if (from === replicas) return;
  ctx.store.mutate(replicaSets, rs.metadata.namespace, rs.metadata.name, (o) => {
    o.spec.replicas = replicas;
    o.metadata.generation = (o.metadata.generation ?? 1) + 1;
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas) };
  });
  const verb = replicas > from ? 'up' : 'down';
  ctx.recorder.record(d, SOURCE, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}` });
}

function syncOne(ctx: ControllerContext, d: KubeObject): void {
  const { store } = ctx;
  const { namespace, uid } = d.metadata;
  const owned = store.list(replicaSets, { namespace }).items.filter((rs) => controllerOf(rs)?.uid === uid);
  const hash = podTemplateHash(d.spec.template);
  let newRS = owned.find((rs) => rs.metadata.labels?.[HASH] === hash);
  const old = owned.filter((rs) => rs !== newRS);
  const desired = d.spec.replicas ?? 0;
  const recreate = d.spec.strategy?.type === 'Recreate';
  const oldPods = old.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
  // Recreate: the new set starts once every old pod is gone.
  const recreateTarget = oldPods > 0 ? 0 : desired;
  const size = (rs: KubeObject) => ({ name: rs.metadata.name, replicas: rs.spec.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 });
  const byAge = [...old].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
  const limits = rollingLimits(d.spec.strategy?.rollingUpdate, desired);
  if (!newRS) {
    const revision = Math.max(0, ...owned.map(revisionOf)) + 1;
    const first = recreate ? recreateTarget : rollingStep(desired, limits, { name: '', replicas: 0, available: 0 }, byAge.map(size)).newReplicas;
    newRS = store.create(replicaSets, replicaSets.prepareCreate!(newReplicaSet(d, hash, revision, first), { namespace, store }));
    owned.push(newRS);
    ctx.recorder.record(d, SOURCE, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${newRS.metadata.name} from 0 to ${first}` });
  } else {
    // Back to an older template (rollout undo): that set becomes the newest revision again.
    const newest = Math.max(0, ...old.map(revisionOf));
    if (revisionOf(newRS) <= newest) {
      newRS = store.mutate(replicaSets, namespace, newRS.metadata.name, (o) => {
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: String(newest + 1) };
      });
    }
    if (recreate) {
      for (const rs of old) scale(ctx, d, rs, 0);
      scale(ctx, d, newRS, recreateTarget);
    } else {
      const step = rollingStep(desired, limits, size(newRS), byAge.map(size));
      scale(ctx, d, newRS, step.newReplicas);
      for (const rs of byAge) scale(ctx, d, rs, step.old[rs.metadata.name] ?? 0);
    }
  }

  const fresh = store.list(replicaSets, { namespace }).items.filter((rs) => controllerOf(rs)?.uid === uid);
  const current = fresh.find((rs) => rs.metadata.uid === newRS!.metadata.uid);
  const status = deploymentStatus(d, current, fresh, rfc3339());
  const revision = String(revisionOf(current ?? newRS));
  if (JSON.stringify(status) !== JSON.stringify(d.status ?? {}) || d.metadata.annotations?.[REVISION] !== revision) {
    store.mutate(deployments, namespace, d.metadata.name, (o) => {
      o.status = status;
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: revision };
    });
  }
}

export const startDeploymentController: StartController = (ctx) => {
  function reconcile(): void {
    for (const d of ctx.store.list(deployments).items) {
      if (d.metadata.deletionTimestamp) continue;
      try {
        syncOne(ctx, d);
      } catch (err) {
        ctx.log(`deployment controller: ${d.metadata.namespace}/${d.metadata.name}: ${(err as Error).message}`);
      }
    }
  }
  const schedule = coalesce(reconcile);
  const unsubscribe = ctx.store.subscribe((c) => {
    if (c.def === deployments || c.def === replicaSets) schedule();
  });
  schedule();
  return { stop: unsubscribe };
};
