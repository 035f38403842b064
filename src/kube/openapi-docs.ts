// The OpenAPI documents of this API, made from Kubernetes' own (swagger.json
// of the Kubernetes release Debian packages, fetched by
// scripts/fetch-k8s-openapi.sh): the definitions of the kinds served and what
// they reference, trimmed of the rest, and paths written from the registry for
// what this server answers. kubectl reads the definitions for `explain` and
// client-side validation, and the paths to learn that a kind's PATCH takes
// dryRun (kubectl 1.20 refuses --dry-run=server otherwise) and fieldValidation
// (kubectl >= 1.27 then leaves validation to the server, as with a real one).
import { createHash } from 'node:crypto';
import { apiVersionOf, type Registry, type ResourceDef } from './resources.js';

export type Json = Record<string, any>;

export interface SwaggerSource {
  definitions: Record<string, Json>;
  securityDefinitions?: Json;
  security?: Json[];
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Definition names by "group/version/kind", from their x-kubernetes-group-version-kind. */
function definitionsByGvk(defs: Record<string, Json>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, schema] of Object.entries(defs)) {
    for (const g of (schema['x-kubernetes-group-version-kind'] ?? []) as Gvk[]) {
      const key = `${g.group}/${g.version}/${g.kind}`;
      // A kind's own definition wins over meta types that list every group (DeleteOptions, WatchEvent).
      if (!out.has(key) || !name.startsWith(META)) out.set(key, name);
    }
  }
  return out;
}

function refName(ref: string): string {
  return ref.replace(/^#\/(definitions|components\/schemas)\//, '');
}

/** Every definition `names` reach through $ref, themselves included. */
export function refClosure(defs: Record<string, Json>, names: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') add(refName(x));
      else visit(x);
    }
  };
  const add = (name: string) => {
    if (seen.has(name) || !defs[name]) return;
    seen.add(name);
    visit(defs[name]);
  };
  for (const n of names) add(n);
  return seen;
}

