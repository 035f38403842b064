// The attendee's side: events go into a queue on disk first and a background
// sender delivers them, so the lab never waits for the server. When the
// server is unreachable the queue keeps them (across restarts of hoplab too:
// a later hoplab adopts the queue of one that exited) and they go when it is
// back. Nothing the server answers is ever executed: the only things read
// from a response are "accepted" and, at join, the token.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { findIdentity, loadIdentities, rememberIdentity, type Identity } from './identity.js';
import { writeFileAtomicSync } from './journal.js';
import { JoinResponseSchema, MAX_BODY_BYTES, type ClassEvent, type EventInput } from './protocol.js';

export type Connection = 'connected' | 'offline' | 'refused';

export interface ClientStatus {
  connection: Connection;
  /** Events not yet accepted by the server. */
  queued: number;
  url: string;
  name: string;
  /** Why the last delivery failed. */
  error?: string;
}

export interface ClassroomClient {
  /** Queues an event; returns at once. */
  send(e: EventInput): void;
  status(): ClientStatus;
  onStatus(fn: (s: ClientStatus) => void): () => void;
  /** Tries to deliver everything now; true when the queue is empty. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** A last delivery attempt (bounded), then the queue stays on disk for the next hoplab. */
  close(timeoutMs?: number): Promise<void>;
}

export interface ClientOptions {
  url: string;
  name: string;
  /** To join on first contact when this user has no token for url+name yet (`--code`). */
  code?: string;
  stateDir: string;
  now?: () => number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Longest wait between retries while offline. */
  maxBackoffMs?: number;
}

interface QueueFile {
  pid: number;
  /** Written by close(): nobody sends this queue any more, whoever adopts it next. */
  closed?: boolean;
  url: string;
  name: string;
  events: ClassEvent[];
}

const queueDir = (stateDir: string) => join(stateDir, 'queue');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Normalises a server URL: http(s) only, no path, no trailing slash. */
export function serverUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new Error(`'${text}' is not a URL (expected http://HOST:PORT)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`'${text}': expected an http:// URL`);
  return `${u.protocol}//${u.host}`;
}

async function postJson(url: string, body: unknown, token: string | undefined, timeoutMs: number): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

const errorOf = (json: unknown, status: number) => {
  const e = (json as { error?: unknown } | undefined)?.error;
  return `HTTP ${status}${typeof e === 'string' ? `: ${e.slice(0, 200)}` : ''}`;
};

/** Joins a room: the server checks the code and hands out this attendee's token. */
export async function joinRoom(url: string, code: string, name: string, timeoutMs = 5000, nonce?: string): Promise<Identity & { shownAs: string }> {
  const r = await postJson(`${url}/v1/join`, { code, name, ...(nonce ? { nonce } : {}) }, undefined, timeoutMs);
  if (r.status !== 200) throw Object.assign(new Error(errorOf(r.json, r.status)), { status: r.status });
  const body = JoinResponseSchema.parse(r.json);
  return { url, name, id: body.id, token: body.token, shownAs: body.name };
}

