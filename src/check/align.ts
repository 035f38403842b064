// Lines up predicted hops with what each TTL answered, and gives every row a
// status. Two things stretch the prediction over more TTLs than it has hops:
// a `many` hop (routers the facts do not describe) absorbs whatever lies
// between its neighbours, and a destination that only answers at a later TTL
// after silent hops (it rate-limits its ICMP answers; every probe past the
// predicted length reaches it anyway) covers those silent TTLs.
import type { ExpectedHop, HopStatus } from '../path/types.js';
import { type ObservedHop, answered } from './observed.js';

export interface Row {
  ttl: number;
  expected?: ExpectedHop;
  observed?: ObservedHop;
  status: HopStatus;
}

export interface Alignment {
  rows: Row[];
  /** TTLs the destination answered late at, after silent hops: [first silent, answered]. */
  lateDestination?: [number, number];
}

export function align(expected: ExpectedHop[], observed: Map<number, ObservedHop>, destination: string): Alignment {
  const maxTtl = Math.max(0, ...observed.keys());
  const at = new Map<number, ExpectedHop>();
  let lateDestination: [number, number] | undefined;
  const many = expected.findIndex((h) => h.many);

  if (many >= 0) {
    const prefix = expected.slice(0, many);
    const suffix = expected.slice(many + 1);
    prefix.forEach((h, i) => at.set(i + 1, h));
    const suffixStart = Math.max(prefix.length + 1, maxTtl - suffix.length + 1);
    suffix.forEach((h, i) => at.set(suffixStart + i, h));
    for (let ttl = prefix.length + 1; ttl < suffixStart; ttl++) at.set(ttl, expected[many]!);
  } else {
    expected.forEach((h, i) => at.set(i + 1, h));
    const last = expected.at(-1);
    const lastAnswer = observed.get(maxTtl);
    if (last && maxTtl > expected.length && lastAnswer?.addresses.includes(destination)) {
      const silentBetween = range(expected.length, maxTtl - 1).every((t) => !answered(observed.get(t)));
      if (silentBetween) {
        for (let ttl = expected.length + 1; ttl <= maxTtl; ttl++) at.set(ttl, last);
        lateDestination = [expected.length, maxTtl];
      }
    }
  }

  const lastTtl = Math.max(maxTtl, ...at.keys());
  const rows: Row[] = [];
  for (let ttl = 1; ttl <= lastTtl; ttl++) {
    const e = at.get(ttl);
    const o = observed.get(ttl);
    rows.push({ ttl, expected: e, observed: o, status: statusOf(e, o, ttl > maxTtl) });
  }
  return { rows, lateDestination };
}

function statusOf(e: ExpectedHop | undefined, o: ObservedHop | undefined, pastEnd: boolean): HopStatus {
  if (pastEnd || !o) return e ? 'missing' : 'no-answer';
  if (o.addresses.length === 0) return 'no-answer'; // silent, or names that map to no address
  if (!e) return 'extra';
  if (e.address === null || o.addresses.includes(e.address)) return 'match';
  return 'mismatch';
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
