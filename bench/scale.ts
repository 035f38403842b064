// The embedded lab at scale (part of `npm run bench`):
// - `up` of 3 nodes beside bench/plain-topology.sh (median of 5, same run), with the phases of `up`;
// - a Deployment of 100 replicas on 10 workers, up to `kubectl rollout status`, beside
//   Mininet's 100 hosts (`mn --switch lxbr --controller none --topo single,100 --test none`)
//   when mn is installed;
// - a Deployment of 1000 replicas on 20 workers: GET pods latency sampled during the
//   rollout (p50/p99/max, unanswered), the daemon's peak RSS, `down` time, and the
//   daemon's CPU profile (node --cpu-prof) reduced to its hottest functions.
// Prints figures; asserts nothing.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRequest } from '../src/providers/netns/api-client.js';
import { createNetnsProvider } from '../src/providers/netns/provider.js';
import { isAlive } from '../src/providers/netns/teardown.js';
import { labPaths } from '../src/providers/netns/state.js';
import { run, which } from '../src/core/exec.js';
import { apiRecord, hoplab, median, percentile, plain, sh, since, timed } from './common.js';
import { topFunctions, type CpuProfile } from './cpu-profile.js';

const ms = (x: number) => `${x.toFixed(0)} ms`;
/** The labs' names start with this (BENCH_LAB), so runs beside each other do not collide. */
const prefix = process.env.BENCH_LAB ?? 'bench';

/** `up` through the provider in this process, so each phase's end is timed. */
async function upPhases(lab: string, workers: number): Promise<{ total: number; phases: [string, number][] }> {
  const t = process.hrtime.bigint();
  const ends = new Map<string, number>();
  await createNetnsProvider(lab).up({
    cni: 'flannel-host-gw',
    workers,
    onEvent: (e) => {
      if (e.type === 'phase' && e.state === 'done') ends.set(e.phase, since(t)); // the last node's end
    },
  });
  const total = since(t);
  return { total, phases: [...ends.entries()].sort((a, b) => a[1] - b[1]) };
}

export async function upVersusScript(runs: number): Promise<void> {
  const lab = `${prefix}up3`;
  const h: number[] = [];
  const s: number[] = [];
  let phases: [string, number][][] = [];
  for (let i = 0; i < runs; i++) {
    const r = await upPhases(lab, 2);
    h.push(r.total);
    phases.push(r.phases);
    sh('node', [hoplab, '--name', lab, 'down']);
    s.push(timed(() => sh('bash', [plain, 'up', 'bpu3', '3', '2'])));
    sh('bash', [plain, 'down', 'bpu3', '3']);
  }
  const up = median(h);
  const script = median(s);
  console.log(`\n3 nodes: hoplab up ${ms(up)} vs plain-topology.sh (3 nodes, 2 pods) ${ms(script)} = ${(up / script).toFixed(2)}x (median of ${runs})`);
  // The phases of the median run: when each ended, from the start of up.
  const mid = phases[h.indexOf(up)] ?? [];
  console.log(`  phases of up (end, from its start): ${mid.map(([p, t]) => `${p} ${t.toFixed(0)}`).join(', ')}`);
}

interface Sample {
  ms: number;
  ok: boolean;
}

