// The generic REST verbs over any resource in the table: list, get, create,
// update, patch, delete, deletecollection and watch, with the apiserver's
// status codes, and Table / PartialObjectMetadata forms for `kubectl get`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext, ResourceRequest } from './context.js';
import type { KubeObject } from './runtime.js';
import { apiVersionOf, selectableFieldNames, type ResourceDef } from './resources.js';
import type { ListOptions } from './store.js';
import yaml from 'js-yaml';
import { boolParam, contentTypeOf, intParam, isDryRun, negotiateObject, readBody, readJson, sendBody, sendJson, type Representation } from './http-util.js';
import { listBody } from './list-body.js';
import { decodeObject, DELETE_OPTIONS, PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import { checkFields, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { parseIncludeObject, toTable } from './tables.js';
import { ApiError, badRequest, conflict, methodNotAllowed, pathNotFound, unsupportedMediaType } from './status.js';
import { applyPatch } from './patch.js';
import { handleWatch } from './watch.js';
import { handleLogs } from './logs.js';
import { namespaces as nsDef, pods as podsDef } from './core-resources.js';
import { handleScale } from './scale.js';
import { splitUnknownFields } from './field-schema.js';


function requireVerb(def: ResourceDef, verb: string): void {
  if (!def.verbs.includes(verb)) throw methodNotAllowed();
}

function listOptions(def: ResourceDef, namespace: string, query: URLSearchParams): ListOptions {
  const fieldSelector = parseFieldSelector(query.get('fieldSelector'));
  checkFields(fieldSelector, selectableFieldNames(def));
  return { namespace, labelSelector: parseLabelSelector(query.get('labelSelector')), fieldSelector };
}

function tableContentType(rep: Representation): string {
  return rep.as === 'object' ? 'application/json' : `application/json;as=${rep.as === 'Table' ? 'Table' : 'PartialObjectMetadata'};v=${rep.version};g=meta.k8s.io`;
}

function partial(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function sendObject(res: ServerResponse, code: number, def: ResourceDef, obj: KubeObject, req: IncomingMessage, query: URLSearchParams): void {
  const rep = negotiateObject(req.headers.accept);
  if (rep.as === 'Table') {
    const table = toTable(def, [obj], { resourceVersion: obj.metadata?.resourceVersion, includeObject: parseIncludeObject(query.get('includeObject')) });
    return sendJson(res, code, table, tableContentType(rep));
  }
  if (rep.as === 'PartialObjectMetadata') return sendJson(res, code, partial(obj), tableContentType(rep));
  sendJson(res, code, obj);
}

function handleList(ctx: ApiContext, r: ResourceRequest, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
  const rep = negotiateObject(req.headers.accept);
  // Serialized straight from the store (nothing here changes them): no copy of a thousand pods per GET.
  const items = ctx.store.scan(r.def, listOptions(r.def, r.namespace, query)) as KubeObject[];
  const resourceVersion = ctx.store.resourceVersion();
  if (rep.as === 'Table') {
    const table = toTable(r.def, items, { resourceVersion, includeObject: parseIncludeObject(query.get('includeObject')) });
    return sendJson(res, 200, table, tableContentType(rep));
  }
  if (rep.as === 'PartialObjectMetadata') {
    return sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion }, items: items.map(partial) }, tableContentType(rep));
  }
  sendBody(res, 200, listBody({ kind: `${r.def.kind}List`, apiVersion: apiVersionOf(r.def), metadata: { resourceVersion } }, items));
}

