// apps/v1 Deployments and ReplicaSets as resource definitions: validation
// (selector required and matching the template's labels), the defaults the
// apiserver fills in (strategy, revisionHistoryLimit, the pod template's),
// metadata.generation moving on every spec change, and the scale subresource.
import type { KubeObject } from './runtime.js';
import { ALL_VERBS, type ResourceDef } from './resources.js';
import { invalid, invalidValue, required, type StatusCause } from './status.js';
import { checkObjectName } from './validation.js';
import { defaultContainer, validatePod } from './pod-admission.js';
import { selectorMatches } from './label-selector.js';
import { deploymentTable, replicaSetTable } from './apps-tables.js';
import { DEPLOYMENT } from './protobuf-apps.js';

const SCALE = { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' };

function goMap(m: Record<string, string>): string {
  return `map[string]string{${Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
    .join(', ')}}`;
}

function validateWorkload(obj: KubeObject): StatusCause[] {
  const causes = [...checkObjectName(obj)];
  const spec = obj.spec ?? {};
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const sel = spec.selector;
  const empty = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
  if (empty) causes.push(required('spec.selector'));
  const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (!empty && !selectorMatches(sel, labels)) {
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.template.metadata.labels', message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\`` });
  }
  const podCauses = validatePod({ metadata: { name: 'template' }, spec: spec.template?.spec ?? {} });
  causes.push(...podCauses.map((c) => ({ ...c, field: `spec.template.${c.field}` })));
  return causes;
}


/** The pod template with the defaults the apiserver stores (SetDefaults_PodSpec). */
export function defaultTemplate(template: KubeObject): KubeObject {
  const spec = template.spec ?? {};
  return {
    ...template,
    metadata: { creationTimestamp: null, ...(template.metadata ?? {}) },
    spec: {
      ...spec,
      containers: (spec.containers ?? []).map(defaultContainer),
      restartPolicy: spec.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
      securityContext: spec.securityContext ?? {},
      schedulerName: spec.schedulerName ?? 'default-scheduler',
    },
  };
}

function prepare(kind: 'Deployment' | 'ReplicaSet') {
  return (obj: KubeObject): KubeObject => {
    const causes = validateWorkload(obj);
    if (causes.length) throw invalid(kind, obj.metadata?.name ?? '', causes, 'apps');
    const spec = obj.spec;
    const common = { ...spec, replicas: spec.replicas ?? 1, template: defaultTemplate(spec.template) };
    const extra =
      kind === 'Deployment'
        ? {
            strategy: spec.strategy?.type
              ? spec.strategy
              : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%', ...(spec.strategy?.rollingUpdate ?? {}) } },
            revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
            progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
          }
        : {};
    return { ...obj, metadata: { ...obj.metadata, generation: 1 }, spec: { ...common, ...extra }, status: {} };
  };
}

function validateUpdate(kind: 'Deployment' | 'ReplicaSet') {
  return (next: KubeObject, old: KubeObject): void => {
    const causes = validateWorkload({ ...next, metadata: { ...next.metadata, name: old.metadata.name } });
    if (JSON.stringify(next.spec?.selector) !== JSON.stringify(old.spec?.selector)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${JSON.stringify(next.spec?.selector ?? null)}: field is immutable` });
    }
    if (causes.length) throw invalid(kind, old.metadata.name, causes, 'apps');
  };
}

/** Every spec change is a new generation; the controllers report the one they acted on as status.observedGeneration. */
function bumpGeneration(next: KubeObject, old: KubeObject): KubeObject {
  const spec = { ...next.spec, template: defaultTemplate(next.spec?.template ?? {}) };
  const changed = JSON.stringify(spec) !== JSON.stringify(old.spec);
  return { ...next, spec, metadata: { ...next.metadata, generation: (old.metadata.generation ?? 1) + (changed ? 1 : 0) } };
}

export const deployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: [SCALE, { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] }],
  table: deploymentTable,
  protobuf: DEPLOYMENT,
  prepareCreate: prepare('Deployment'),
  validateUpdate: validateUpdate('Deployment'),
  prepareUpdate: bumpGeneration,
};

export const replicaSets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  plural: 'replicasets',
  singular: 'replicaset',
  kind: 'ReplicaSet',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: [SCALE, { name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] }],
  table: replicaSetTable,
  prepareCreate: prepare('ReplicaSet'),
  validateUpdate: validateUpdate('ReplicaSet'),
  prepareUpdate: bumpGeneration,
};

export const APPS_RESOURCES: readonly ResourceDef[] = [deployments, replicaSets];
