// Times as Kubernetes writes them in logs (Go's time.RFC3339Nano), to the nanosecond.

/** Now in nanoseconds since the epoch (microsecond resolution on most systems). */
export function nowNs(): bigint {
  const t = performance.timeOrigin + performance.now();
  const ms = Math.floor(t);
  return BigInt(ms) * 1_000_000n + BigInt(Math.round((t - ms) * 1e6));
}

/** Go's time.RFC3339Nano in UTC, as kubelet prints --timestamps: trailing zeros of the fraction dropped. */
export function formatRfc3339Nano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** Parses RFC 3339 (what kubectl sends as sinceTime) to nanoseconds; undefined if it is not one. */
export function parseRfc3339(s: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]!.toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
