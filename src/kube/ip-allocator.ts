// ClusterIP and NodePort allocation, as the apiserver's allocators do it:
// a requested value must be free and in range; otherwise a random free value
// from the upper part of the range, leaving the lower band for static
// assignments (10.96.0.1 for `kubernetes`, 10.96.0.10 for kube-dns).
import { randomInt } from 'node:crypto';
import ipaddr from 'ipaddr.js';

export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

export type Allocation = { ok: true; value: string } | { ok: false; message: string };
export type PortAllocation = { ok: true; value: number } | { ok: false; message: string };

function toInt(ip: string): number {
  return ipaddr.IPv4.parse(ip).toByteArray().reduce((acc, b) => acc * 256 + b, 0);
}

function fromInt(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface CidrRange {
  base: number;
  size: number;
}

export function cidrRange(cidr: string): CidrRange {
  const [net, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  return { base: toInt(net.toString()), size: 2 ** (32 - prefix) };
}

/** The n-th address of the range (1 = the first usable one). */
export function nthServiceIP(cidr: string, n: number): string {
  return fromInt(cidrRange(cidr).base + n);
}

/** The lower band kept for static assignment: min(max(16, size/16), 256) addresses (KEP-3070). */
export function staticBand(size: number): number {
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

/**
 * A ClusterIP for a new Service. `requested` ('' or undefined: any) must lie
 * in the range, not be its network or broadcast address, and be free.
 */
export function allocateClusterIP(cidr: string, used: Set<string>, requested?: string, pick: (n: number) => number = randomInt): Allocation {
  const { base, size } = cidrRange(cidr);
  if (requested) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(requested)) {
      return { ok: false, message: `failed to allocate IP ${requested}: not a valid IPv4 address` };
    }
    const n = toInt(requested) - base;
    if (n <= 0 || n >= size - 1) {
      return { ok: false, message: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr}` };
    }
    if (used.has(requested)) return { ok: false, message: `failed to allocate IP ${requested}: provided IP is already allocated` };
    return { ok: true, value: requested };
  }
  const band = staticBand(size);
  // Dynamic allocation prefers the upper band and falls back to the lower one.
  for (const [from, to] of [[band, size - 2], [1, Math.min(band - 1, size - 2)]] as const) {
    const count = to - from + 1;
    if (count <= 0) continue;
    const start = pick(count);
    for (let i = 0; i < count; i++) {
      const ip = fromInt(base + from + ((start + i) % count));
      if (!used.has(ip)) return { ok: true, value: ip };
    }
  }
  return { ok: false, message: `failed to allocate a serviceIP: range is full` };
}

/** A NodePort: the requested one if it is free and in range, else a random free one (upper band first). */
export function allocateNodePort(used: Set<number>, requested?: number, pick: (n: number) => number = randomInt): PortAllocation {
  const { min, max } = NODE_PORT_RANGE;
  if (requested) {
    if (requested < min || requested > max) {
      return { ok: false, message: `provided port is not in the valid range. The range of valid ports is ${min}-${max}` };
    }
    if (used.has(requested)) return { ok: false, message: 'provided port is already allocated' };
    return { ok: true, value: requested };
  }
  const size = max - min + 1;
  const band = Math.min(Math.max(16, Math.floor(size / 32)), 128);
  for (const [from, to] of [[min + band, max], [min, min + band - 1]] as const) {
    const count = to - from + 1;
    const start = pick(count);
    for (let i = 0; i < count; i++) {
      const port = from + ((start + i) % count);
      if (!used.has(port)) return { ok: true, value: port };
    }
  }
  return { ok: false, message: 'range is full' };
}
