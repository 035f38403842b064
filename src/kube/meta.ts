// Object metadata the API server fills in: timestamps in the API's RFC 3339
// form (seconds, UTC), uids, and generateName suffixes.
import { randomUUID, randomInt } from 'node:crypto';

/** "2024-05-01T12:00:00Z": the API's metav1.Time form (no fractional seconds). */
export function rfc3339(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newUid(): string {
  return randomUUID();
}

// The apiserver's generateName alphabet: no vowels (no accidental words) and no
// characters that look alike.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return s;
}

/** A deep copy of a JSON value; store objects never leave it by reference. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
