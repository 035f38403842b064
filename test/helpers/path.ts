// Shorthands for path-engine tests: endpoints by kind, and a prediction's hops
// without their `why` text.
import type { EndpointRef, ExpectedHop, PathPrediction } from '../../src/path/types.js';

export const pod = (name: string): EndpointRef => ({ kind: 'pod', name });
export const node = (name: string): EndpointRef => ({ kind: 'node', name });
export const host = (name: string): EndpointRef => ({ kind: 'host', name });
export const addr = (ip: string): EndpointRef => ({ kind: 'address', ip });

export function hops(p: PathPrediction): Omit<ExpectedHop, 'why'>[] {
  if (!p.ok) throw new Error(`no prediction: ${p.reason}`);
  return p.hops.map(({ why: _why, ...rest }) => rest);
}
