// A resource type as data: what discovery advertises, how `get` prints it,
// which fields selectors may name, and how create defaults and validates it.
// New kinds (Services, Endpoints, Deployments) are added by writing one of
// these, not by touching the server.
import type { KubeObject } from './runtime.js';
import type { PbSchema } from './protobuf.js';

/** What create and update rules may read of the store (a narrow view: the store itself imports these definitions). */
export interface StoredObjects {
  list(def: ResourceDef): { items: KubeObject[] };
}

export interface ColumnDef {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; 1: shown with -o wide. */
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: Record<string, unknown>[];
}

export interface TableDef {
  columns: ColumnDef[];
  row(obj: KubeObject, now: Date): TableRow;
}

export interface CreateContext {
  /** The namespace from the URL ('' for cluster-scoped resources). */
  namespace: string;
  /** The objects already stored, for rules that depend on them (a Service's ClusterIP must be free). */
  store?: StoredObjects;
}

/** A subresource in discovery; group and version when its kind lives elsewhere (scale: autoscaling/v1 Scale). */
export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

export interface ResourceDef {
  group: string; // '' for the core group
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceDef[];
  /** Field-selector fields beyond metadata.name and metadata.namespace. */
  selectableFields?: Record<string, (obj: KubeObject) => string>;
  table?: TableDef;
  /** Defaults and validation on create (after generateName); throws ApiError. */
  prepareCreate?: (obj: KubeObject, ctx: CreateContext) => KubeObject;
  /** Field table for protobuf request bodies (kubectl >= 1.32 typed clients); without it they get 415. */
  protobuf?: PbSchema;
  /** Validation of an update (PUT or PATCH of the main resource); throws ApiError. */
  validateUpdate?: (next: KubeObject, old: KubeObject) => void;
  /**
   * What the server changes in an update after validation (metadata.generation
   * on a spec change, defaults, NodePorts for a Service turned NodePort).
   */
  prepareUpdate?: (next: KubeObject, old: KubeObject, ctx: CreateContext) => KubeObject;
}

/** The verbs of an ordinary stored kind. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function selectableFieldNames(def: ResourceDef): string[] {
  return ['metadata.name', ...(def.namespaced ? ['metadata.namespace'] : []), ...Object.keys(def.selectableFields ?? {})];
}

export function fieldValues(def: ResourceDef, obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {
    'metadata.name': obj.metadata?.name ?? '',
  };
  if (def.namespaced) out['metadata.namespace'] = obj.metadata?.namespace ?? '';
  for (const [field, get] of Object.entries(def.selectableFields ?? {})) out[field] = get(obj) ?? '';
  return out;
}

/** The set of resource types one server serves, looked up the ways URLs and bodies name them. */
export interface Registry {
  defs: readonly ResourceDef[];
  find(group: string, version: string, plural: string): ResourceDef | undefined;
  byKind(kind: string): ResourceDef | undefined;
  groups(): { group: string; versions: string[] }[];
}

export function createRegistry(defs: readonly ResourceDef[]): Registry {
  return {
    defs,
    find: (group, version, plural) => defs.find((d) => d.group === group && d.version === version && d.plural === plural),
    byKind: (kind) => defs.find((d) => d.kind === kind),
    groups() {
      const out: { group: string; versions: string[] }[] = [];
      for (const d of defs) {
        let g = out.find((x) => x.group === d.group);
        if (!g) out.push((g = { group: d.group, versions: [] }));
        if (!g.versions.includes(d.version)) g.versions.push(d.version);
      }
      return out;
    },
  };
}
