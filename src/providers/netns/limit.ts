// A bound on how much pod work runs at once. A burst of a thousand pods must
// not fork thousands of `ip`, CNI and busybox processes together: on a 2-core
// machine that starves the daemon's event loop, and the API stops answering.
// Work beyond the bound waits its turn, first come first served.

export type Limiter = <T>(work: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  if (!(max >= 1)) throw new Error(`limiter: max must be at least 1, not ${max}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next in line, so nothing can overtake it.
    if (next) next();
    else running--;
  };
  return async (work) => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      release();
    }
  };
}

/** Coalesces concurrent calls with the same key into one: the later callers share the first one's promise. */
export function singleFlight<T>(): (key: string, work: () => Promise<T>) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (key, work) => {
    const known = inFlight.get(key);
    if (known) return known;
    const p = work().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };
}
