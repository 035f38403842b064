// The classroom server: node:http, JSON in and out, every body parsed by the
// protocol's schemas. Built for a hostile LAN: bodies over 64 KB are refused
// before they are read, floods get 429, a wrong code or token gets 401/403
// and costs the sender's address, a malformed request is a 400 and never
// reaches the room. The server only ever stores what attendees report and
// answers with acknowledgements: it has no way to make an attendee run anything.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { openJournal, type Journal } from './journal.js';
import { ClearHandsSchema, EventsRequestSchema, issuesLine, JoinRequestSchema, MAX_BODY_BYTES, PROTOCOL_VERSION } from './protocol.js';
import { rateLimiter } from './rate-limit.js';
import { newEvents, roomView, type Room } from './room.js';
import { loadSecrets, type Secrets } from './secrets.js';

export interface ServerLimits {
  maxBodyBytes: number;
  maxAttendees: number;
  /** Joins per address per minute (a room behind one NAT joins from one address). */
  joinsPerMinute: number;
  /** Wrong join codes per address per minute: guessing a code takes ages. */
  wrongCodesPerMinute: number;
  /** Requests per attendee per second (burst twice that). */
  requestsPerSecond: number;
  /** Events per attendee per second (burst twice that). */
  eventsPerSecond: number;
  /** Refused requests (bad code, bad token, bad body) per address per second, burst 5 times that. */
  failuresPerSecond: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: MAX_BODY_BYTES,
  maxAttendees: 1000,
  joinsPerMinute: 120,
  wrongCodesPerMinute: 10,
  requestsPerSecond: 40,
  eventsPerSecond: 400,
  failuresPerSecond: 5,
};

export interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  /** The join code; default the one saved in the data dir, else a new random one. */
  code?: string;
  limits?: Partial<ServerLimits>;
  /** One line per join, hand raised and refused flood, for the serve command's log. */
  log?: (line: string) => void;
  compactEvery?: number;
}

export interface RunningServer {
  host: string;
  port: number;
  secrets: Secrets;
  dataDir: string;
  warnings: string[];
  room(): Room;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(sha256(given), 'hex');
  const b = Buffer.from(sha256(expected), 'hex');
  return timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(h) : null;
  return m?.[1];
}

/** Reads a JSON body of at most `limit` bytes; a larger one is refused before it is all read. */
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) return reject(new HttpError(415, 'expected Content-Type: application/json'));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new HttpError(413, `body over ${limit} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `body over ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'body is not JSON'));
      }
    });
    req.on('error', (err) => {
      if (!done) reject(new HttpError(400, err.message));
      done = true;
    });
  });
}

