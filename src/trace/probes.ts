// Reads the probe part of a hop line, the same grammar in GNU traceroute,
// busybox traceroute and tracepath: an address or `name (address)`, then the
// times of the probes it answered, `*` for a probe nobody answered, `!H`-style
// annotations after a time. A new address in the middle of the line starts
// the probes of another router (ECMP, or a route that changed mid-trace).
import type { Probe } from '../path/types.js';
import { isAnnotation, isHostname, isIPv4, parenAddress } from './text.js';

export interface ProbeRead {
  probes: Probe[];
  /** Tokens that fit nowhere, in order. */
  unread: string[];
  /** tracepath printed `reached`. */
  reached: boolean;
  /** The line ends in the middle of a probe (a number without its `ms`, a name without a time). */
  cutShort: boolean;
}

const TIME = /^(\d+(?:\.\d+)?)(ms)?$/;

export function readProbes(tokens: string[]): ProbeRead {
  const probes: Probe[] = [];
  const unread: string[] = [];
  let reached = false;
  let cutShort = false;
  let address: string | undefined;
  let hostname: string | undefined;
  // A router named on the line whose probes have not been printed yet.
  let pendingRouter = false;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const time = TIME.exec(t);
    if (t === '*') {
      probes.push({});
    } else if (time && (time[2] || tokens[i + 1] === 'ms')) {
      probes.push(probe(address, hostname, Number(time[1])));
      pendingRouter = false;
      if (!time[2]) i++;
    } else if (time && i === tokens.length - 1) {
      cutShort = true; // `0.5` with its `ms` cut off at the end of a pasted line
    } else if (isAnnotation(t)) {
      const last = probes.at(-1);
      if (last && (last.address !== undefined || last.hostname !== undefined)) last.annotation = t;
      else unread.push(t);
    } else if (parenAddress(t)) {
      address = parenAddress(t);
      if (hostname !== undefined && isIPv4(hostname)) hostname = undefined;
    } else if (isIPv4(t)) {
      address = t;
      hostname = undefined;
      pendingRouter = true;
    } else if (t === 'reached') {
      reached = true;
    } else if ((t === 'asymm' || t === 'pmtu') && /^\d+$/.test(tokens[i + 1] ?? '')) {
      i++; // tracepath's path facts, not probes
    } else if (/^\[.*\]$/.test(t) || /^<.*>$/.test(t)) {
      // GNU traceroute -A prints [AS1234], -e prints <MPLS:...>: not part of the path.
    } else if (isHostname(t)) {
      hostname = t;
      address = undefined;
      pendingRouter = true;
    } else {
      unread.push(t);
    }
  }
  // A router named at the end of the line with no time after it: the line was cut short there.
  if (pendingRouter) {
    probes.push(probe(address, hostname));
    cutShort = true;
  }
  return { probes, unread, reached, cutShort };
}

function probe(address: string | undefined, hostname: string | undefined, rttMs?: number): Probe {
  const p: Probe = {};
  if (address !== undefined) p.address = address;
  if (hostname !== undefined && hostname !== address) p.hostname = hostname;
  if (rttMs !== undefined) p.rttMs = rttMs;
  return p;
}
