// The core/v1 kinds the embedded lab serves. Each is data for the generic
// REST handlers: discovery, tables, selectors and create-time rules.
import { CONFIG_RESOURCES } from './config-resources.js';
import { ALL_VERBS, type ResourceDef } from './resources.js';
import { requireValidName } from './validation.js';
import { preparePod, validatePodUpdate } from './pod-admission.js';
import { NAMESPACE, SERVICE_ACCOUNT } from './protobuf.js';
import { eventTable, namespaceTable, nodeTable, podTable, serviceAccountTable } from './tables.js';



export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'pods',
  singular: 'pod',
  kind: 'Pod',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['po'],
  categories: ['all'],
  subresources: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  ],
  selectableFields: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(Boolean(p.spec?.hostNetwork)),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIP ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
  table: podTable,
  prepareCreate: (obj, ctx) => preparePod(obj, ctx.namespace),
  validateUpdate: validatePodUpdate,
};

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['ns'],
  subresources: [{ name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] }],
  selectableFields: { 'status.phase': (n) => n.status?.phase ?? '' },
  table: namespaceTable,
  protobuf: NAMESPACE,
  prepareCreate(obj) {
    requireValidName('Namespace', obj, true);
    const name = obj.metadata.name;
    return {
      ...obj,
      metadata: { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'], ...(obj.spec ?? {}) },
      status: { phase: 'Active' },
    };
  },
};

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'nodes',
  singular: 'node',
  kind: 'Node',
  namespaced: false,
  // Nodes register themselves (the lab's runtime); users read, label and cordon them.
  verbs: ['get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['no'],
  subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }],
  selectableFields: { 'spec.unschedulable': (n) => String(Boolean(n.spec?.unschedulable)) },
  table: nodeTable,
};

export const events: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'events',
  singular: 'event',
  kind: 'Event',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['ev'],
  selectableFields: {
    'involvedObject.kind': (e) => e.involvedObject?.kind ?? '',
    'involvedObject.namespace': (e) => e.involvedObject?.namespace ?? '',
    'involvedObject.name': (e) => e.involvedObject?.name ?? '',
    'involvedObject.uid': (e) => e.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (e) => e.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => e.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involvedObject?.fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component ?? '',
    type: (e) => e.type ?? '',
  },
  table: eventTable,
  prepareCreate(obj) {
    requireValidName('Event', obj);
    return obj;
  },
};

export const serviceAccounts: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['sa'],
  table: serviceAccountTable,
  protobuf: SERVICE_ACCOUNT,
  prepareCreate(obj) {
    requireValidName('ServiceAccount', obj);
    return obj;
  },
};

// ConfigMaps, Secrets and NetworkPolicies are served with the core kinds: pods read the first two.
export const CORE_RESOURCES: readonly ResourceDef[] = [namespaces, nodes, pods, events, serviceAccounts, ...CONFIG_RESOURCES];

/** Namespaces every cluster starts with. */
export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
/** Namespaces the apiserver refuses to delete. */
export const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
