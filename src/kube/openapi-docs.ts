// The OpenAPI documents of this API, made from Kubernetes' own (swagger.json
// of the Kubernetes release Debian packages, fetched by
// scripts/fetch-k8s-openapi.sh): the definitions of the kinds served and what
// they reference, trimmed of the rest, with the paths this server answers
// (openapi-paths.ts); the v2 document and one v3 document per group-version,
// converted from it. kubectl reads the definitions for `explain` and
// client-side validation.
import { createHash } from 'node:crypto';
import { apiVersionOf, type Registry, type ResourceDef } from './resources.js';
import { kindPaths } from './openapi-paths.js';

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
