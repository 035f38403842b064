// What a control loop started inside the API server gets: the store, the
// resource table, graceful pod deletion, the event recorder and the log.
// Extra controllers (endpoints, replica sets, deployments, garbage
// collection) are passed to startKubeApi as functions of this context.
import type { Registry } from './resources.js';
import type { Store } from './store.js';
import type { PodController } from './pod-controller.js';
import type { EventRecorder } from './events.js';

export interface ControllerContext {
  store: Store;
  registry: Registry;
  pods: PodController;
  recorder: EventRecorder;
  log: (line: string) => void;
}

export interface RunningController {
  stop(): void;
}

export type StartController = (ctx: ControllerContext) => RunningController;

/**
 * Runs `fn` once after the current burst of store changes: controllers react
 * to many events (a scale-up creates pods, each pod changes several times)
 * with one pass over the state, outside the store's synchronous emit.
 */
export function coalesce(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      fn();
    });
  };
}
