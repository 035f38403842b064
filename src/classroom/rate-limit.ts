// Token buckets by key (an attendee, a peer address): `rate` per second,
// bursts up to `burst`. The map is bounded, so a flood from many addresses
// cannot grow it without end: the oldest buckets go first.
export interface RateLimiter {
  /** Takes `cost` tokens; false when the key has too few (refuse the request). */
  take(key: string, cost?: number, now?: number): boolean;
}

export function rateLimiter(rate: number, burst: number, maxKeys = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, cost = 1, now = Date.now()) {
      let b = buckets.get(key);
      if (b) buckets.delete(key);
      else b = { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      buckets.set(key, b); // re-inserted: Map order is least recently used first
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (b.tokens < cost) return false;
      b.tokens -= cost;
      return true;
    },
  };
}