/** The object in a POST/PUT body: JSON, YAML, or protobuf for kinds with a field table. */
async function bodyObject(def: ResourceDef, req: IncomingMessage): Promise<KubeObject> {
  const type = contentTypeOf(req);
  let body: unknown;
  if (type === PROTOBUF_CONTENT_TYPE) {
    if (!def.protobuf) throw unsupportedMediaType(`${type} for ${def.plural}`);
    body = decodeObject(await readBody(req), def.protobuf);
  } else if (type === 'application/yaml') {
    try {
      body = yaml.load((await readBody(req)).toString('utf8'));
    } catch (err) {
      throw badRequest(`the body of the request could not be decoded as YAML: ${(err as Error).message}`);
    }
  } else {
    body = await readJson(req);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
  return body as KubeObject;
}

function checkKind(def: ResourceDef, obj: KubeObject): void {
  if (obj.kind && obj.kind !== def.kind) {
    throw badRequest(`${obj.kind} in version "${obj.apiVersion ?? ''}" cannot be handled as a ${def.kind}: the object provided is unrecognized`);
  }
  if (obj.apiVersion && obj.apiVersion !== apiVersionOf(def)) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(def)})`);
  }
}

/**
 * Field validation as the apiserver does it: fieldValidation=Strict (kubectl >= 1.27)
 * refuses an unknown field, Warn (the default) answers with a Warning header, Ignore says
 * nothing; under both the field is dropped. Returns the object to go on with.
 */
function checkFieldNames(def: ResourceDef, obj: KubeObject, query: URLSearchParams, res: ServerResponse): KubeObject {
  const mode = query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(mode)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", not ${JSON.stringify(mode)}`);
  }
  const { unknown, known } = splitUnknownFields(def.kind, obj);
  if (!unknown.length || mode === 'Ignore') return known;
  const named = unknown.map((f) => `unknown field "${f}"`);
  if (mode === 'Strict') {
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${named.join(', ')}`);
  }
  res.setHeader('Warning', named.map((n) => `299 - ${JSON.stringify(n)}`));
  return known;
}

function checkNamespace(r: ResourceRequest, obj: KubeObject): void {
  const ns = obj.metadata?.namespace;
  if (r.def.namespaced && ns && ns !== r.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

async function handleCreate(ctx: ApiContext, r: ResourceRequest, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireVerb(r.def, 'create');
  if (r.def.namespaced && !r.namespace) throw methodNotAllowed();
  const body = await bodyObject(r.def, req);
  checkKind(r.def, body);
  checkNamespace(r, body);
  const input = checkFieldNames(r.def, body, query, res);
  const obj = { ...input, metadata: { ...(input.metadata ?? {}), ...(r.def.namespaced ? { namespace: r.namespace } : {}) } };
  const prepared = r.def.prepareCreate ? r.def.prepareCreate(obj, { namespace: r.namespace, store: ctx.store }) : obj;
  if (r.def.namespaced) {
    ctx.namespaces.checkCreateAllowed(r.namespace, r.def.plural, prepared.metadata?.name ?? '', r.def.group);
  }
  if (isDryRun(query)) {
    return sendObject(res, 201, r.def, { ...prepared, apiVersion: apiVersionOf(r.def), kind: r.def.kind }, req, query);
  }
  const created = ctx.store.create(r.def, prepared);
  sendObject(res, 201, r.def, created, req, query);
}

function hasStatusSubresource(def: ResourceDef): boolean {
  return (def.subresources ?? []).some((s) => s.name === 'status');
}

/**
 * Replaces an object (PUT, or the result of a PATCH), keeping what the request
 * may not change; a dry run validates and answers the same but stores nothing.
 */
function replace(ctx: ApiContext, r: ResourceRequest, next: KubeObject, subresource: string | undefined, dryRun: boolean): KubeObject {
  const name = r.name!;
  const old = ctx.store.require(r.def, r.namespace, name);
  checkKind(r.def, next);
  checkNamespace(r, next);
  if (next.metadata?.name && next.metadata.name !== name) {
    throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
  }
  let merged: KubeObject = { ...next, metadata: { ...(next.metadata ?? {}), name } };
  if (subresource === 'status') {
    merged = { ...old, status: next.status, metadata: { ...old.metadata, resourceVersion: next.metadata?.resourceVersion } };
  } else {
    if (hasStatusSubresource(r.def)) merged.status = old.status;
    r.def.validateUpdate?.(merged, old);
    if (r.def.prepareUpdate) merged = r.def.prepareUpdate(merged, old, { namespace: r.namespace, store: ctx.store });
  }
  if (dryRun) {
    const rv = merged.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(r.def.plural, r.name!, r.def.group);
    }
    return { ...merged, apiVersion: apiVersionOf(r.def), kind: r.def.kind, metadata: { ...old.metadata, ...merged.metadata, resourceVersion: old.metadata.resourceVersion } };
  }
  return ctx.store.update(r.def, merged);
}

async function handlePatch(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage): Promise<KubeObject> {
  const type = contentTypeOf(req);
  const patch = await readJson(req);
  return applyPatch(type, ctx.store.require(r.def, r.namespace, r.name!), patch);
}

async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<{ gracePeriodSeconds?: number; preconditions?: any; dryRun: boolean }> {
  const body = contentTypeOf(req) === PROTOBUF_CONTENT_TYPE ? decodeObject(await readBody(req), DELETE_OPTIONS) : ((await readJson(req)) ?? {});
  const grace = intParam(query, 'gracePeriodSeconds') ?? (typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined);
  const dryRun = isDryRun(query) || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
  return { gracePeriodSeconds: grace, preconditions: body.preconditions, dryRun };
}

function deleteOne(ctx: ApiContext, def: ResourceDef, namespace: string, name: string, opts: { gracePeriodSeconds?: number; preconditions?: any; dryRun?: boolean }): KubeObject {
  const current = ctx.store.require(def, namespace, name);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw new ApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
  }
  // A dry run answers what would be deleted and leaves it in place (`kubectl delete --dry-run=server`).
  if (opts.dryRun) return current;
  if (def === podsDef) return ctx.pods.deletePod(namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds });
  if (def === nsDef) return ctx.namespaces.deleteNamespace(name);
  return ctx.store.remove(def, namespace, name) ?? current;
}

function deletedStatus(def: ResourceDef, obj: KubeObject): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: obj.metadata.uid },
  };
}

export async function handleResource(ctx: ApiContext, r: ResourceRequest, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const { def } = r;

  if (r.subresource) {
    if (!(def.subresources ?? []).some((s) => s.name === r.subresource)) throw pathNotFound();
    if (r.subresource === 'log' && def === podsDef) {
      if (method !== 'GET') throw methodNotAllowed();
      return handleLogs(ctx, r.namespace, r.name!, query, req, res);
    }
    if ((r.subresource === 'exec' || r.subresource === 'attach' || r.subresource === 'portforward') && def === podsDef) {
      ctx.store.require(def, r.namespace, r.name!);
      throw badRequest('Upgrade request required');
    }
    if (r.subresource === 'status') {
      if (method === 'GET') return sendObject(res, 200, def, ctx.store.require(def, r.namespace, r.name!), req, query);
      if (method === 'PUT') return sendObject(res, 200, def, replace(ctx, r, await bodyObject(def, req), 'status', isDryRun(query)), req, query);
      if (method === 'PATCH') return sendObject(res, 200, def, replace(ctx, r, await handlePatch(ctx, r, req), 'status', isDryRun(query)), req, query);
      throw methodNotAllowed();
    }
    if (r.subresource === 'scale') return handleScale(ctx, r, req, res);
    throw pathNotFound();
  }

  if (!r.name) {
    const watching = r.watchPrefix || boolParam(query, 'watch');
    switch (method) {
      case 'GET':
        requireVerb(def, watching ? 'watch' : 'list');
        if (watching) return handleWatch(ctx, def, listOptions(def, r.namespace, query), query, req, res);
        return handleList(ctx, r, query, req, res);
      case 'POST':
        return handleCreate(ctx, r, query, req, res);
      case 'DELETE': {
        requireVerb(def, 'deletecollection');
        if (def.namespaced && !r.namespace) throw methodNotAllowed();
        const opts = await deleteOptions(req, query);
        const { items, resourceVersion } = ctx.store.list(def, listOptions(def, r.namespace, query));
        const deleted = items.map((o) => deleteOne(ctx, def, o.metadata.namespace ?? '', o.metadata.name, opts));
        return sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: { resourceVersion }, items: deleted });
      }
      default:
        throw methodNotAllowed();
    }
  }

  const watching = r.watchPrefix || boolParam(query, 'watch');
  const checked = (obj: KubeObject) => checkFieldNames(def, obj, query, res);
  switch (method) {
    case 'GET':
      if (watching) {
        requireVerb(def, 'watch');
        const filter = listOptions(def, r.namespace, query);
        filter.fieldSelector = [...(filter.fieldSelector ?? []), { field: 'metadata.name', op: '=', value: r.name }];
        return handleWatch(ctx, def, filter, query, req, res);
      }
      requireVerb(def, 'get');
      return sendObject(res, 200, def, ctx.store.require(def, r.namespace, r.name), req, query);
    case 'PUT':
      requireVerb(def, 'update');
      return sendObject(res, 200, def, replace(ctx, r, checked(await bodyObject(def, req)), undefined, isDryRun(query)), req, query);
    case 'PATCH':
      requireVerb(def, 'patch');
      return sendObject(res, 200, def, replace(ctx, r, checked(await handlePatch(ctx, r, req)), undefined, isDryRun(query)), req, query);
    case 'DELETE': {
      requireVerb(def, 'delete');
      const gone = deleteOne(ctx, def, r.namespace, r.name, await deleteOptions(req, query));
      if (def === podsDef || def === nsDef) return sendObject(res, 200, def, gone, req, query);
      return sendJson(res, 200, deletedStatus(def, gone));
    }
    default:
      throw methodNotAllowed();
  }
}
