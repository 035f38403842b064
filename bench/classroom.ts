// `npm run bench:classroom`: the real `hoplab classroom serve` with 100
// attendees each sending 10 events a second (events recorded from real
// `hoplab run`s, one per request, as the client sends them when it keeps up)
// for BENCH_SECONDS (default 60), and the dashboard's poll once a second.
// Prints the event latency (request sent → accepted, so the journal write is
// in it) and the server's CPU from /proc. Asserts nothing. The load generator
// runs on the same machine and takes CPU of its own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ATTENDEES = Number(process.env.BENCH_ATTENDEES ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 10); // events per attendee per second
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const root = join(import.meta.dirname, '..', '..');
const data = mkdtempSync(join(tmpdir(), 'hoplab-bench-classroom-'));

const recorded = ['pod-to-pod-passed.json', 'pod-to-pod-broken-route.json'].flatMap((f) =>
  (JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'classroom', f), 'utf8')) as Record<string, unknown>[]).map(({ afterMs: _, ...e }) => e),
);

const server = spawn('node', [join(root, 'bin', 'hoplab.js'), 'classroom', 'serve', '--listen', '127.0.0.1:0', '--code', 'BENCH-1', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
server.stdout!.on('data', (d) => (banner += d));
const port = await new Promise<number>((resolve, reject) => {
  const t = setInterval(() => {
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(banner);
    if (m && banner.includes('Ctrl-C')) {
      clearInterval(t);
      resolve(Number(m[1]));
    }
  }, 50);
  server.once('exit', () => reject(new Error(`server exited: ${banner}`)));
});
const token = readFileSync(join(data, 'instructor.token'), 'utf8').trim();
const agent = new Agent({ keepAlive: true, maxSockets: ATTENDEES + 4 });

function call(method: string, path: string, body: unknown, auth?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method, agent, headers: { ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}), ...(auth ? { authorization: `Bearer ${auth}` } : {}) } }, (res) => {
      let out = '';
      res.on('data', (d) => (out += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: out }));
    });
    req.on('error', (err) => resolve({ status: 0, text: err.message }));
    req.end(text);
  });
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 a second on Linux)
}
const hwm = (pid: number) => /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

const tokens: string[] = [];
for (let i = 0; i < ATTENDEES; i++) {
  const r = await call('POST', '/v1/join', { code: 'BENCH-1', name: `bench-${i + 1}`, nonce: randomBytes(16).toString('base64url') });
  if (r.status !== 200) throw new Error(`join ${i}: ${r.status} ${r.text}`);
  tokens.push((JSON.parse(r.text) as { token: string }).token);
}

const latencies: number[] = [];
const roomLatencies: number[] = [];
const statuses = new Map<number, number>();
let sent = 0;
const cpu0 = cpuTicks(server.pid!);
const t0 = performance.now();
const end = t0 + SECONDS * 1000;
const streams = tokens.map(() => randomBytes(8).toString('hex'));
const seqs = tokens.map(() => 0);

await new Promise<void>((resolve) => {
  let running = 0;
  tokens.forEach((tok, i) => {
    running++;
    // Spread the attendees over the interval, as real ones are.
    const startAt = t0 + (i / ATTENDEES) * (1000 / RATE);
    let next = startAt;
    const tickOne = () => {
      const now = performance.now();
      if (now >= end) {
        if (--running === 0) resolve();
        return;
      }
      const e = { ...recorded[(seqs[i]! + i) % recorded.length]!, stream: streams[i], seq: ++seqs[i]!, at: Date.now() };
      const made = performance.now();
      sent++;
      void call('POST', '/v1/events', { events: [e] }, tok).then((r) => {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 200) latencies.push(performance.now() - made);
      });
      next += 1000 / RATE;
      setTimeout(tickOne, Math.max(0, next - performance.now()));
    };
    setTimeout(tickOne, Math.max(0, startAt - performance.now()));
  });
  const poll = setInterval(() => {
    const made = performance.now();
    void call('GET', '/v1/room', undefined, token).then((r) => r.status === 200 && roomLatencies.push(performance.now() - made));
  }, 1000);
  setTimeout(() => clearInterval(poll), SECONDS * 1000);
});
await new Promise((r) => setTimeout(r, 1500)); // the last answers
const wall = (performance.now() - t0) / 1000;
const cpu = (cpuTicks(server.pid!) - cpu0) / 100;
const peak = hwm(server.pid!);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
agent.destroy();
rmSync(data, { recursive: true, force: true });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(`classroom server: ${ATTENDEES} attendees × ${RATE} events/s for ${SECONDS} s (one event per request, keep-alive), dashboard polling 1/s`);
console.log(`  events sent ${sent}, accepted ${latencies.length} (${(latencies.length / wall).toFixed(0)}/s); answers: ${[...statuses.entries()].map(([s, n]) => `${s || 'error'} ×${n}`).join(', ')}`);
console.log(`  event latency (sent → accepted, journal written): p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(pct(latencies, 100))}`);
console.log(`  dashboard GET /v1/room (${ATTENDEES} attendees): p50 ${ms(pct(roomLatencies, 50))}, p99 ${ms(pct(roomLatencies, 99))}`);
console.log(`  server CPU: ${cpu.toFixed(1)} s over ${wall.toFixed(1)} s = ${((cpu / wall) * 100).toFixed(0)}% of one core, ${((cpu * 1000) / Math.max(1, latencies.length)).toFixed(2)} ms per accepted event; peak RSS ${peak ? `${(Number(peak) / 1024).toFixed(0)} MB` : '?'}`);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`  machine load average during the run: ${load} (on ${(await import('node:os')).cpus().length} cores; a busy machine starves the server and the load generator alike)`);