function camel(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The group's word in operation ids: core, apps, networking (of networking.k8s.io). */
function groupWord(group: string): string {
  return camel(group === '' ? 'core' : group.split('.')[0]!);
}

const FIELD_VALIDATION =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.';
const query = (name: string, description: string, type = 'string') => ({ in: 'query', name, description, type, uniqueItems: true });
const WRITE_PARAMS = [
  query('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  query('fieldValidation', FIELD_VALIDATION),
];
const LIST_PARAMS = [
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  query('continue', 'The continue option should be set when retrieving more results from the server.'),
  query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
];
const PATH_NAME = (kind: string) => ({ in: 'path', name: 'name', description: `name of the ${kind}`, required: true, type: 'string', uniqueItems: true });
const PATH_NAMESPACE = { in: 'path', name: 'namespace', description: 'object name and auth scope, such as for teams and projects', required: true, type: 'string', uniqueItems: true };
const body = (ref: string) => ({ in: 'body', name: 'body', required: true, schema: { $ref: `#/definitions/${ref}` } });
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

interface OpSpec {
  action: string;
  verb: string;
  id: string;
  gvk: Gvk;
  response: string;
  params: Json[];
  consumes?: string[];
}

function operation(o: OpSpec, def: ResourceDef): Json {
  return {
    description: `${o.action} ${o.gvk.kind}`,
    operationId: o.id,
    ...(o.consumes ? { consumes: o.consumes } : {}),
    produces: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
    parameters: o.params,
    responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${o.response}` } }, '401': { description: 'Unauthorized' } },
    schemes: ['https'],
    tags: [`${def.group === '' ? 'core' : def.group.split('.')[0]}_${def.version}`],
    'x-kubernetes-action': o.verb,
    'x-kubernetes-group-version-kind': o.gvk,
  };
}

/** The paths this server answers for one kind, in swagger 2.0 form, with the definitions they name. */
function kindPaths(def: ResourceDef, byGvk: Map<string, string>): Record<string, Json> {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const kindDef = byGvk.get(`${def.group}/${def.version}/${def.kind}`);
  if (!kindDef) return {};
  const listDef = byGvk.get(`${def.group}/${def.version}/${def.kind}List`) ?? kindDef;
  const status = `${META}.Status`;
  const base = def.group ? `/apis/${def.group}/${def.version}` : '/api/v1';
  const nsPart = def.namespaced ? '/namespaces/{namespace}' : '';
  const ns = def.namespaced ? 'Namespaced' : '';
  const id = (verb: string, extra = '') => `${verb}${groupWord(def.group)}${camel(def.version)}${extra || ns}${def.kind}`;
  const can = (v: string) => def.verbs.includes(v);
  const scope = def.namespaced ? [PATH_NAMESPACE] : [];
  const out: Record<string, Json> = {};

  const collection: Json = { parameters: scope };
  if (can('list')) collection.get = operation({ action: 'list or watch objects of kind', verb: 'list', id: id('list'), gvk, response: listDef, params: LIST_PARAMS }, def);
  if (can('create')) collection.post = operation({ action: 'create a', verb: 'post', id: id('create'), gvk, response: kindDef, params: [body(kindDef), ...WRITE_PARAMS] }, def);
  if (can('deletecollection')) collection.delete = operation({ action: 'delete collection of', verb: 'deletecollection', id: id('delete', `Collection${ns}`), gvk, response: status, params: [...WRITE_PARAMS.slice(0, 1), ...LIST_PARAMS.slice(0, 2)] }, def);
  out[`${base}${nsPart}/${def.plural}`] = collection;
  if (def.namespaced && can('list')) {
    out[`${base}/${def.plural}`] = { get: operation({ action: 'list or watch objects of kind', verb: 'list', id: `list${groupWord(def.group)}${camel(def.version)}${def.kind}ForAllNamespaces`, gvk, response: listDef, params: LIST_PARAMS }, def) };
  }
  const item: Json = { parameters: [PATH_NAME(def.kind), ...scope] };
  if (can('get')) item.get = operation({ action: 'read the specified', verb: 'get', id: id('read'), gvk, response: kindDef, params: [] }, def);
  if (can('update')) item.put = operation({ action: 'replace the specified', verb: 'put', id: id('replace'), gvk, response: kindDef, params: [body(kindDef), ...WRITE_PARAMS] }, def);
  if (can('patch')) {
    item.patch = operation(
      { action: 'partially update the specified', verb: 'patch', id: id('patch'), gvk, response: kindDef, params: [body(`${META}.Patch`), ...WRITE_PARAMS, query('force', 'Force is going to "force" Apply requests.', 'boolean')], consumes: PATCH_TYPES },
      def,
    );
  }
  if (can('delete')) item.delete = operation({ action: 'delete a', verb: 'delete', id: id('delete'), gvk, response: status, params: [WRITE_PARAMS[0]!, query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer')] }, def);
  out[`${base}${nsPart}/${def.plural}/{name}`] = item;

  for (const sub of def.subresources ?? []) {
    if (sub.name !== 'status' && sub.name !== 'scale') continue;
    const subGvk = { group: sub.group ?? def.group, version: sub.version ?? def.version, kind: sub.kind };
    const subDef = byGvk.get(`${subGvk.group}/${subGvk.version}/${subGvk.kind}`);
    if (!subDef) continue;
    const suffix = camel(sub.name);
    const p: Json = { parameters: [PATH_NAME(sub.kind), ...scope] };
    p.get = operation({ action: `read ${sub.name} of the specified`, verb: 'get', id: id('read') + suffix, gvk: subGvk, response: subDef, params: [] }, def);
    p.put = operation({ action: `replace ${sub.name} of the specified`, verb: 'put', id: id('replace') + suffix, gvk: subGvk, response: subDef, params: [body(subDef), ...WRITE_PARAMS] }, def);
    p.patch = operation({ action: `partially update ${sub.name} of the specified`, verb: 'patch', id: id('patch') + suffix, gvk: subGvk, response: subDef, params: [body(`${META}.Patch`), ...WRITE_PARAMS], consumes: PATCH_TYPES }, def);
    out[`${base}${nsPart}/${def.plural}/{name}/${sub.name}`] = p;
  }
  return out;
}

export interface OpenApiDocs {
  /** The swagger 2.0 document (/openapi/v2). */
  v2: Json;
  /** OpenAPI 3.0 documents by group-version path ("api/v1", "apis/apps/v1"). */
  v3: Map<string, Json>;
  /** Served kinds with no definition in the source (newer than its release). */
  missing: string[];
}

/** The group-version path of an OpenAPI v3 document: api/v1, apis/apps/v1. */
export function gvPath(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`;
}

export function buildOpenApiDocs(source: SwaggerSource, registry: Registry, gitVersion: string): OpenApiDocs {
  const byGvk = definitionsByGvk(source.definitions);
  const paths: Record<string, Json> = {};
  const missing: string[] = [];
  for (const def of registry.defs) {
    const p = kindPaths(def, byGvk);
    if (!Object.keys(p).length) missing.push(`${def.kind} (${apiVersionOf(def)})`);
    Object.assign(paths, p);
  }
  const definitions = pick(source.definitions, refClosure(source.definitions, [`${META}.Status`, ...byNames(byGvk, registry)]));
  const v2: Json = {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: sortKeys(paths),
    definitions,
    ...(source.securityDefinitions ? { securityDefinitions: source.securityDefinitions } : {}),
    ...(source.security ? { security: source.security } : {}),
  };
  const v3 = new Map<string, Json>();
  for (const g of registry.groups()) {
    for (const version of g.versions) {
      const prefix = `/${gvPath({ group: g.group, version })}/`;
      const gvPaths = Object.fromEntries(Object.entries(v2.paths as Record<string, Json>).filter(([p]) => p.startsWith(prefix)));
      if (!Object.keys(gvPaths).length) continue;
      v3.set(gvPath({ group: g.group, version }), toV3(gvPaths, source, gitVersion));
    }
  }
  return { v2, v3, missing };
}

function byNames(byGvk: Map<string, string>, registry: Registry): string[] {
  const out: string[] = [];
  for (const def of registry.defs) {
    for (const kind of [def.kind, `${def.kind}List`]) {
      const n = byGvk.get(`${def.group}/${def.version}/${kind}`);
      if (n) out.push(n);
    }
  }
  return out;
}

function pick(defs: Record<string, Json>, names: Set<string>): Record<string, Json> {
  return Object.fromEntries([...names].sort().map((n) => [n, defs[n]!]));
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A v2 schema in OpenAPI 3.0 form: references into components.schemas, and a
 * reference with siblings (a field's description) wrapped in allOf, since 3.0
 * ignores what stands beside a $ref (the apiserver's v3 documents do the same).
 */
export function schemaToV3(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(schemaToV3);
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  const out: Json = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === '$ref') continue;
    // Vendor extensions and enums are values, not schemas.
    out[k] = k.startsWith('x-') || k === 'enum' || k === 'default' || k === 'example' ? x : schemaToV3(x);
  }
  if (typeof o.$ref !== 'string') return out;
  const ref = `#/components/schemas/${refName(o.$ref)}`;
  return Object.keys(out).length ? { allOf: [{ $ref: ref }], ...out } : { $ref: ref };
}

function operationToV3(op: Json): Json {
  const params = (op.parameters ?? []) as Json[];
  const bodyParam = params.find((p) => p.in === 'body');
  const response = (op.responses?.['200'] ?? {}) as Json;
  const produces = (op.produces ?? ['application/json']) as string[];
  return {
    tags: op.tags,
    description: op.description,
    operationId: op.operationId,
    parameters: params.filter((p) => p.in !== 'body').map(paramToV3),
    ...(bodyParam
      ? { requestBody: { content: Object.fromEntries(((op.consumes ?? ['*/*']) as string[]).map((t) => [t, { schema: schemaToV3(bodyParam.schema) }])), required: true } }
      : {}),
    responses: {
      '200': { description: response.description ?? 'OK', content: Object.fromEntries(produces.map((t) => [t, { schema: schemaToV3(response.schema) }])) },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': op['x-kubernetes-action'],
    'x-kubernetes-group-version-kind': op['x-kubernetes-group-version-kind'],
  };
}

function paramToV3(p: Json): Json {
  const { type, uniqueItems, ...rest } = p;
  return { ...rest, schema: { type, uniqueItems } };
}

function toV3(paths: Record<string, Json>, source: SwaggerSource, gitVersion: string): Json {
  const v3Paths: Record<string, Json> = {};
  for (const [path, item] of Object.entries(paths)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(item)) out[k] = k === 'parameters' ? (v as Json[]).map(paramToV3) : operationToV3(v as Json);
    v3Paths[path] = out;
  }
  const schemas = pick(source.definitions, refClosure(source.definitions, referenced(paths)));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: v3Paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([n, s]) => [n, schemaToV3(s)])),
      ...(source.securityDefinitions ? { securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } } : {}),
    },
    ...(source.security ? { security: source.security } : {}),
  };
}

function referenced(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => referenced(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.add(refName(x));
      else referenced(x, out);
    }
  }
  return out;
}

/** The hash the apiserver puts in a v3 document's URL and ETag: SHA-512 of its bytes, upper-case hex. */
export function documentHash(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}
