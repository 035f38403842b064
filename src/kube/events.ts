// core/v1 Events as the scheduler and kubelet record them, so `kubectl
// describe pod` shows "Scheduled ... Successfully assigned ..." and the
// kubelet's Pulling/Started lines. Repeats of the same event bump its count,
// like client-go's event correlator.
import type { KubeObject } from './runtime.js';
import type { Store } from './store.js';
import { events as eventsDef } from './core-resources.js';
import { rfc3339 } from './meta.js';

export interface EventSource {
  component: string; // default-scheduler, kubelet
  host?: string;
}

export interface EventInput {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** e.g. spec.containers{httpd} for a container's event. */
  fieldPath?: string;
}

export interface EventRecorder {
  record(obj: KubeObject, source: EventSource, ev: EventInput): void;
}

let sequence = 0n;
function eventName(objName: string): string {
  // client-go names events "<object>.<unix nanoseconds in hex>".
  const nanos = BigInt(Date.now()) * 1_000_000n + (sequence++ % 1_000_000n);
  return `${objName}.${nanos.toString(16)}`;
}

export function createEventRecorder(store: Store): EventRecorder {
  const byKey = new Map<string, { namespace: string; name: string }>();
  return {
    record(obj, source, ev) {
      const namespace = obj.metadata?.namespace || 'default';
      const involved = {
        kind: obj.kind,
        namespace: obj.metadata?.namespace,
        name: obj.metadata?.name,
        uid: obj.metadata?.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata?.resourceVersion,
        ...(ev.fieldPath ? { fieldPath: ev.fieldPath } : {}),
      };
      const key = JSON.stringify([involved.uid, ev.type, ev.reason, ev.message, ev.fieldPath ?? '', source.component, source.host ?? '']);
      const now = rfc3339();
      const known = byKey.get(key);
      if (known && store.get(eventsDef, known.namespace, known.name)) {
        store.mutate(eventsDef, known.namespace, known.name, (e) => {
          e.count = (e.count ?? 1) + 1;
          e.lastTimestamp = now;
        });
        return;
      }
      const name = eventName(obj.metadata?.name ?? 'unknown');
      store.create(eventsDef, {
        metadata: { name, namespace },
        involvedObject: involved,
        reason: ev.reason,
        message: ev.message,
        source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type: ev.type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      byKey.set(key, { namespace, name });
    },
  };
}