function parseWith<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, issuesLine(r.error));
  return r.data;
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const log = opts.log ?? (() => undefined);
  const secrets = await loadSecrets(opts.dataDir, opts.code);
  const journal: Journal = await openJournal(`${opts.dataDir}/room`, opts.compactEvery ? { compactEvery: opts.compactEvery } : {});
  // Kept beside the room and updated when a join is accepted (before it is written), so joins in flight see each other.
  const byToken = new Map<string, string>();
  const byId = new Map<string, string>();
  const byNonce = new Map<string, { id: string; name: string }>();
  const names = new Set<string>();
  for (const a of Object.values(journal.room().attendees)) {
    byToken.set(a.tokenHash, a.id);
    byId.set(a.id, a.tokenHash);
    if (a.nonceHash) byNonce.set(a.nonceHash, { id: a.id, name: a.name });
    names.add(a.name);
  }

  const joins = rateLimiter(limits.joinsPerMinute / 60, limits.joinsPerMinute);
  const wrongCodes = rateLimiter(limits.wrongCodesPerMinute / 60, limits.wrongCodesPerMinute);
  const failures = rateLimiter(limits.failuresPerSecond, limits.failuresPerSecond * 5);
  const requests = rateLimiter(limits.requestsPerSecond, limits.requestsPerSecond * 2);
  const events = rateLimiter(limits.eventsPerSecond, limits.eventsPerSecond * 2);
  let floodLogged = 0;

  const peer = (req: IncomingMessage) => req.socket.remoteAddress ?? '?';

  /** A refused request costs the sender's address: guessing codes or tokens soon gets 429. */
  function refuse(req: IncomingMessage, status: number, message: string): never {
    if (!failures.take(peer(req))) throw new HttpError(429, 'too many refused requests from this address; slow down');
    throw new HttpError(status, message);
  }

  function attendeeFor(req: IncomingMessage): string {
    const token = bearer(req);
    const id = token ? byToken.get(sha256(token)) : undefined;
    if (!id) refuse(req, 401, token ? 'unknown attendee token: join again with hoplab join' : 'missing Authorization: Bearer TOKEN');
    return id;
  }

  function instructor(req: IncomingMessage): void {
    const token = bearer(req);
    if (!token || !sameSecret(token, secrets.instructorToken)) refuse(req, 401, "needs the instructor's token (printed by 'hoplab classroom serve', in its data directory)");
    if (!requests.take('instructor')) throw new HttpError(429, 'too many requests');
  }

  function uniqueName(wanted: string): string {
    let name = wanted;
    for (let i = 2; names.has(name); i++) name = `${wanted} (${i})`;
    names.add(name);
    return name;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /v1/hello':
        if (!failures.take(`hello ${peer(req)}`, 0.1)) throw new HttpError(429, 'slow down');
        return send(res, 200, { service: 'hoplab-classroom', protocol: PROTOCOL_VERSION });
      case 'POST /v1/join': {
        if (!joins.take(peer(req))) throw new HttpError(429, 'too many joins from this address; wait a minute');
        const body = parseWith(JoinRequestSchema, await readJson(req, limits.maxBodyBytes));
        if (!sameSecret(body.code, secrets.code)) {
          if (!wrongCodes.take(peer(req))) throw new HttpError(429, 'too many wrong join codes from this address; wait a minute');
          refuse(req, 403, 'wrong join code');
        }
        const token = randomBytes(24).toString('base64url');
        const nonceHash = body.nonce ? sha256(body.nonce) : undefined;
        // Looked up and claimed before the journal write, so a join resent while the first is still being written is the same attendee too.
        const again = nonceHash ? byNonce.get(nonceHash) : undefined;
        if (!again && byId.size >= limits.maxAttendees) throw new HttpError(403, `the room is full (${limits.maxAttendees} attendees)`);
        const who = again ?? { id: randomBytes(6).toString('hex'), name: uniqueName(body.name) };
        if (nonceHash) byNonce.set(nonceHash, who);
        const old = byId.get(who.id);
        if (old) byToken.delete(old);
        byId.set(who.id, sha256(token));
        byToken.set(sha256(token), who.id);
        const { id, name } = who;
        await journal.append([{ t: 'join', at: Date.now(), id, name, tokenHash: sha256(token), ...(nonceHash ? { nonceHash } : {}) }]);
        log(`${again ? 'joined again (a resent join)' : 'joined'}: ${name} (from ${peer(req)})`);
        return send(res, 200, { id, name, token });
      }
      case 'POST /v1/events': {
        const id = attendeeFor(req);
        if (!requests.take(id)) throw new HttpError(429, 'too many requests from this attendee');
        const body = parseWith(EventsRequestSchema, await readJson(req, limits.maxBodyBytes));
        if (!events.take(id, body.events.length)) throw new HttpError(429, 'too many events from this attendee');
        const fresh = newEvents(journal.room(), id, body.events);
        if (fresh) await journal.append([{ t: 'events', at: Date.now(), id, events: body.events }]);
        if (fresh) for (const e of body.events) if (e.type === 'hand') log(`hand raised: ${journal.room().attendees[id]?.name ?? id}${e.message ? `: ${e.message}` : ''}`);
        return send(res, 200, { accepted: fresh, duplicates: body.events.length - fresh });
      }
      case 'GET /v1/room':
        instructor(req);
        return send(res, 200, roomView(journal.room(), Date.now()));
      case 'POST /v1/hands/clear': {
        instructor(req);
        const body = parseWith(ClearHandsSchema, await readJson(req, limits.maxBodyBytes));
        await journal.append([{ t: 'clear', at: Date.now(), ...('all' in body ? { all: true } : { hand: body.hand }) }]);
        return send(res, 200, { hands: journal.room().hands.length });
      }
      default:
        refuse(req, 404, `no such endpoint: ${key}`);
    }
  }

  const server = createServer({ maxHeaderSize: 8192, requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 10_000 }, (req, res) => {
    route(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) log(`internal error: ${(err as Error)?.message ?? String(err)}`);
      if (status === 429 && Date.now() - floodLogged > 10_000) {
        floodLogged = Date.now();
        log(`refusing a flood from ${peer(req)}: ${(err as Error).message}`);
      }
      // After 413 the rest of the body is not read: close the connection rather than drain it.
      send(res, status, { error: status === 500 ? 'internal error' : (err as Error).message }, status === 413);
      if (status === 413) res.on('finish', () => req.socket.destroy());
    });
  });
  server.maxConnections = 2048;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return {
    host: opts.host,
    port: addr.port,
    secrets,
    dataDir: opts.dataDir,
    warnings: journal.warnings,
    room: () => journal.room(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await journal.close();
    },
  };
}