export async function openClient(opts: ClientOptions): Promise<ClassroomClient> {
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxBackoff = opts.maxBackoffMs ?? 15_000;
  const dir = queueDir(opts.stateDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stream = `${now().toString(36)}-${randomBytes(5).toString('hex')}`;
  const myFile = join(dir, `${stream}.json`);
  let identity = findIdentity(await loadIdentities(opts.stateDir), opts.url, opts.name);
  let seq = 0;
  // One nonce for every join attempt of this client: a retry after a lost answer is the same attendee.
  const joinNonce = randomBytes(16).toString('base64url');
  let queue: ClassEvent[] = [];

  // Adopt what an earlier hoplab (now gone) could not deliver to the same room as the same name.
  const adopted: string[] = [];
  for (const n of await readdir(dir)) {
    if (!n.endsWith('.json') || n === `${stream}.json`) continue;
    try {
      const q = JSON.parse(await readFile(join(dir, n), 'utf8')) as QueueFile;
      if (q.url !== opts.url || q.name !== opts.name || (!q.closed && pidAlive(q.pid)) || !Array.isArray(q.events)) continue;
      queue.push(...q.events);
      adopted.push(join(dir, n));
    } catch {
      // A torn or foreign file: leave it.
    }
  }

  let closed = false;
  let status: ClientStatus = { connection: 'offline', queued: queue.length, url: opts.url, name: opts.name };
  const listeners = new Set<(s: ClientStatus) => void>();
  const setStatus = (s: Partial<ClientStatus>) => {
    const next = { ...status, ...s, queued: queue.length };
    if (!s.error && s.connection === 'connected') delete next.error;
    if (next.connection === status.connection && next.queued === status.queued && next.error === status.error) return;
    status = next;
    for (const fn of listeners) fn(status);
  };

  const persist = () => {
    if (queue.length) writeFileAtomicSync(myFile, JSON.stringify({ pid: process.pid, ...(closed ? { closed } : {}), url: opts.url, name: opts.name, events: queue } satisfies QueueFile));
    else void unlink(myFile).catch(() => undefined);
  };
  persist();
  for (const f of adopted) await unlink(f).catch(() => undefined);

  let sending: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backoff = 500;

  /** The next batch: as many events as fit well under the server's body limit. */
  function batch(): ClassEvent[] {
    const out: ClassEvent[] = [];
    let size = 20;
    for (const e of queue) {
      const n = JSON.stringify(e).length + 1;
      if (out.length && (size + n > MAX_BODY_BYTES * 0.75 || out.length >= 100)) break;
      out.push(e);
      size += n;
    }
    return out;
  }

  async function deliverOnce(): Promise<void> {
    if (!identity) {
      if (!opts.code) {
        setStatus({ connection: 'refused', error: `not joined to ${opts.url} as ${opts.name}: run hoplab join` });
        return;
      }
      const { shownAs: _, ...joined } = await joinRoom(opts.url, opts.code, opts.name, timeoutMs, joinNonce);
      identity = joined;
      await rememberIdentity(identity, { dir: opts.stateDir });
    }
    while (queue.length) {
      const events = batch();
      const r = await postJson(`${opts.url}/v1/events`, { events }, identity.token, timeoutMs);
      if (r.status === 200) {
        queue = queue.slice(events.length);
        persist();
        setStatus({ connection: 'connected' });
        continue;
      }
      if (r.status === 401 || r.status === 403) {
        setStatus({ connection: 'refused', error: errorOf(r.json, r.status) });
        return;
      }
      if (r.status === 400 || r.status === 413) {
        // The server will never take these (a newer or older hoplab?): drop them rather than block the queue forever.
        queue = queue.slice(events.length);
        persist();
        setStatus({ error: `${events.length} event(s) refused: ${errorOf(r.json, r.status)}` });
        continue;
      }
      throw new Error(errorOf(r.json, r.status));
    }
    setStatus({ connection: 'connected' });
  }

  /** Starts a delivery now, unless one is under way. */
  function start(): void {
    if (closed || sending) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    sending = deliverOnce()
      .then(() => {
        backoff = 500;
      })
      .catch((err: unknown) => {
        const status = (err as { status?: number }).status;
        setStatus(status === 403 || status === 401 ? { connection: 'refused', error: errorMessage(err) } : { connection: 'offline', error: errorMessage(err) });
        backoff = Math.min(maxBackoff, backoff * 2);
      })
      .finally(() => {
        sending = undefined;
        if (queue.length && status.connection !== 'refused') kick(backoff);
      });
  }

  /** A delivery soon (now, or after the backoff while offline); timers never keep hoplab running. */
  function kick(delay = 0): void {
    if (closed || sending || timer) return;
    timer = setTimeout(start, delay);
    timer.unref();
  }

  if (queue.length) kick();
  const stamp = (e: EventInput): ClassEvent => ({ ...e, stream, seq: ++seq, at: now() }) as ClassEvent;

  const client: ClassroomClient = {
    send(e) {
      if (closed) return;
      queue.push(stamp(e));
      if (queue.length > 10_000) queue = queue.slice(-10_000);
      persist();
      setStatus({});
      kick();
    },
    status: () => status,
    onStatus(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async flush(ms = timeoutMs) {
      const end = now() + ms;
      const sleep = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t)));
      while (queue.length && now() < end && status.connection !== 'refused') {
        start();
        await Promise.race([sending, sleep(end - now())]);
        if (queue.length) await sleep(Math.min(250, end - now()));
      }
      return queue.length === 0;
    },
    async close(ms = 2000) {
      await client.flush(ms);
      closed = true;
      if (timer) clearTimeout(timer);
      persist();
    },
  };
  return client;
}
