import { describe, expect, it } from 'vitest';
import { createLimiter, singleFlight } from '../../src/providers/netns/limit.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('createLimiter', () => {
  it('never runs more than max at once, and runs everything in arrival order', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const jobs = Array.from({ length: 10 }, (_, i) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return i;
      }),
    );
    await tick();
    expect(running).toBe(3);
    while (gates.length || running) {
      gates.shift()?.();
      await tick();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees the slot of work that fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(async () => 'next')).toBe('next');
  });

  it('refuses a bound below one', () => {
    expect(() => createLimiter(0)).toThrow(/at least 1/);
  });
});

describe('singleFlight', () => {
  it('shares one call per key while it is in flight, then calls again', async () => {
    const once = singleFlight<number>();
    let calls = 0;
    const work = async () => ++calls;
    const [a, b, c] = await Promise.all([once('k', work), once('k', work), once('other', work)]);
    expect([a, b, c]).toEqual([1, 1, 2]);
    expect(await once('k', work)).toBe(3);
  });
});
