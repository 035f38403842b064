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

/**
 * Like coalesce, but a loop whose pass is costly waits longer before the
 * next one: after a pass of d ms, the next runs no sooner than d/share - d ms
 * later (at most maxMs), so the loop takes about `share` of the CPU however
 * often the store changes. A pass over every pod (the ReplicaSet controller)
 * would otherwise run after each of the thousands of pod status changes of a
 * big rollout; a pass over a handful of pods costs microseconds and runs at
 * once, as with coalesce.
 */
export function throttle(fn: () => void, share: number, maxMs: number): (() => void) & { cancel(): void } {
  let queued = false;
  let notBefore = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const runIt = () => {
    queued = false;
    timer = immediate = undefined;
    const start = performance.now();
    try {
      fn();
    } finally {
      const end = performance.now();
      notBefore = end + Math.min(maxMs, (end - start) / share - (end - start));
    }
  };
  const schedule = () => {
    if (queued) return;
    queued = true;
    const wait = notBefore - performance.now();
    if (wait > 0) timer = setTimeout(runIt, wait);
    else immediate = setImmediate(runIt);
  };
  schedule.cancel = () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    queued = false;
  };
  return schedule;
}
