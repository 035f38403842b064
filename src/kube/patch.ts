// PATCH bodies kubectl sends: JSON merge patch (RFC 7386), JSON patch
// (RFC 6902) and strategic merge patch. The strategic form is applied as a
// merge patch whose lists of named objects (containers, ports, env, volumes)
// merge by name, which is what `kubectl label/annotate/set image/apply` need.
import { badRequest, ApiError, unsupportedMediaType } from './status.js';
import type { KubeObject } from './runtime.js';
import { clone } from './meta.js';

type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, Json> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// Lists whose elements are identified by a key field, from the core types' patchMergeKey tags.
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
  tolerations: 'key',
  hostAliases: 'ip',
};

function strategicList(key: string, target: Json, patch: Json[]): Json[] {
  const mergeKey = MERGE_KEYS[key];
  if (!mergeKey || !Array.isArray(target) || !patch.every(isObject)) {
    return patch.filter((e) => !(isObject(e) && e.$patch === 'delete')).map(stripDirectives);
  }
  const out: Json[] = clone(target);
  for (const el of patch) {
    const id = el[mergeKey];
    const idx = out.findIndex((x) => isObject(x) && x[mergeKey] === id);
    if (el.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) out[idx] = strategicMergePatch(out[idx], el);
    else out.push(stripDirectives(el));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const out: Record<string, Json> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = strategicList(k, out[k], v);
    else if (isObject(v)) out[k] = strategicMergePatch(out[k], v);
    else out[k] = v;
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`json patch: invalid path ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], path: string): { parent: Json; key: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (cur === undefined) throw new ApiError(422, 'Invalid', `json patch: path ${path} does not exist`);
  }
  return { parent: cur, key: parts[parts.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let cur = doc;
  for (const p of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (cur === undefined) throw new ApiError(422, 'Invalid', `json patch: path ${path} does not exist`);
  }
  return cur;
}

function removeAt(doc: Json, path: string): Json {
  const { parent, key } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length)) throw new ApiError(422, 'Invalid', `json patch: path ${path} does not exist`);
    return parent.splice(i, 1)[0];
  }
  if (!isObject(parent) || !(key in parent)) throw new ApiError(422, 'Invalid', `json patch: path ${path} does not exist`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(doc: Json, path: string, value: Json): Json {
  const parts = pointer(path);
  if (parts.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw new ApiError(422, 'Invalid', `json patch: index out of range in ${path}`);
    parent.splice(i, 0, clone(value));
  } else if (isObject(parent)) parent[key] = clone(value);
  else throw new ApiError(422, 'Invalid', `json patch: path ${path} does not exist`);
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch: the body must be a JSON array of operations');
  let doc = clone(target);
  for (const op of ops) {
    switch (op?.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'replace':
        removeAt(doc, op.path);
        doc = addAt(doc, op.path, op.value);
        break;
      case 'move': {
        const v = removeAt(doc, op.from);
        doc = addAt(doc, op.path, v);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new ApiError(422, 'Invalid', `json patch: test failed at ${op.path}`);
        }
        break;
      default:
        throw badRequest(`json patch: unknown operation ${JSON.stringify(op?.op)}`);
    }
  }
  return doc;
}

/** The body of a PATCH applied to `current` by its content type (kubectl sends all three kinds). */
export function applyPatch(type: string, current: KubeObject, patch: unknown): KubeObject {
  switch (type) {
    case 'application/merge-patch+json':
      return mergePatch(current, patch);
    case 'application/strategic-merge-patch+json':
      return strategicMergePatch(current, patch);
    case 'application/json-patch+json':
      return jsonPatch(current, patch);
    default:
      throw unsupportedMediaType(type);
  }
}
