// The garbage collector, background propagation only: when an object goes,
// everything in its namespace whose ownerReferences name its uid goes too
// (a Deployment's ReplicaSets, their pods, a Service's EndpointSlices).
// Pods leave through graceful deletion, so their processes are stopped.
import type { StartController } from './controller.js';
import { pods as podsDef } from './core-resources.js';

export const startGarbageCollector: StartController = ({ store, registry, pods, log }) => {
  const pending = new Set<string>();
  let queued = false;

  function collect(): void {
    queued = false;
    const gone = new Set(pending);
    pending.clear();
    for (const def of registry.defs) {
      if (!def.namespaced) continue;
      for (const obj of store.scan(def)) {
        const refs: any[] = obj.metadata.ownerReferences ?? [];
        if (!refs.some((r) => gone.has(r.uid))) continue;
        // Other owners still alive keep the object (the GC removes only the dead reference then).
        const alive = refs.filter((r) => !gone.has(r.uid));
        const { namespace, name } = obj.metadata;
        try {
          if (alive.length) {
            store.mutate(def, namespace, name, (o) => {
              o.metadata.ownerReferences = alive;
            });
          } else if (def === podsDef) pods.deletePod(namespace, name);
          else store.remove(def, namespace, name);
        } catch (err) {
          log(`garbage collector: ${def.plural} ${namespace}/${name}: ${(err as Error).message}`);
        }
      }
    }
  }

  const unsubscribe = store.subscribe((c) => {
    if (c.type !== 'DELETED') return;
    pending.add(c.object.metadata.uid);
    if (!queued) {
      queued = true;
      setImmediate(collect);
    }
  });
  return { stop: unsubscribe };
};
