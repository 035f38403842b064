// The API server's object store: every object of every resource type, a
// global resourceVersion counter, and a bounded change history per resource
// type so a watch can start from the resourceVersion a list returned, as the
// apiserver's watch cache (one per type) allows: a burst of pod changes does
// not push a Deployment watcher's resourceVersion out of the window.
import type { KubeObject } from './runtime.js';
import { fieldValues, type ResourceDef } from './resources.js';
import { matchesFields, matchesLabels, type FieldSelector, type LabelSelector } from './selectors.js';
import { alreadyExists, badRequest, conflict, expired, notFound } from './status.js';
import { clone, newUid, randomSuffix, rfc3339 } from './meta.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: ChangeType;
  def: ResourceDef;
  object: KubeObject;
  /** The object before a MODIFIED or DELETED change. */
  previous?: KubeObject;
  rv: number;
}

export interface ListOptions {
  /** Only this namespace; undefined or '' means all. */
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
}

export interface WatchEvent {
  type: ChangeType;
  object: KubeObject;
}

export interface Store {
  resourceVersion(): string;
  create(def: ResourceDef, obj: KubeObject): KubeObject;
  get(def: ResourceDef, namespace: string, name: string): KubeObject | undefined;
  /** Like get, or a 404 NotFound ApiError. */
  require(def: ResourceDef, namespace: string, name: string): KubeObject;
  list(def: ResourceDef, opts?: ListOptions): { items: KubeObject[]; resourceVersion: string };
  /**
   * Like list, without copying: the stored objects themselves, in list order,
   * for controllers inside the server that read many objects on every pass.
   * Callers must never change them (the store replaces, never edits, an object).
   */
  scan(def: ResourceDef, opts?: ListOptions): readonly KubeObject[];
  /** Replaces an object; a metadata.resourceVersion in obj must match the stored one (409 Conflict). */
  update(def: ResourceDef, obj: KubeObject): KubeObject;
  /** Changes an object in place through fn; no-op changes keep the resourceVersion. */
  mutate(def: ResourceDef, namespace: string, name: string, fn: (obj: KubeObject) => void): KubeObject;
  remove(def: ResourceDef, namespace: string, name: string): KubeObject | undefined;
  /**
   * Streams changes matching opts. With resourceVersion absent or "0", first
   * sends ADDED for every current match; otherwise replays changes after it.
   */
  watch(def: ResourceDef, opts: ListOptions & { resourceVersion?: string }, listener: (ev: WatchEvent) => void): () => void;
  /** Every change of every resource, for controllers inside the server; the objects in it are the stored ones: read, never change. */
  subscribe(listener: (change: Change) => void): () => void;
}

/** Changes kept per resource type. */
const HISTORY_LIMIT = 2_500;

/** Objects of one resource type, and their keys in list order (built when asked after a create or remove). */
interface Table {
  objects: Map<string, KubeObject>;
  sorted?: string[];
}

function defKey(def: ResourceDef): string {
  return `${def.group}/${def.version}/${def.plural}`;
}

function objKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}


export function matches(def: ResourceDef, obj: KubeObject, opts: ListOptions): boolean {
  if (opts.namespace && def.namespaced && obj.metadata?.namespace !== opts.namespace) return false;
  if (opts.labelSelector?.length && !matchesLabels(opts.labelSelector, obj.metadata?.labels)) return false;
  if (opts.fieldSelector?.length && !matchesFields(opts.fieldSelector, fieldValues(def, obj))) return false;
  return true;
}

/** What a watcher with these filters sees of a change: ADDED/DELETED when an object moves into or out of its selection. */
export function viewOfChange(change: Change, opts: ListOptions): WatchEvent | undefined {
  const now = matches(change.def, change.object, opts);
  const before = change.previous ? matches(change.def, change.previous, opts) : false;
  switch (change.type) {
    case 'ADDED':
      return now ? { type: 'ADDED', object: change.object } : undefined;
    case 'DELETED':
      return now || before ? { type: 'DELETED', object: change.object } : undefined;
    case 'MODIFIED':
      if (now && before) return { type: 'MODIFIED', object: change.object };
      if (now) return { type: 'ADDED', object: change.object };
      if (before) return { type: 'DELETED', object: change.object };
      return undefined;
  }
}

