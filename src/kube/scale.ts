// The scale subresource (deployments/scale, replicasets/scale): an
// autoscaling/v1 Scale view of spec.replicas. `kubectl scale` PATCHes it
// (GET + PUT when it has preconditions); the change goes through the owning
// kind's update rules, so metadata.generation moves as it does for any spec change.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './context.js';
import type { KubeObject } from './runtime.js';
import type { ResourceRequest } from './context.js';
import { contentTypeOf, isDryRun, readJson, sendJson } from './http-util.js';
import { applyPatch } from './patch.js';
import { selectorString } from './label-selector.js';
import { badRequest, conflict, invalid, methodNotAllowed } from './status.js';

export function scaleOf(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj.spec?.selector) },
  };
}

function replicasOf(name: string, scale: KubeObject): number {
  const n = scale?.spec?.replicas ?? 0;
  if (!Number.isInteger(n)) throw badRequest(`Scale.spec.replicas: expected an integer, got ${JSON.stringify(n)}`);
  if (n < 0) {
    throw invalid('Scale', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${n}: must be greater than or equal to 0` }], 'autoscaling');
  }
  return n;
}

export async function handleScale(ctx: ApiContext, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const current = ctx.store.require(r.def, r.namespace, r.name!);
  if (method === 'GET') return sendJson(res, 200, scaleOf(current));
  let wanted: KubeObject;
  if (method === 'PUT') wanted = (await readJson(req)) ?? {};
  else if (method === 'PATCH') wanted = applyPatch(contentTypeOf(req), scaleOf(current), await readJson(req));
  else throw methodNotAllowed();
  const rv = wanted?.metadata?.resourceVersion;
  if (method === 'PUT' && rv && rv !== current.metadata.resourceVersion) throw conflict(r.def.plural, r.name!, r.def.group);
  const replicas = replicasOf(r.name!, wanted);
  let next: KubeObject = { ...current, spec: { ...current.spec, replicas } };
  if (r.def.prepareUpdate) next = r.def.prepareUpdate(next, current, { namespace: r.namespace, store: ctx.store });
  // kubectl scale --dry-run=server: the answer of a real scale, nothing stored.
  const dryRun = isDryRun(new URL(req.url ?? '/', 'http://x').searchParams);
  const stored = dryRun ? next : ctx.store.update(r.def, next);
  sendJson(res, 200, scaleOf(stored));
}
