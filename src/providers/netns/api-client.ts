// A minimal client for the lab's own API, for what hoplab itself reads
// (pods for cluster facts, the benchmark) without starting kubectl.
import { request } from 'node:https';
import type { ApiRecord } from './state.js';

export function apiRequest<T>(
  api: ApiRecord,
  method: string,
  path: string,
  body?: unknown,
  opts: { timeoutMs?: number } = {},
): Promise<{ status: number; json: T }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${api.url}${path}`,
      {
        method,
        ca: api.ca,
        headers: {
          authorization: `Bearer ${api.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') as T });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    // Covers connecting, the TLS handshake and the answer: a stalled API is an error, not a hang.
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.end(payload);
  });
}