function sameIgnoringVersion(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

export function createStore(opts: { historyLimit?: number } = {}): Store {
  const historyLimit = opts.historyLimit ?? HISTORY_LIMIT;
  let rv = 0;
  const tables = new Map<string, Table>();
  // Per resource type: its latest changes, and the resourceVersion of the newest one dropped.
  const histories = new Map<string, { changes: Change[]; dropped: number }>();
  const subscribers = new Set<(change: Change) => void>();

  const tableOf = (def: ResourceDef) => {
    const k = defKey(def);
    let t = tables.get(k);
    if (!t) tables.set(k, (t = { objects: new Map() }));
    return t;
  };
  const table = (def: ResourceDef) => tableOf(def).objects;
  // Keys are "namespace/name", so sorting them is the list order (by namespace, then name).
  const inOrder = (def: ResourceDef): KubeObject[] => {
    const t = tableOf(def);
    t.sorted ??= [...t.objects.keys()].sort();
    return t.sorted.map((k) => t.objects.get(k)!);
  };
  const keysChanged = (def: ResourceDef) => (tableOf(def).sorted = undefined);
  const nsOf = (def: ResourceDef, namespace: string) => (def.namespaced ? namespace : '');

  function emit(change: Change): void {
    const key = defKey(change.def);
    let h = histories.get(key);
    if (!h) histories.set(key, (h = { changes: [], dropped: 0 }));
    h.changes.push(change);
    if (h.changes.length > historyLimit) {
      const gone = h.changes.splice(0, h.changes.length - historyLimit);
      h.dropped = gone[gone.length - 1]!.rv;
    }
    for (const s of [...subscribers]) s(change);
  }

  const store: Store = {
    resourceVersion: () => String(rv),

    create(def, input) {
      const obj = clone(input);
      obj.metadata = obj.metadata ?? {};
      const namespace = nsOf(def, obj.metadata.namespace ?? '');
      const t = table(def);
      if (!obj.metadata.name && obj.metadata.generateName) {
        do obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
        while (t.has(objKey(namespace, obj.metadata.name)));
      }
      const name: string = obj.metadata.name ?? '';
      if (!name) throw badRequest('name or generateName is required');
      if (t.has(objKey(namespace, name))) throw alreadyExists(def.plural, name, def.group);
      rv++;
      obj.apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
      obj.kind = def.kind;
      if (def.namespaced) obj.metadata.namespace = namespace;
      else delete obj.metadata.namespace;
      obj.metadata.uid = obj.metadata.uid ?? newUid();
      obj.metadata.creationTimestamp = obj.metadata.creationTimestamp ?? rfc3339();
      obj.metadata.resourceVersion = String(rv);
      t.set(objKey(namespace, name), obj);
      keysChanged(def);
      emit({ type: 'ADDED', def, object: obj, rv });
      return clone(obj);
    },

    get(def, namespace, name) {
      const o = table(def).get(objKey(nsOf(def, namespace), name));
      return o ? clone(o) : undefined;
    },

    require(def, namespace, name) {
      const o = store.get(def, namespace, name);
      if (!o) throw notFound(def.plural, name, def.group);
      return o;
    },

    list(def, opts = {}) {
      return { items: store.scan(def, opts).map(clone), resourceVersion: String(rv) };
    },

    scan(def, opts = {}) {
      const all = inOrder(def);
      return opts.namespace || opts.labelSelector?.length || opts.fieldSelector?.length ? all.filter((o) => matches(def, o, opts)) : all;
    },

    update(def, input) {
      const namespace = nsOf(def, input.metadata?.namespace ?? '');
      const name = input.metadata?.name ?? '';
      const t = table(def);
      const current = t.get(objKey(namespace, name));
      if (!current) throw notFound(def.plural, name, def.group);
      const wanted = input.metadata?.resourceVersion;
      if (wanted && wanted !== current.metadata.resourceVersion) throw conflict(def.plural, name, def.group);
      const obj = clone(input);
      // Identity and creation metadata belong to the server.
      obj.apiVersion = current.apiVersion;
      obj.kind = current.kind;
      obj.metadata = {
        ...obj.metadata,
        name,
        ...(def.namespaced ? { namespace } : {}),
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        ...(current.metadata.deletionTimestamp ? { deletionTimestamp: current.metadata.deletionTimestamp } : {}),
      };
      if (sameIgnoringVersion(obj, current)) return clone(current);
      rv++;
      obj.metadata.resourceVersion = String(rv);
      t.set(objKey(namespace, name), obj);
      emit({ type: 'MODIFIED', def, object: obj, previous: current, rv });
      return clone(obj);
    },

    mutate(def, namespace, name, fn) {
      const ns = nsOf(def, namespace);
      const t = table(def);
      const current = t.get(objKey(ns, name));
      if (!current) throw notFound(def.plural, name, def.group);
      const obj = clone(current);
      fn(obj);
      if (sameIgnoringVersion(obj, current)) return clone(current);
      rv++;
      obj.metadata.resourceVersion = String(rv);
      t.set(objKey(ns, name), obj);
      emit({ type: 'MODIFIED', def, object: obj, previous: current, rv });
      return clone(obj);
    },

    remove(def, namespace, name) {
      const ns = nsOf(def, namespace);
      const t = table(def);
      const current = t.get(objKey(ns, name));
      if (!current) return undefined;
      t.delete(objKey(ns, name));
      keysChanged(def);
      rv++;
      const gone = clone(current);
      gone.metadata.resourceVersion = String(rv);
      emit({ type: 'DELETED', def, object: gone, previous: current, rv });
      return clone(gone);
    },

    watch(def, opts, listener) {
      const from = opts.resourceVersion ? Number(opts.resourceVersion) : 0;
      if (!Number.isFinite(from) || from < 0) throw badRequest(`invalid resource version: ${opts.resourceVersion}`);
      const key = defKey(def);
      const relevant = (c: Change) => defKey(c.def) === key;
      const deliver = (c: Change) => {
        if (!relevant(c)) return;
        const ev = viewOfChange(c, opts);
        if (ev) listener({ type: ev.type, object: clone(ev.object) });
      };
      if (from === 0) {
        for (const o of store.scan(def, opts)) listener({ type: 'ADDED', object: clone(o) });
      } else {
        // Every change of this type after `from` must still be here.
        const h = histories.get(key) ?? { changes: [], dropped: 0 };
        if (from < h.dropped) throw expired(`too old resource version: ${from} (${h.dropped})`);
        for (const c of h.changes) if (c.rv > from) deliver(c);
      }
      subscribers.add(deliver);
      return () => subscribers.delete(deliver);
    },

    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
  };
  return store;
}
