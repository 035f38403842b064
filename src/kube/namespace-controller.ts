// Namespace lifecycle: every namespace gets its "default" ServiceAccount (the
// serviceaccount controller's job), and deleting one marks it Terminating,
// deletes what it holds (pods through graceful deletion) and then removes it.
import type { KubeObject } from './runtime.js';
import type { Registry } from './resources.js';
import type { Store } from './store.js';
import type { PodController } from './pod-controller.js';
import { namespaces as nsDef, pods as podsDef, serviceAccounts as saDef, PROTECTED_NAMESPACES } from './core-resources.js';
import { forbidden, notFound } from './status.js';
import { rfc3339 } from './meta.js';

export interface NamespaceController {
  /** Returns the namespace as the DELETE response shows it (Terminating). */
  deleteNamespace(name: string): KubeObject;
  /** 404 if the namespace is missing, 403 while it terminates: the apiserver's NamespaceLifecycle admission. */
  checkCreateAllowed(namespace: string, resource: string, name: string, group: string): void;
  stop(): void;
}

export function startNamespaceController(opts: {
  store: Store;
  registry: Registry;
  pods: PodController;
  log: (line: string) => void;
}): NamespaceController {
  const { store, registry, pods, log } = opts;

  const ensureServiceAccount = (ns: string) => {
    if (!registry.defs.includes(saDef) || store.get(saDef, ns, 'default')) return;
    store.create(saDef, { metadata: { name: 'default', namespace: ns } });
  };
  for (const ns of store.list(nsDef).items) ensureServiceAccount(ns.metadata.name);
  const unsubscribe = store.subscribe((c) => {
    if (c.def === nsDef && c.type === 'ADDED') ensureServiceAccount(c.object.metadata.name);
  });

  async function purge(ns: string): Promise<void> {
    for (const def of registry.defs) {
      if (!def.namespaced) continue;
      for (const obj of store.list(def, { namespace: ns }).items) {
        if (def === podsDef) pods.deletePod(ns, obj.metadata.name);
        else store.remove(def, ns, obj.metadata.name);
      }
    }
    await pods.idle();
    store.remove(nsDef, '', ns);
  }

  return {
    deleteNamespace(name) {
      const ns = store.require(nsDef, '', name);
      if (PROTECTED_NAMESPACES.includes(name)) throw forbidden('namespaces', name, 'this namespace may not be deleted');
      if (ns.metadata.deletionTimestamp) return ns;
      const marked = store.mutate(nsDef, '', name, (n) => {
        n.metadata.deletionTimestamp = rfc3339();
        n.status = { ...(n.status ?? {}), phase: 'Terminating' };
      });
      purge(name).catch((err: Error) => log(`deleting namespace ${name}: ${err.message}`));
      return marked;
    },
    checkCreateAllowed(namespace, resource, name, group) {
      const ns = store.get(nsDef, '', namespace);
      if (!ns) throw notFound('namespaces', namespace);
      if (ns.metadata.deletionTimestamp) {
        throw forbidden(resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`, group);
      }
    },
    stop: unsubscribe,
  };
}