/** GET pods every `everyMs` (not waiting for the previous answer) until stopped. */
function sampleGetPods(lab: string, everyMs: number) {
  const api = apiRecord(lab);
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const t = process.hrtime.bigint();
    const p = apiRequest(api, 'GET', '/api/v1/namespaces/default/pods', undefined, { timeoutMs: 10_000 })
      .then((r) => void samples.push({ ms: since(t), ok: r.status === 200 }))
      .catch(() => void samples.push({ ms: since(t), ok: false }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await Promise.all(inFlight);
    return samples;
  };
}

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function stopForProfile(pid: number, dir: string): Promise<CpuProfile | undefined> {
  process.kill(pid, 'SIGTERM'); // the daemon exits cleanly on SIGTERM, which writes the profile
  const end = Date.now() + 20_000;
  while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const newest = files.map((f) => join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  // BENCH_PROFILE_OUT keeps the whole profile (for Chrome's DevTools or a closer look).
  if (newest && process.env.BENCH_PROFILE_OUT) copyFileSync(newest, process.env.BENCH_PROFILE_OUT);
  return newest ? (JSON.parse(readFileSync(newest, 'utf8')) as CpuProfile) : undefined;
}

/** A process's own CPU time and that of the children it has reaped, in ms (/proc/PID/stat, 100 ticks a second). */
function procCpu(pid: number): { own: number; reaped: number; ppid: number } {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
  const t = (i: number) => Number(f[i - 3]) * 10;
  return { own: t(14) + t(15), reaped: t(16) + t(17), ppid: Number(f[1]) };
}

/** The daemon's CPU, and that of the programs it ran: its spawner helpers and what they reaped (containers still running not counted). */
function cpuTimes(pid: number): { own: number; children: number } {
  const d = procCpu(pid);
  let children = d.reaped;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const c = procCpu(Number(e));
      if (c.ppid === pid) children += c.own + c.reaped;
    } catch {
      /* gone meanwhile */
    }
  }
  return { own: d.own, children };
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The daemon's event-loop and programs' CPU lines (see reportLoopDelay in daemon.ts) after asking for them with SIGUSR2. */
async function loopDelay(lab: string, pid: number): Promise<{ loop?: string; programs?: string }> {
  const log = labPaths(lab).daemonLog;
  const before = readFileSync(log, 'utf8').length;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    const text = readFileSync(log, 'utf8').slice(before);
    const m = /event loop delay: (.*)/.exec(text);
    if (m) return { loop: m[1], programs: /programs' CPU: (.*)/.exec(text)?.[1] };
    await new Promise((r) => setTimeout(r, 100));
  }
  return {};
}

interface RolloutResult {
  load: string;
  cpu: { own: number; children: number };
  loop?: string;
  /** The CPU of the programs the daemon ran during the rollout, by program (its native spawner's count). */
  programs?: string;
  up: number;
  rollout: number;
  rolloutError?: string;
  running: number;
  samples: Sample[];
  rssMb: number;
  down: number;
  downPhases: string[];
  profile?: CpuProfile;
}

/** up, `kubectl create deployment --replicas`, `kubectl rollout status`, down; GET pods sampled meanwhile. */
async function rollout(lab: string, workers: number, replicas: number, opts: { profile?: boolean } = {}): Promise<RolloutResult> {
  const profDir = opts.profile ? mkdtempSync(join(tmpdir(), 'hoplab-prof-')) : undefined;
  const env = profDir ? { HOPLAB_DAEMON_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${profDir}` } : undefined;
  const up = timed(() => sh('node', [hoplab, '--name', lab, 'up', '--workers', String(workers)], env));
  const pid = apiRecord(lab).pid;
  await loopDelay(lab, pid); // starts the daemon's count over
  const cpu0 = cpuTimes(pid);
  const stop = sampleGetPods(lab, 250);
  const t = process.hrtime.bigint();
  // Asynchronously: the sampler keeps its pace meanwhile.
  const kubectl = (args: string[]) => run(['node', hoplab, '--name', lab, 'kubectl', ...args]);
  const created = await kubectl(['create', 'deployment', 'bench', '--image=httpd', `--replicas=${replicas}`]);
  // BENCH_SERVICE=1: a Service in front of the Deployment, so kube-proxy and DNS follow every endpoint of the rollout.
  const exposed = created.exitCode === 0 && process.env.BENCH_SERVICE === '1' ? await kubectl(['expose', 'deployment', 'bench', '--port=80']) : created;
  let rolloutError: string | undefined;
  if (created.exitCode !== 0) rolloutError = created.stderr.trim();
  else if (exposed.exitCode !== 0) rolloutError = exposed.stderr.trim();
  else {
    const st = await kubectl(['rollout', 'status', 'deployment/bench', '--timeout=600s']);
    if (st.exitCode !== 0) rolloutError = st.stderr.trim() || st.stdout.trim();
  }
  const rolloutMs = since(t);
  const samples = await stop();
  const cpu1 = cpuTimes(pid);
  const cpu = { own: cpu1.own - cpu0.own, children: cpu1.children - cpu0.children };
  const { loop, programs } = await loopDelay(lab, pid);
  const load = loadAverage();
  // Whatever fails from here on, the lab goes down.
  const running = await apiRequest<{ items: any[] }>(apiRecord(lab), 'GET', '/api/v1/namespaces/default/pods', undefined, { timeoutMs: 60_000 })
    .then((list) => list.json.items.filter((p) => p.status?.phase === 'Running').length)
    .catch(() => NaN);
  const rssMb = peakRss(pid);
  const profile = profDir ? await stopForProfile(pid, profDir).catch(() => undefined) : undefined;
  let downOut = '';
  const down = timed(() => void (downOut = sh('node', [hoplab, '--name', lab, 'down'])));
  // down's phases (the lines it prints with their times), for where its time went.
  const downPhases = downOut.split('\n').filter((l) => /^\s*[\d.]+s\s/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));
  if (profDir) rmSync(profDir, { recursive: true, force: true });
  return { load, cpu, loop, programs, up, rollout: rolloutMs, rolloutError, running, samples, rssMb, down, downPhases, profile };
}

function printRollout(title: string, r: RolloutResult): void {
  const lat = r.samples.map((s) => s.ms);
  const failed = r.samples.filter((s) => !s.ok).length;
  console.log(`\n${title}`);
  console.log(`  up ${ms(r.up)}; create deployment -> rollout status returned ${ms(r.rollout)}${r.rolloutError ? ` (FAILED: ${r.rolloutError.split('\n')[0]})` : ''}; up + rollout ${ms(r.up + r.rollout)}`);
  console.log(`  ${Number.isNaN(r.running) ? 'pods Running unknown (the list got no answer in 60 s)' : `${r.running} pods Running`}; down ${ms(r.down)}; daemon peak RSS ${r.rssMb.toFixed(0)} MB`);
  console.log(
    `  GET pods during the rollout: ${r.samples.length} requests, p50 ${ms(percentile(lat, 50))}, p99 ${ms(percentile(lat, 99))}, max ${ms(Math.max(...lat))}, ${failed} unanswered`,
  );
  console.log(`  daemon during the rollout: CPU ${ms(r.cpu.own)}, the programs it ran (through its spawner helpers) ${ms(r.cpu.children)}; event loop delay ${r.loop ?? 'not reported'}`);
  if (r.programs) console.log(`  the programs that ended during the rollout, by program (CPU with what each reaped): ${r.programs}`);
  if (r.downPhases.length) console.log(`  down's phases: ${r.downPhases.join('; ')}`);
  console.log(`  load average at the end of the rollout: ${r.load} (other processes on the machine slow every figure)`);
}

function printProfile(profile: CpuProfile | undefined): void {
  if (!profile) return void console.log('  (no CPU profile was written)');
  console.log('  daemon CPU profile, top functions by self time:');
  for (const f of topFunctions(profile, 10)) {
    console.log(`    ${f.selfMs.toFixed(0).padStart(7)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
  }
}

async function mininet(hosts: number): Promise<number | undefined> {
  if (!(await which('mn'))) return undefined;
  return timed(() => sh('mn', ['--switch', 'lxbr', '--controller', 'none', '--topo', `single,${hosts}`, '--test', 'none']));
}

export async function scaleBench(opts: { runs?: number; big?: number } = {}): Promise<void> {
  await upVersusScript(opts.runs ?? 5);

  const r100 = await rollout(`${prefix}10w`, 10, 100);
  printRollout('10 workers, Deployment of 100 replicas (kubectl create deployment, then rollout status)', r100);
  const mn = await mininet(100);
  console.log(
    mn === undefined
      ? '  Mininet: mn is not installed (apt-get install mininet), no comparison'
      : `  Mininet, 100 hosts up + down (mn --switch lxbr --controller none --topo single,100 --test none): ${ms(mn)}; hoplab up + rollout ${ms(r100.up + r100.rollout)} = ${((r100.up + r100.rollout) / mn).toFixed(2)}x`,
  );

  await bigRollout(opts.big ?? 1000, 20);
}

/** The big Deployment alone, profiled (BENCH_ONLY=rollout runs just this, with BENCH_PODS and BENCH_WORKERS). */
export async function bigRollout(replicas: number, workers: number): Promise<void> {
  const r = await rollout(`${prefix}${workers}w`, workers, replicas, { profile: true });
  printRollout(`${workers} workers, Deployment of ${replicas} replicas`, r);
  printProfile(r.profile);
}
