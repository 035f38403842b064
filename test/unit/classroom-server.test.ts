// The classroom server on 127.0.0.1 with real HTTP: joining, events, the
// instructor's view, and everything a hostile LAN can throw at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { openClient } from '../../src/classroom/client.js';
import { startServer, type RunningServer } from '../../src/classroom/server.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)));
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'hoplab-class-'));
  dirs.push(d);
  return d;
}

async function serve(dataDir = tmp(), extra: Partial<Parameters<typeof startServer>[0]> = {}): Promise<RunningServer & { url: string }> {
  const s = await startServer({ host: '127.0.0.1', port: 0, dataDir, code: 'ROOM42', ...extra });
  servers.push(s);
  return Object.assign(s, { url: `http://127.0.0.1:${s.port}` });
}

async function post(url: string, body: unknown, token?: string, type = 'application/json') {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => undefined)) as any };
}

const step = (seq: number, stream = 'stream-a') => ({ type: 'step-started', stream, seq, at: Date.now(), lab: 'pod-to-pod', step: 0, stepId: 'node-out', steps: 4, title: 'Out to the internet' });

describe('classroom server', () => {
  it('joins with the code only, and takes events with the attendee token only', async () => {
    const s = await serve();
    expect((await post(`${s.url}/v1/join`, { code: 'WRONG1', name: 'ann' })).status).toBe(403);
    const j = await post(`${s.url}/v1/join`, { code: 'ROOM42', name: 'ann' });
    expect(j.status).toBe(200);
    expect(j.json.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] }, 'x'.repeat(32))).status).toBe(401);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] })).status).toBe(401);
    const ok = await post(`${s.url}/v1/events`, { events: [step(1)] }, j.json.token);
    expect(ok).toEqual({ status: 200, json: { accepted: 1, duplicates: 0 } });
    // Resent (the attendee never saw the answer): applied once.
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] }, j.json.token)).json).toEqual({ accepted: 0, duplicates: 1 });
    // The attendee token is not the instructor's, nor is the join code.
    for (const t of [j.json.token, 'ROOM42ROOM42ROOM42']) {
      expect((await fetch(`${s.url}/v1/room`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    }
    const room = await (await fetch(`${s.url}/v1/room`, { headers: { authorization: `Bearer ${s.secrets.instructorToken}` } })).json();
    expect(room.attendees).toHaveLength(1);
    expect(room.attendees[0]).toMatchObject({ name: 'ann', current: { lab: 'pod-to-pod', step: 0 } });
    expect(JSON.stringify(room)).not.toContain(j.json.token);
    expect(room.attendees[0].tokenHash).toBeUndefined();
  });

  it('a join resent with the same nonce (its answer was lost) is the same attendee, with a new token', async () => {
    const s = await serve();
    const nonce = 'n'.repeat(22);
    const a = await post(`${s.url}/v1/join`, { code: 'ROOM42', name: 'dee', nonce });
    const b = await post(`${s.url}/v1/join`, { code: 'ROOM42', name: 'dee', nonce });
    expect(b.json.id).toBe(a.json.id);
    expect(b.json.token).not.toBe(a.json.token);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] }, a.json.token)).status).toBe(401);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] }, b.json.token)).status).toBe(200);
    const c = await post(`${s.url}/v1/join`, { code: 'ROOM42', name: 'dee' });
    expect(c.json).toMatchObject({ name: 'dee (2)' });
    // Resent while the first is still being written: still one attendee.
    const both = await Promise.all([0, 1].map(() => post(`${s.url}/v1/join`, { code: 'ROOM42', name: 'eli', nonce: 'e'.repeat(22) })));
    expect(both[0]!.json.id).toBe(both[1]!.json.id);
    expect(Object.keys(s.room().attendees)).toHaveLength(3);
  });

  it('refuses garbage, wrong types and oversize bodies with 4xx and keeps serving', async () => {
    const s = await serve();
    const { json } = await post(`${s.url}/v1/join`, { code: 'ROOM42', name: 'bob' });
    const t = json.token;
    expect((await post(`${s.url}/v1/events`, '{"events": [', t)).status).toBe(400);
    expect((await post(`${s.url}/v1/events`, { events: [{ ...step(1), seq: -4 }] }, t)).json.error).toMatch(/events\.0\.seq/);
    expect((await post(`${s.url}/v1/events`, { events: [{ type: 'rm -rf', stream: 'stream-a', seq: 1, at: 1 }] }, t)).status).toBe(400);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] }, t, 'text/plain')).status).toBe(415);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)], pad: 'x'.repeat(70_000) }, t)).status).toBe(413);
    expect((await post(`${s.url}/v1/events`, { events: Array.from({ length: 201 }, (_, i) => step(i + 1)) }, t)).status).toBe(400);
    expect((await fetch(`${s.url}/etc/passwd`)).status).toBe(404);
    // A chunked upload that never declares its size is cut off at the limit too.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      req.write('{"events":"');
      req.write('y'.repeat(80_000));
      req.end('"}');
    });
    expect(chunked).toBe(413);
    // A raw socket speaking nonsense gets a 400, and the server still answers afterwards.
    const raw = await new Promise<string>((resolve) => {
      const sock = connect(s.port, '127.0.0.1', () => sock.write('\x16\x03\x01 not http at all\r\n\r\n'));
      let out = '';
      sock.on('data', (d) => (out += d));
      sock.on('close', () => resolve(out));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await post(`${s.url}/v1/events`, { events: [step(1)] }, t)).status).toBe(200);
  });

  it('strips escape and control sequences from names and messages', async () => {
    const s = await serve();
    const j = await post(`${s.url}/v1/join`, { code: 'ROOM42', name: '\x1b]0;pwned\x07eve\x1b[2J\x9b31m\u202e' });
    expect(j.status).toBe(200);
    expect(j.json.name).toBe('eve');
    await post(`${s.url}/v1/events`, { events: [{ type: 'hand', stream: 'stream-a', seq: 1, at: 1, message: 'help\x1b[31m me\r\n\x07' }] }, j.json.token);
    const room = await (await fetch(`${s.url}/v1/room`, { headers: { authorization: `Bearer ${s.secrets.instructorToken}` } })).json();
    expect(room.hands).toEqual([expect.objectContaining({ name: 'eve', message: 'help me' })]);
    expect(JSON.stringify(room)).not.toMatch(/\\u001b|\\u0007|\\u009b/);
    // A name that is nothing but escapes is refused, not stored empty.
    expect((await post(`${s.url}/v1/join`, { code: 'ROOM42', name: '\x1b[2J\x07' })).status).toBe(400);
  });

  it('answers floods with 429: code guessing, and one attendee sending too fast', async () => {
    const s = await serve(tmp(), { limits: { wrongCodesPerMinute: 5 } });
    const codes = await Promise.all(Array.from({ length: 12 }, () => post(`${s.url}/v1/join`, { code: 'GUESS1', name: 'x' })));
    expect(codes.map((r) => r.status)).toContain(429);
    const s2 = await serve(tmp(), { limits: { requestsPerSecond: 5 } });
    const { json } = await post(`${s2.url}/v1/join`, { code: 'ROOM42', name: 'fast' });
    const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => post(`${s2.url}/v1/events`, { events: [step(i + 1)] }, json.token)));
    expect(rs.map((r) => r.status)).toContain(429);
    expect(rs.map((r) => r.status)).toContain(200);
  });

  it('loses nothing over a restart: attendees, tokens, results, hands, the code and the instructor token', async () => {
    const data = tmp();
    const s = await serve(data, { code: undefined, compactEvery: 3 });
    const code = s.secrets.code;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const { json } = await post(`${s.url}/v1/join`, { code, name: 'cat' });
    for (let i = 1; i <= 5; i++) expect((await post(`${s.url}/v1/events`, { events: [step(i, `s${i}xxxx`)] }, json.token)).status).toBe(200);
    await post(`${s.url}/v1/events`, { events: [{ type: 'hand', stream: 'stream-h', seq: 1, at: 1, message: 'stuck' }] }, json.token);
    const before = s.room();
    await s.close();
    servers.length = 0;
    const again = await serve(data, { code: undefined });
    expect(again.secrets).toEqual(s.secrets);
    expect(again.room()).toEqual(before);
    expect((await post(`${again.url}/v1/events`, { events: [step(6, 'stream-z')] }, json.token)).status).toBe(200);
  });

  it('an attendee offline keeps its events on disk; the next hoplab delivers them once the server is there', async () => {
    const port = await new Promise<number>((resolve) => {
      const l = createServer().listen(0, '127.0.0.1', () => {
        const p = (l.address() as { port: number }).port;
        l.close(() => resolve(p));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const stateDir = tmp();
    const c = await openClient({ url, name: 'off', code: 'ROOM42', stateDir, maxBackoffMs: 200 });
    for (let i = 0; i < 3; i++) c.send({ type: 'step-started', lab: 'pod-to-pod', steps: 4, step: i, stepId: `s${i}`, title: `step ${i}` });
    expect(await c.flush(400)).toBe(false);
    expect(c.status()).toMatchObject({ connection: 'offline', queued: 3 });
    // This process "exits" (its queue stays on disk) and the server comes up.
    await c.close(50);
    const s = await serve(tmp(), { port });
    const next = await openClient({ url, name: 'off', code: 'ROOM42', stateDir });
    expect(await next.flush(5000)).toBe(true);
    expect(next.status()).toMatchObject({ connection: 'connected', queued: 0 });
    await next.close(50);
    const a = Object.values(s.room().attendees)[0]!;
    expect(a.name).toBe('off');
    expect(Object.keys(a.labs['pod-to-pod']!.results)).toEqual(['0', '1', '2']);
  });
});
