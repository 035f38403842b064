// A classroom on loopback: the real `hoplab classroom serve`, 27 attendees
// replaying event streams recorded from real `hoplab run`s through the
// attendee client, and 3 real `hoplab run --classroom` processes on a netns
// lab (one with a route broken on purpose). Then a restart of the server with
// an attendee that ran its lab while the server was down.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../../src/classroom/client.js';
import type { EventInput } from '../../src/classroom/protocol.js';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { HOPLAB, ROOT, hoplab, until } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');
const lab = testLabName('cls');
const tmp = mkdtempSync(join(tmpdir(), 'hoplab-classroom-'));
const data = join(tmp, 'server');
const CODE = 'ROOM-7Q2';
const fixture = (f: string) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'classroom', f), 'utf8')) as ({ afterMs: number } & EventInput)[];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

let port = 0;
let url = '';
let server: ChildProcess | undefined;
let banner = '';

async function startServe(): Promise<void> {
  banner = '';
  server = spawn('node', [HOPLAB, 'classroom', 'serve', '--listen', `127.0.0.1:${port}`, '--code', CODE, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d) => (banner += d));
  server.stderr!.on('data', (d) => (banner += d));
  await until('the classroom banner', async () => (banner.includes('Ctrl-C stops the server') ? true : undefined), 20_000);
}

async function stopServe(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return;
  await new Promise((r) => {
    s.once('exit', r);
    s.kill('SIGTERM');
  });
}

