// HTTP plumbing for the API server: content negotiation on Accept (plain
// JSON, Table, PartialObjectMetadata, aggregated discovery), JSON replies and
// request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, errorStatus, notAcceptable } from './status.js';

export interface MediaType {
  type: string; // application/json
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      }
      return { type: (type ?? '').toLowerCase(), params };
    })
    .filter((m) => m.type);
}

function isJsonish(m: MediaType): boolean {
  return m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
}

export type Representation =
  | { as: 'object' }
  | { as: 'Table'; version: string }
  | { as: 'PartialObjectMetadata'; version: string };

/** What shape a GET of objects should take, from the first Accept entry we can serve. */
export function negotiateObject(accept: string | undefined): Representation {
  for (const m of parseAccept(accept)) {
    if (!isJsonish(m)) continue;
    const as = m.params.as;
    if (!as) return { as: 'object' };
    if (m.params.g !== 'meta.k8s.io' || (m.params.v !== 'v1' && m.params.v !== 'v1beta1')) continue;
    if (as === 'Table') return { as: 'Table', version: m.params.v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version: m.params.v };
  }
  throw notAcceptable(accept ?? '');
}

/** For /api and /apis: the aggregated discovery version asked for first, or undefined for the legacy lists. */
export function negotiateDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (!isJsonish(m)) continue;
    if (!m.params.as) return undefined;
    if (m.params.as === 'APIGroupDiscoveryList' && m.params.g === 'apidiscovery.k8s.io' && (m.params.v === 'v2' || m.params.v === 'v2beta1')) {
      return m.params.v;
    }
  }
  return undefined;
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  // Encoded once: Buffer.byteLength on the string and then writing it would walk a list of a thousand pods twice
  // (the daemon's profile had byteLength at 21% during a 300-pod rollout).
  sendBody(res, code, Buffer.from(JSON.stringify(body)), contentType);
}

/** A reply whose JSON is encoded already. */
export function sendBody(res: ServerResponse, code: number, data: Buffer, contentType = 'application/json'): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': data.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(data);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, errorStatus(err));
}

const MAX_BODY = 3 * 1024 * 1024; // the apiserver's request size limit

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<any> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(err as Error).message}`);
  }
}

export function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

/**
 * A boolean query parameter as the apiserver converts it (Convert_Slice_string_To_bool):
 * absent, "0" and "false" in any case are false; any other value, even an empty
 * one, is true (so the Python client's `watch=True` watches).
 */
export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** The dryRun parameter: only "All" is a dry run, an unknown value is refused as the apiserver does. */
export function isDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dry run value: ${JSON.stringify(v)}; supported values: "All"`);
  }
  return values.length > 0;
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}
