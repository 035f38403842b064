// What the apiserver does to a pod between POST and storage: validation with
// its field paths and messages, then the defaults and admission plugins'
// additions (tolerations, priority, service account) a real pod carries.
import type { KubeObject } from './runtime.js';
import { invalid, required, duplicate, unsupportedValue, type StatusCause } from './status.js';
import { clone } from './meta.js';
import { checkLabel, checkObjectName } from './validation.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

export function validatePod(pod: KubeObject): StatusCause[] {
  const causes = [...checkObjectName(pod)];
  const spec = pod.spec ?? {};
  const containers: any[] = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.length === 0) causes.push(required('spec.containers'));
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const path = `spec.containers[${i}]`;
    const nameCauses = checkLabel(`${path}.name`, c?.name);
    causes.push(...nameCauses);
    if (!nameCauses.length) {
      if (seen.has(c.name)) causes.push(duplicate(`${path}.name`, c.name));
      seen.add(c.name);
    }
    if (!c?.image || typeof c.image !== 'string' || !c.image.trim()) causes.push(required(`${path}.image`));
  });
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    causes.push(unsupportedValue('spec.restartPolicy', spec.restartPolicy, RESTART_POLICIES));
  }
  return causes;
}

/** Always for ":latest" or an untagged image without a digest, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** The defaults the API server fills into a container spec (shared by pods and pod templates). */
export function defaultContainer(c: any): any {
  return {
    ...c,
    imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image),
    resources: c.resources ?? {},
    terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
    ...(Array.isArray(c.ports) ? { ports: c.ports.map((p: any) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
  };
}

export function preparePod(input: KubeObject, namespace: string): KubeObject {
  const causes = validatePod(input);
  if (causes.length) throw invalid('Pod', input.metadata?.name ?? input.metadata?.generateName ?? '', causes);
  const spec = input.spec;
  const tolerations: any[] = [...(spec.tolerations ?? [])];
  for (const t of DEFAULT_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key && (x.effect ?? '') === t.effect)) tolerations.push(t);
  }
  const sa = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  return {
    ...input,
    metadata: { ...input.metadata, namespace },
    spec: {
      ...spec,
      containers: spec.containers.map(defaultContainer),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
      restartPolicy: spec.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
      serviceAccountName: sa,
      serviceAccount: sa,
      securityContext: spec.securityContext ?? {},
      schedulerName: spec.schedulerName ?? 'default-scheduler',
      tolerations,
      priority: spec.priority ?? 0,
      enableServiceLinks: spec.enableServiceLinks ?? true,
      preemptionPolicy: spec.preemptionPolicy ?? 'PreemptLowerPriority',
    },
    // Status is the server's: a client cannot create a pod already Running.
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** The apiserver lets an existing pod change little more than its images and tolerations. */
export function validatePodUpdate(next: KubeObject, old: KubeObject): void {
  const normalize = (spec: any) => {
    const s = clone(spec ?? {});
    for (const c of [...(s.containers ?? []), ...(s.initContainers ?? [])]) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return JSON.stringify(s);
  };
  if (normalize(next.spec) !== normalize(old.spec)) {
    throw invalid('Pod', old.metadata.name, [{ reason: 'FieldValueForbidden', message: `Forbidden: ${POD_UPDATE_FORBIDDEN}`, field: 'spec' }]);
  }
}
