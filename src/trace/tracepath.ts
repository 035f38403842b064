// iputils tracepath: no header naming the destination; ` 1?: [LOCALHOST]  pmtu 1500`,
// then a line per probe (a TTL can appear twice), `no reply`, `reached` on the
// destination, and a `Resume:` summary at the end.
import type { LineReader } from './builder.js';
import { addProbes, addRead } from './builder.js';
import { readProbes } from './probes.js';

export const HOP = /^\s*(\d{1,3})(\?)?:\s+(\S.*)$/;

export const readTracepathLine: LineReader = (line, b) => {
  const text = line.text;
  if (/^\s*Resume:/.test(text)) return 'end';
  if (/^\s*Too many hops:/.test(text)) return 'skip';
  if (/^\s*tracepath:/.test(text)) return 'skip';
  const hop = HOP.exec(text);
  if (!hop) return 'unread';
  const ttl = Number(hop[1]);
  const rest = hop[3]!;
  if (/^\[LOCALHOST\]/.test(rest)) return 'header';
  if (/^no reply\b/.test(rest)) {
    addProbes(b, ttl, [{}]);
    return 'hop';
  }
  const read = readProbes(rest.split(/\s+/));
  // tracepath names the destination only by marking it `reached`.
  const dest = read.probes.find((p) => p.address !== undefined)?.address;
  if (read.reached && dest !== undefined && b.destination === undefined) b.destination = dest;
  return addRead(b, line, ttl, read);
};
