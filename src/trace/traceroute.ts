// GNU traceroute and busybox traceroute: a `traceroute to NAME (ADDR), ...`
// header, then one line per TTL: ` 2  node-1 (192.168.56.11)  0.575 ms ...`.
import type { LineReader } from './builder.js';
import { addRead, warn } from './builder.js';
import { readProbes } from './probes.js';
import { isIPv4 } from './text.js';

export const HEADER = /^\s*traceroute to (\S+?)(?:\s+\(([^)]*)\))?,/;
export const HOP = /^\s*(\d{1,3})\s+(\S.*)$/;

export const readTracerouteLine: LineReader = (line, b) => {
  const header = HEADER.exec(line.text);
  if (header) {
    const addr = [header[2], header[1]].find((a) => a !== undefined && isIPv4(a));
    if (addr) b.destination = addr;
    else warn(b, line, `the destination ${header[1]} has no IPv4 address in the header`);
    return 'header';
  }
  // `traceroute: warning: ...`, `traceroute: unknown host`: the tool talking, not hops.
  if (/^\s*(?:traceroute6?|busybox):/.test(line.text)) {
    warn(b, line, 'message from traceroute');
    return 'skip';
  }
  const hop = HOP.exec(line.text);
  if (!hop) return 'unread';
  return addRead(b, line, Number(hop[1]), readProbes(hop[2]!.split(/\s+/)));
};

/**
 * Busybox's hop lines put two spaces before every probe field (`*  *  *`,
 * `0.002 ms  *`) and its default packet is 38 or 46 bytes; GNU separates stars
 * with one space and sends 60-byte packets.
 */
export function looksBusybox(lines: string[]): boolean {
  for (const t of lines) {
    const size = /hops max, (\d+) byte packets/.exec(t);
    if (size) return size[1] === '38' || size[1] === '46';
  }
  return lines.some((t) => HOP.test(t) && /\*  \S|ms  \*/.test(t));
}
