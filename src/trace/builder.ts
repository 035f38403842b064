// What the format readers fill in while they go through the lines.
import type { Probe, TraceHop } from '../path/types.js';
import { type Line, quote } from './text.js';
import type { ProbeRead } from './probes.js';

export interface TraceBuilder {
  hops: TraceHop[];
  destination?: string;
  warnings: string[];
}

/** What one line was: a hop, a header or other known chatter, the end of the trace, or unreadable. */
export type LineKind = 'hop' | 'header' | 'skip' | 'end' | 'unread';

export type LineReader = (line: Line, b: TraceBuilder) => LineKind;

export function newBuilder(): TraceBuilder {
  return { hops: [], warnings: [] };
}

/** Adds probes to hop `ttl`, creating it when new: tracepath prints a TTL on several lines. */
export function addProbes(b: TraceBuilder, ttl: number, probes: Probe[]): void {
  const hop = b.hops.find((h) => h.ttl === ttl);
  if (hop) hop.probes.push(...probes);
  else b.hops.push({ ttl, probes: [...probes] });
}

export function warn(b: TraceBuilder, line: Line, what: string): void {
  b.warnings.push(`line ${line.no}: ${what}: ${quote(line.text)}`);
}

/** Adds a hop read by readProbes, with warnings for what did not fit. */
export function addRead(b: TraceBuilder, line: Line, ttl: number, read: ProbeRead): LineKind {
  if (read.probes.length === 0) {
    warn(b, line, `hop ${ttl} has no probes (cut short?)`);
    return 'unread';
  }
  addProbes(b, ttl, read.probes);
  if (read.unread.length > 0) warn(b, line, `hop ${ttl}: could not read ${read.unread.map((t) => JSON.stringify(t)).join(', ')}`);
  else if (read.cutShort) warn(b, line, `hop ${ttl} looks cut short`);
  return 'hop';
}
