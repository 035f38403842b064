// Pure pieces of the replica set and deployment controllers: the
// pod-template-hash, which pods to delete first when scaling down, and the
// status counters kubectl reads (READY, UP-TO-DATE, AVAILABLE, rollout status).
import type { KubeObject } from './runtime.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bit. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
export function safeEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join('');
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * The pod-template-hash label value: like controller.ComputeHash, FNV-32a of
 * the template (here its canonical JSON), its decimal digits safe-encoded,
 * e.g. "7d4c9b8f65".
 */
export function podTemplateHash(template: KubeObject, collisionCount = 0): string {
  const text = JSON.stringify(canonical(template)) + (collisionCount ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(text)));
}

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Pods a replica set counts: not finished, not being deleted. */
export function isActive(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

export function controllerOf(obj: KubeObject): { uid: string; kind: string; name: string } | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
}

const PHASE_RANK: Record<string, number> = { Pending: 1, Unknown: 2, Running: 3 };

/**
 * Which pods go first when a replica set shrinks (ActivePodsWithRanks):
 * unscheduled before scheduled, pending before running, not ready before
 * ready, then the most recently created.
 */
export function deletionOrder(pods: KubeObject[]): KubeObject[] {
  const key = (p: KubeObject): [number, number, number, number] => [
    p.spec?.nodeName ? 1 : 0,
    PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0,
    isPodReady(p) ? 1 : 0,
    -Date.parse(p.metadata.creationTimestamp ?? 0),
  ];
  return [...pods].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.metadata.name < b.metadata.name ? 1 : -1;
  });
}

export interface ReplicaCounts {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export function replicaSetCounts(rs: KubeObject, pods: readonly KubeObject[]): ReplicaCounts {
  const active = pods.filter(isActive);
  const labels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const fully = active.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v));
  const ready = active.filter(isPodReady).length;
  return { replicas: active.length, fullyLabeledReplicas: fully.length, readyReplicas: ready, availableReplicas: ready };
}

/** An int-or-percent of `total`, rounded as the deployment controller rounds maxUnavailable (down). */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface DeploymentCounts {
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
}

export function deploymentCounts(desired: number, newRS: KubeObject | undefined, all: KubeObject[]): DeploymentCounts {
  const sum = (f: (rs: KubeObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  return {
    replicas: sum((rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, desired - available),
  };
}

export interface SetSize {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

/** maxSurge and maxUnavailable as numbers of pods, as the deployment controller resolves them (both 0 would never progress: one may be unavailable). */
export function rollingLimits(rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string } | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(rollingUpdate?.maxSurge ?? '25%', desired, true);
  const unavailable = scaledValue(rollingUpdate?.maxUnavailable ?? '25%', desired, false);
  return surge === 0 && unavailable === 0 ? { surge: 0, unavailable: 1 } : { surge, unavailable };
}

/**
 * One step of a rolling update, as kube-controller-manager takes it: the new set grows
 * while all sets together stay within desired + maxSurge; otherwise old sets shrink
 * (the oldest first, unavailable pods first) while the available pods stay at least
 * desired - maxUnavailable. Returns the sizes to set; `old` is oldest first.
 */
export function rollingStep(desired: number, limits: { surge: number; unavailable: number }, newRS: SetSize, old: SetSize[]): { newReplicas: number; old: Record<string, number> } {
  const sizes: Record<string, number> = Object.fromEntries(old.map((s) => [s.name, s.replicas]));
  const total = () => newRS.replicas + Object.values(sizes).reduce((n, r) => n + r, 0);
  if (newRS.replicas > desired) return { newReplicas: desired, old: sizes };
  if (newRS.replicas < desired) {
    const room = Math.min(desired + limits.surge - total(), desired - newRS.replicas);
    if (room > 0) return { newReplicas: newRS.replicas + room, old: sizes };
  }
  const minAvailable = desired - limits.unavailable;
  const newUnavailable = newRS.replicas - newRS.available;
  let canRemove = total() - minAvailable - newUnavailable;
  // Pods that are not available cost no availability: they go first.
  for (const s of old) {
    if (canRemove <= 0) break;
    const unhealthy = Math.min(canRemove, Math.max(0, s.replicas - s.available));
    sizes[s.name] = s.replicas - unhealthy;
    canRemove -= unhealthy;
  }
  const availableNow = newRS.available + old.reduce((n, s) => n + Math.min(s.available, sizes[s.name]!), 0);
  let removable = Math.min(canRemove, availableNow - minAvailable);
  for (const s of old) {
    if (removable <= 0) break;
    const cut = Math.min(sizes[s.name]!, removable);
    sizes[s.name] = sizes[s.name]! - cut;
    removable -= cut;
  }
  return { newReplicas: newRS.replicas, old: sizes };
}
