// ConfigMaps, Secrets and NetworkPolicies: stored and served as the apiserver
// does (a Secret's stringData folded into base64 data, Opaque by default).
// Pods read ConfigMaps and Secrets through container-config.ts; NetworkPolicies
// are stored only: no lab enforces them yet.
import type { KubeObject } from './runtime.js';
import { ALL_VERBS, type ResourceDef } from './resources.js';
import { CONFIG_MAP, SECRET } from './protobuf.js';
import { configMapTable, networkPolicyTable, secretTable } from './tables.js';
import { requireValidName } from './validation.js';
import { invalid } from './status.js';

const KEY = /^[-._a-zA-Z0-9]+$/;

function checkKeys(kind: string, obj: KubeObject, fields: string[]): void {
  for (const field of fields) {
    for (const key of Object.keys(obj[field] ?? {})) {
      if (!KEY.test(key) || key.length > 253) {
        throw invalid(kind, obj.metadata?.name ?? '', [
          { reason: 'FieldValueInvalid', field: `${field}[${key}]`, message: `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'` },
        ]);
      }
    }
  }
}

function immutableUnchanged(kind: string, next: KubeObject, old: KubeObject, fields: string[]): void {
  if (old.immutable !== true) return;
  const same = fields.every((f) => JSON.stringify(next[f] ?? {}) === JSON.stringify(old[f] ?? {})) && next.immutable === true;
  if (!same) {
    throw invalid(kind, old.metadata.name, [{ reason: 'FieldValueForbidden', field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' }]);
  }
}

export const configMaps: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['cm'],
  table: configMapTable,
  protobuf: CONFIG_MAP,
  prepareCreate(obj) {
    requireValidName('ConfigMap', obj);
    checkKeys('ConfigMap', obj, ['data', 'binaryData']);
    return obj;
  },
  validateUpdate(next, old) {
    checkKeys('ConfigMap', next, ['data', 'binaryData']);
    immutableUnchanged('ConfigMap', next, old, ['data', 'binaryData']);
  },
};

/** stringData is write-only: merged into data (base64) and never stored, as the apiserver does. */
function foldStringData(obj: KubeObject): KubeObject {
  const { stringData, ...rest } = obj;
  const data: Record<string, string> = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries((stringData ?? {}) as Record<string, string>)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return { ...rest, type: rest.type || 'Opaque', ...(Object.keys(data).length ? { data } : {}) };
}

export const secrets: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'secrets',
  singular: 'secret',
  kind: 'Secret',
  namespaced: true,
  verbs: ALL_VERBS,
  table: secretTable,
  protobuf: SECRET,
  prepareCreate(obj) {
    requireValidName('Secret', obj);
    checkKeys('Secret', obj, ['data', 'stringData']);
    return foldStringData(obj);
  },
  validateUpdate(next, old) {
    checkKeys('Secret', next, ['data', 'stringData']);
    if ((next.type || 'Opaque') !== (old.type || 'Opaque')) {
      throw invalid('Secret', old.metadata.name, [{ reason: 'FieldValueInvalid', field: 'type', message: `Invalid value: ${JSON.stringify(next.type)}: field is immutable` }]);
    }
  },
  prepareUpdate: (next, old) => {
    const folded = foldStringData(next);
    immutableUnchanged('Secret', folded, old, ['data']);
    return folded;
  },
};

export const networkPolicies: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  kind: 'NetworkPolicy',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['netpol'],
  table: networkPolicyTable,
  prepareCreate(obj) {
    requireValidName('NetworkPolicy', obj);
    // The apiserver's defaults: an empty podSelector selects every pod; Ingress when no type is given.
    const spec = { podSelector: {}, ...(obj.spec ?? {}) };
    if (!spec.policyTypes) spec.policyTypes = spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
    return { ...obj, spec };
  },
};

export const CONFIG_RESOURCES: readonly ResourceDef[] = [configMaps, secrets, networkPolicies];
