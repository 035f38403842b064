// What running commands and checks share: the provider, cancellation, the
// event sink, and cluster facts fetched once and refreshed after anything
// that may have changed the cluster (a command ran).
import type { ClusterFacts } from '../core/facts.js';
import type { Provider } from '../providers/provider.js';
import type { EventSink } from './results.js';

export interface RunContext {
  provider: Provider;
  signal?: AbortSignal;
  emit: EventSink;
  step: number;
  /** How often waits poll the cluster. */
  pollMs: number;
  facts(): Promise<ClusterFacts>;
  /** Forget the cached facts: the next facts() asks the provider again. */
  changed(): void;
}

export function makeContext(provider: Provider, step: number, opts: { signal?: AbortSignal; onEvent?: EventSink; pollMs?: number } = {}): RunContext {
  let cached: Promise<ClusterFacts> | undefined;
  return {
    provider,
    step,
    pollMs: opts.pollMs ?? 500,
    emit: opts.onEvent ?? (() => undefined),
    ...(opts.signal ? { signal: opts.signal } : {}),
    facts() {
      cached ??= provider.facts();
      // A failed fetch is not cached: the next call asks again.
      cached.catch(() => (cached = undefined));
      return cached;
    },
    changed() {
      cached = undefined;
    },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
