// The endpoints and endpointslice controllers in one loop: for every Service
// with a selector, keep an Endpoints object of the same name and its
// EndpointSlices (generateName "<service>-", labelled kubernetes.io/service-name,
// owned by the Service) in step with the pods as they start, become ready,
// terminate and go.
import type { KubeObject } from './runtime.js';
import type { StartController } from './controller.js';
import { throttle } from './controller.js';
import { pods as podsDef } from './core-resources.js';
import { endpointSlices, endpoints as endpointsDef, services as servicesDef } from './service-resources.js';
import { endpointGroups, endpointSubsets, sliceBody } from './endpoints.js';
import { rfc3339 } from './meta.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';
/** The share of the daemon's CPU the passes may take when they come back to back (see throttle). */
const RECONCILE_SHARE = 0.1;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function managesEndpoints(svc: KubeObject): boolean {
  return svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0;
}

function ownerRef(svc: KubeObject): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export const startEndpointsController: StartController = ({ store, log }) => {
  const managed = new Set<string>(); // namespace/name of Services whose endpoints this loop owns

  function syncEndpoints(svc: KubeObject, subsets: Record<string, unknown>[]): void {
    const { namespace, name } = svc.metadata;
    const labels = { ...(svc.metadata.labels ?? {}) };
    const current = store.get(endpointsDef, namespace, name);
    if (!current) {
      store.create(endpointsDef, { metadata: { name, namespace, labels, annotations: { [TRIGGER]: rfc3339() } }, ...(subsets.length ? { subsets } : {}) });
      return;
    }
    if (same(current.subsets ?? [], subsets) && same(current.metadata.labels ?? {}, labels)) return;
    store.mutate(endpointsDef, namespace, name, (ep) => {
      ep.metadata.labels = labels;
      ep.metadata.annotations = { ...(ep.metadata.annotations ?? {}), [TRIGGER]: rfc3339() };
      if (subsets.length) ep.subsets = subsets;
      else delete ep.subsets;
    });
  }

  function slicesOf(namespace: string, service: string): KubeObject[] {
    return store
      .list(endpointSlices, { namespace })
      .items.filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
  }

  function syncSlices(svc: KubeObject, bodies: { endpoints: Record<string, unknown>[]; ports: Record<string, unknown>[] }[]): void {
    const { namespace, name } = svc.metadata;
    // A Service without endpoints still has one (empty) slice, as on a real cluster.
    const wanted = bodies.length ? bodies : [{ endpoints: [], ports: [] }];
    const existing = slicesOf(namespace, name).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
    wanted.forEach((body, i) => {
      const cur = existing[i];
      const fields = { addressType: 'IPv4', endpoints: body.endpoints.length ? body.endpoints : null, ports: body.ports.length ? body.ports : null };
      if (!cur) {
        store.create(endpointSlices, {
          metadata: { generateName: `${name}-`, namespace, labels, annotations: { [TRIGGER]: rfc3339() }, ownerReferences: [ownerRef(svc)] },
          ...fields,
        });
        return;
      }
      if (same(cur.endpoints, fields.endpoints) && same(cur.ports, fields.ports) && same(cur.metadata.labels, labels)) return;
      store.mutate(endpointSlices, namespace, cur.metadata.name, (s) => {
        s.metadata.labels = labels;
        s.metadata.annotations = { ...(s.metadata.annotations ?? {}), [TRIGGER]: rfc3339() };
        s.endpoints = fields.endpoints;
        s.ports = fields.ports;
      });
    });
    for (const extra of existing.slice(wanted.length)) store.remove(endpointSlices, namespace, extra.metadata.name);
  }

  function forget(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    managed.delete(key);
    store.remove(endpointsDef, namespace, name);
    for (const s of slicesOf(namespace, name)) store.remove(endpointSlices, namespace, s.metadata.name);
  }

  function reconcile(): void {
    try {
      const pods = store.scan(podsDef);
      const seen = new Set<string>();
      for (const svc of store.scan(servicesDef)) {
        if (!managesEndpoints(svc)) continue;
        const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
        seen.add(key);
        managed.add(key);
        const groups = endpointGroups(svc, pods);
        syncEndpoints(svc, endpointSubsets(groups));
        syncSlices(svc, groups.map(sliceBody));
      }
      for (const key of [...managed]) if (!seen.has(key)) forget(key);
    } catch (err) {
      log(`endpoints controller: ${(err as Error).message}`);
    }
  }

  // A rollout of a thousand pods behind a Service changes pods thousands of times: a pass over them all
  // (and a new Endpoints object of up to a thousand addresses, kept in the watch history) after each turn
  // of the event loop took most of the daemon's CPU and 600 MB. Spaced like the ReplicaSet controller's,
  // a cheap pass (a few pods) still runs at once.
  const schedule = throttle(reconcile, RECONCILE_SHARE, 250);
  const unsubscribe = store.subscribe((c) => {
    if (c.def === podsDef || c.def === servicesDef) schedule();
    else if ((c.def === endpointsDef || c.def === endpointSlices) && c.type === 'DELETED') schedule();
  });
  schedule();
  return {
    stop() {
      unsubscribe();
      schedule.cancel();
    },
  };
};
