// A list reply, encoded from each stored object's own cached encoding. A
// rollout's clients ask for the same thousand pods several times a second;
// JSON.stringify of the whole list and its UTF-8 encoding were the daemon's
// two heaviest items. The store never changes an object it holds (a change
// stores a new one), so an object's encoding stays right while it lives.
import type { KubeObject } from './runtime.js';

const encoded = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',');
const END = Buffer.from(']}');

export function encodedObject(o: KubeObject): Buffer {
  let b = encoded.get(o);
  if (!b) encoded.set(o, (b = Buffer.from(JSON.stringify(o))));
  return b;
}

/** The bytes of JSON.stringify({ ...head, items }), head's fields first. */
export function listBody(head: Record<string, unknown>, items: readonly KubeObject[]): Buffer {
  const h = JSON.stringify(head);
  const parts: Buffer[] = [Buffer.from(`${h.slice(0, -1)}${h.length > 2 ? ',' : ''}"items":[`)];
  items.forEach((o, i) => {
    if (i) parts.push(COMMA);
    parts.push(encodedObject(o));
  });
  parts.push(END);
  return Buffer.concat(parts);
}