const instructor = ['--server', '', '--data', data];
async function status(): Promise<any> {
  instructor[1] = url;
  const r = await hoplab(['classroom', 'status', '--json', ...instructor]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** An attendee that replays a recorded stream through the real client (queue, batching, retries). */
async function replay(name: string, events: EventInput[]): Promise<void> {
  const c = await openClient({ url, name, code: CODE, stateDir: join(tmp, 'attendees', name.replace(/[^a-z0-9-]/gi, '_')) });
  for (const e of events) c.send(e);
  expect(await c.flush(20_000)).toBe(true);
  await c.close(100);
}

const runEnv = (who: string) => ({ HOPLAB_LAB: lab, XDG_STATE_HOME: join(tmp, 'runs', who) });

describe.skipIf(skip)('classroom: a server and 30 attendees on 127.0.0.1', () => {
  beforeAll(async () => {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await startServe();
    expect((await hoplab(['up'], { HOPLAB_LAB: lab }, 120_000)).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await stopServe();
    await hoplab(['down'], { HOPLAB_LAB: lab });
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('the banner names the bind address, the join command and the instructor token', () => {
    expect(banner).toContain(`listening on 127.0.0.1:${port} (this address only)`);
    expect(banner).toContain(`hoplab join ${url} --code ${CODE} --as NAME`);
    expect(banner).toContain(readFileSync(join(data, 'instructor.token'), 'utf8').trim());
  });

  it('shows who is where and what the room gets wrong', async () => {
    const passed = fixture('pod-to-pod-passed.json');
    const broken = fixture('pod-to-pod-broken-route.json');
    const replays = Array.from({ length: 26 }, (_, i) => replay(`learner-${i + 1}`, i % 3 === 0 ? broken : passed.slice(0, (i % passed.length) + 1)));
    replays.push(replay('\x1b]0;pwned\x07mallory\x1b[2J', passed.slice(0, 3)));
    const real = ['real-1', 'real-2'].map((who) => hoplab(['run', 'pod-to-pod', '--step', 'node-to-node', '--classroom', url, '--code', CODE, '--as', who], runEnv(who), 120_000));
    await Promise.all(replays);
    const [r1, r2] = await Promise.all(real);
    expect(r1!.code, r1!.stderr).toBe(0);
    expect(r2!.code, r2!.stderr).toBe(0);
    expect(r1!.stderr).toContain('connected, everything delivered');
    // The third learner's control plane sends node-1's traffic out through the NAT interface.
    expect((await hoplab(['ssh', 'controlplane', '--', 'ip', 'route', 'add', '192.168.56.11/32', 'via', '10.0.2.2', 'dev', 'eth0'], { HOPLAB_LAB: lab })).code).toBe(0);
    const r3 = await hoplab(['run', 'pod-to-pod', '--step', 'node-to-node', '--classroom', url, '--code', CODE, '--as', 'real-3'], runEnv('real-3'), 120_000);
    await hoplab(['ssh', 'controlplane', '--', 'ip', 'route', 'del', '192.168.56.11/32'], { HOPLAB_LAB: lab });
    expect(r3.code).toBe(1);

    const room = await status();
    expect(room.attendees.length, room.attendees.map((a: any) => a.name).join(' ')).toBe(30);
    const byName = Object.fromEntries(room.attendees.map((a: any) => [a.name, a]));
    expect(byName['mallory']).toBeDefined();
    expect(JSON.stringify(room)).not.toMatch(/\\u001b|\\u0007|pwned\\u0007/);
    const step = (who: string) => byName[who].labs['pod-to-pod'].results.find((r: any) => r.id === 'node-to-node');
    expect(step('real-1').outcome).toBe('shown');
    expect(step('real-1').checks).toHaveLength(3);
    expect(step('real-3').outcome).toBe('failed');
    expect(byName['real-3'].lastCheck).toBeDefined();
    const wrong = step('real-3').checks.find((c: any) => c.wrongHop);
    expect(wrong.wrongHop).toMatchObject({ ttl: 1, observed: ['10.0.2.2'] });
    expect(wrong.hops[0]).toMatchObject({ ttl: 1, expected: '192.168.56.11 eth1 node-1', status: 'mismatch' });
    expect(wrong.diagnosis).toMatch(/10\.0\.2\.2/);
    // Nothing but results travelled: no command output.
    expect(JSON.stringify(room)).not.toMatch(/traceroute to 192\.168\.56\.11/);
    // Replayed learners: 9 of them have the recorded broken route on the last step.
    const across = room.attendees.filter((a: any) => a.labs['pod-to-pod']?.results.find((r: any) => r.id === 'across-nodes')?.outcome === 'failed');
    expect(across).toHaveLength(9);

    const text = await hoplab(['classroom', 'status', ...instructor]);
    expect(text.stdout).toContain('30 attendee(s)');
    expect(text.stdout).toMatch(/step 4: 9 of \d+: hop 2 is \*/);
    expect(text.stdout).toMatch(/step 2: 1 of \d+: hop 1 is 10\.0\.2\.2/);
    const junit = await hoplab(['classroom', 'export', '--format', 'junit', ...instructor]);
    expect(junit.code).toBe(0);
    expect(junit.stdout).toMatch(/<testsuite name="real-3: pod-to-pod" tests="4" failures="1"/);
    const md = await hoplab(['classroom', 'export', '--format', 'md', ...instructor]);
    expect(md.stdout).toContain('### What the room gets wrong');
  }, 300_000);

  it('refuses a wrong code, a wrong token and garbage, and keeps serving', async () => {
    const j = await hoplab(['join', url, '--code', 'WRONG-1', '--as', 'x'], { XDG_STATE_HOME: join(tmp, 'wrong') });
    expect(j.code).toBe(2);
    expect(j.stderr).toContain('wrong join code');
    const s = await hoplab(['classroom', 'status', '--server', url, '--token', 'not-the-instructor-token']);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('instructor token was refused');
    const garbage = await fetch(`${url}/v1/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '\x00\x01{{{' });
    expect(garbage.status).toBe(400);
    const big = await fetch(`${url}/v1/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(100_000) }).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
    expect((await status()).attendees).toHaveLength(30);
  });

  it('loses nothing over a restart, and an attendee that ran its lab while the server was down delivers its queue', async () => {
    const before = await status();
    await stopServe();
    const late = await hoplab(['run', 'pod-to-pod', '--step', 'node-to-node', '--classroom', url, '--code', CODE, '--as', 'late'], runEnv('late'), 120_000);
    expect(late.code, late.stderr).toBe(0); // the lab did not wait for the server
    expect(late.stderr).toMatch(/classroom .* as late: \d+ event\(s\) queued/);
    await startServe();
    const after = await status();
    expect({ ...after, now: 0 }).toEqual({ ...before, now: 0 });
    // The next hoplab of that user (here the client itself) adopts the queue and delivers it.
    const c = await openClient({ url, name: 'late', code: CODE, stateDir: join(tmp, 'runs', 'late', 'hoplab', 'classroom') });
    expect(await c.flush(10_000)).toBe(true);
    await c.close(100);
    const room = await status();
    const lateOne = room.attendees.find((a: any) => a.name === 'late');
    expect(lateOne.labs['pod-to-pod'].results.find((r: any) => r.id === 'node-to-node').outcome).toBe('shown');
  }, 180_000);
});
