// /openapi/v2 and /openapi/v3: what `kubectl explain`, client-side validation
// and kubectl's dry-run and field-validation checks read. Built on the first
// request from Kubernetes' document (openapi-docs.ts) and kept as bytes, each
// with the ETag the apiserver gives it, so kubectl's HTTP cache revalidates
// (304) instead of downloading again; v3 documents are addressed by their hash
// and immutable, as the apiserver serves them. Without the fetched document
// (scripts/fetch-k8s-openapi.sh) /openapi/v2 is a valid document with no
// schemas (kubectl then skips client-side validation) and /openapi/v3 is
// absent (kubectl falls back to v2).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAccept } from './http-util.js';
import { buildOpenApiDocs, documentHash, type SwaggerSource } from './openapi-docs.js';
import { encodeGnostic } from './openapi-gnostic.js';
import type { Registry } from './resources.js';
import { notAcceptable, pathNotFound } from './status.js';

/** What kubectl asks for (Accept) and, with '.' for the invalid '@', what the apiserver answers (Content-Type). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** Where scripts/fetch-k8s-openapi.sh leaves swagger.json and OpenAPIv2.proto. */
export const OPENAPI_SOURCE_DIR = process.env.HOPLAB_OPENAPI_DIR ?? '/var/cache/hoplab/kubernetes-openapi';

/** The representation the client asked for first: 'protobuf', 'json', or undefined if neither. */
export function negotiateOpenApi(accept: string | undefined): 'protobuf' | 'json' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.type === OPENAPI_V2_PROTOBUF || m.type === OPENAPI_V2_PROTOBUF_CONTENT_TYPE) return 'protobuf';
    if (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') return 'json';
  }
  return undefined;
}

interface Served {
  body: Buffer;
  etag: string;
}

const served = (body: Buffer): Served => ({ body, etag: documentHash(body) });

interface Built {
  v2Json: Served;
  /** Encoded on the first protobuf request; undefined without the .proto. */
  v2Protobuf: () => Served | undefined;
  /** By group-version path (api/v1). */
  v3: Map<string, Served>;
}

export interface OpenApiOptions {
  registry: Registry;
  gitVersion: string;
  /** Directory holding swagger.json and OpenAPIv2.proto; default OPENAPI_SOURCE_DIR. */
  dir?: string;
  log: (line: string) => void;
}

export interface OpenApiHandler {
  /** `version` is v2 or v3; `rest` the path below it (a group-version for v3). */
  handle(version: string, rest: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createOpenApiHandler(o: OpenApiOptions): OpenApiHandler {
  const dir = o.dir ?? OPENAPI_SOURCE_DIR;
  let built: Promise<Built> | undefined;
  const started = new Date();

  async function build(): Promise<Built> {
    const t0 = performance.now();
    const text = await readFile(join(dir, 'swagger.json'), 'utf8').catch(() => undefined);
    if (!text) {
      o.log(`openapi: no ${join(dir, 'swagger.json')} (scripts/fetch-k8s-openapi.sh): serving a document with no schemas`);
      const empty = { swagger: '2.0', info: { title: 'Kubernetes', version: o.gitVersion }, paths: {}, definitions: {} };
      return { v2Json: served(Buffer.from(JSON.stringify(empty))), v2Protobuf: () => served(openApiV2Protobuf(o.gitVersion)), v3: new Map() };
    }
    const docs = buildOpenApiDocs(JSON.parse(text) as SwaggerSource, o.registry, o.gitVersion);
    if (docs.missing.length) o.log(`openapi: no schema in ${dir} for ${docs.missing.join(', ')}`);
    const proto = await readFile(join(dir, 'OpenAPIv2.proto'), 'utf8').catch(() => undefined);
    let protobuf: Served | undefined;
    const v2Json = served(Buffer.from(JSON.stringify(docs.v2)));
    const result: Built = {
      v2Json,
      // From the kept bytes, not the built objects: nothing holds those once built (kubectl >= 1.27 never asks for this form).
      v2Protobuf: () => {
        if (!protobuf && proto) {
          const t = performance.now();
          protobuf = served(encodeGnostic(JSON.parse(v2Json.body.toString('utf8')), proto));
          o.log(`openapi: v2 protobuf encoded in ${Math.round(performance.now() - t)} ms, ${protobuf.body.length} bytes`);
        }
        return protobuf;
      },
      v3: new Map([...docs.v3].map(([gv, d]) => [gv, served(Buffer.from(JSON.stringify(d)))])),
    };
    const kept = v2Json.body.length + [...result.v3.values()].reduce((n, d) => n + d.body.length, 0);
    o.log(`openapi: documents built in ${Math.round(performance.now() - t0)} ms, ${Math.round(kept / 1024)} KB kept`);
    return result;
  }

  function send(req: IncomingMessage, res: ServerResponse, doc: Served, contentType: string, headers: Record<string, string> = {}): void {
    const etag = `"${doc.etag}"`;
    const common = { ETag: etag, Vary: 'Accept', 'Last-Modified': started.toUTCString(), ...headers };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, common);
      return void res.end();
    }
    res.writeHead(200, { ...common, 'Content-Type': contentType, 'Content-Length': doc.body.length });
    res.end(req.method === 'HEAD' ? undefined : doc.body);
  }

  return {
    async handle(version, rest, url, req, res) {
      if (version !== 'v2' && version !== 'v3') throw pathNotFound();
      if (version === 'v2' && rest) throw pathNotFound();
      built ??= build();
      const docs = await built;
      if (version === 'v2') {
        const form = negotiateOpenApi(req.headers.accept);
        if (form === undefined) throw notAcceptable(req.headers.accept ?? '');
        const doc = form === 'protobuf' ? docs.v2Protobuf() : docs.v2Json;
        if (!doc) throw notAcceptable(req.headers.accept ?? '');
        return send(req, res, doc, form === 'protobuf' ? OPENAPI_V2_PROTOBUF_CONTENT_TYPE : 'application/json');
      }
      if (!docs.v3.size) throw pathNotFound();
      if (!rest) {
        const paths = Object.fromEntries([...docs.v3].map(([gv, d]) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${d.etag}` }]));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ paths }));
      }
      const doc = docs.v3.get(rest);
      if (!doc) throw pathNotFound();
      const hash = url.searchParams.get('hash');
      if (hash && hash !== doc.etag) {
        // An older hash: the apiserver redirects to the current document.
        res.writeHead(301, { Location: `/openapi/v3/${rest}?hash=${doc.etag}` });
        return void res.end();
      }
      const accept = parseAccept(req.headers.accept);
      if (accept.length && !accept.some((m) => m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*')) {
        throw notAcceptable(req.headers.accept ?? '');
      }
      // Addressed by its hash, the document never changes: clients may keep it.
      const cache: Record<string, string> = hash ? { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 86400_000).toUTCString() } : {};
      return send(req, res, doc, 'application/json', cache);
    },
  };
}

/** Document{swagger=1 "2.0", info=2{title=1, version=2}}: the protobuf form of the document with no schemas. */
export function openApiV2Protobuf(gitVersion: string): Buffer {
  const field = (num: number, bytes: Buffer): Buffer => {
    const len: number[] = [];
    let n = bytes.length;
    do {
      len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return Buffer.concat([Buffer.from([(num << 3) | 2, ...len]), bytes]);
  };
  const info = Buffer.concat([field(1, Buffer.from('Kubernetes')), field(2, Buffer.from(gitVersion))]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}
