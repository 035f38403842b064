// The spawner helpers the lab daemon starts its programs through
// (src/core/spawner.ts), the Node one and the native one (native/hoplab-spawner.c)
// alike: output, exit codes, input, environment, time-outs, cancellation,
// detached starts with their end, and a helper that dies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createSpawner } from '../../src/core/spawner.js';
import { ROOT } from '../helpers/cli.js';
import { locateSpawnerHelper } from '../../src/providers/netns/init-helper.js';
import type { Spawner } from '../../src/core/spawner.js';
import { inNs } from '../../src/providers/netns/namespaces.js';
import { mkdirSync, writeFileSync } from 'node:fs';

// The helper is a compiled program of its own.
const script = join(ROOT, 'dist', 'src', 'core', 'spawner-main.js');
const skip = existsSync(script) ? undefined : 'needs `npm run build`';
const dir = mkdtempSync(join(tmpdir(), 'hoplab-spawner-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skip).each(['node', 'native'] as const)('spawner helpers (%s)', (kind) => {
  let s: Spawner;
  // How the dead-helper test finds the helpers: by their command line.
  let helperArgs = '';
  beforeAll(async () => {
    const native = kind === 'native' ? (await locateSpawnerHelper()).path : undefined;
    if (kind === 'native' && !native) throw new Error('the native spawner helper did not build (is cc installed?)');
    s = createSpawner({ count: 2, script, native, name: 'hoplab-spawner-test' });
    helperArgs = native ? 'hoplab-spawner-test' : `hoplab-spawner-test ${script}`;
  }, 30_000);
  afterAll(() => s.close());

  it('runs programs to their end with output, exit code, input and added environment', async () => {
    const [a, b, c] = await Promise.all([
      s.run(['sh', '-c', 'echo out; echo err >&2; exit 3']),
      s.run(['cat'], { input: 'fed\n' }),
      s.run(['sh', '-c', 'echo "$HL_X $PATH"'], { env: { HL_X: 'x1' } }),
    ]);
    expect(a).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(b).toMatchObject({ exitCode: 0, stdout: 'fed\n' });
    expect(c.stdout).toBe(`x1 ${process.env.PATH}\n`);
  });

  it('passes a large input and output whole, and any bytes of text', async () => {
    // More than a pipe holds, both ways at once: the helper must not wait on one while the other fills.
    const big = 'x'.repeat(1 << 20) + '\n';
    const r = await s.run(['cat'], { input: big });
    expect(r.stdout.length).toBe(big.length);
    expect(r.stdout === big).toBe(true);
    const odd = await s.run(['printf', 'a"b\\\\c\\td\\001é\\n']);
    expect(odd.stdout).toBe('a"b\\c\td\u0001é\n');
    // A program looked up on the PATH it is given, in the directory it is given.
    const here = await s.run(['pwd'], { cwd: dir });
    expect(here.stdout).toBe(`${dir}\n`);
  });

  it('counts the CPU of the programs that ended, by program, once (the native helper; none from the Node one)', async () => {
    await s.programCpu(); // what earlier tests ran
    await Promise.all([s.run(['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done']), s.run(['sh', '-c', 'true']), s.run(['cat'], { input: 'x' })]);
    const cpu = await s.programCpu();
    if (kind === 'node') return expect(cpu).toEqual([]);
    expect(cpu.map((p) => [p.name, p.count])).toEqual([
      ['sh', 2],
      ['cat', 1],
    ]);
    expect(cpu[0]!.userMs + cpu[0]!.sysMs).toBeGreaterThan(1);
    expect(await s.programCpu()).toEqual([]);
  });

  it('says why a program did not run or was stopped', async () => {
    const missing = await s.run(['/nonexistent/program']);
    expect(missing.exitCode).toBeUndefined();
    expect(missing.stderr).toMatch(/ENOENT/);
    const slow = await s.run(['sleep', '30'], { timeoutMs: 200 });
    expect(slow).toMatchObject({ exitCode: undefined, why: 'timed out after 200 ms' });
    const ac = new AbortController();
    const p = s.run(['sleep', '30'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect(await p).toMatchObject({ exitCode: undefined, why: 'cancelled' });
  });

  it('starts a detached program with its output in a file, and reports its end', async () => {
    const log = join(dir, `${kind}.log`);
    const started = await s.start(['/bin/sh', '-c', 'echo "hello $HL_Y"; kill -TERM $$'], { env: { HL_Y: 'y1', PATH: '/usr/bin:/bin' }, logFile: log });
    expect(started.pid).toBeGreaterThan(0);
    expect(await started.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(readFileSync(log, 'utf8')).toBe('hello y1\n');
    // Its own process group, so killing -pid reaches its whole tree.
    const long = await s.start(['sleep', '30'], { env: { PATH: '/usr/bin:/bin' }, logFile: log });
    expect(execFileSync('ps', ['-o', 'pgid=', '-p', String(long.pid)]).toString().trim()).toBe(String(long.pid));
    process.kill(-long.pid, 'SIGKILL');
    expect((await long.exited).signal).toBe('SIGKILL');
  });

  it('fails what a dead helper was running and starts a new one for the next request', async () => {
    const pids = () => execFileSync('pgrep', ['-P', String(process.pid), '-x', '-f', helperArgs], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    const p = Promise.allSettled([s.run(['sleep', '30']), s.run(['sleep', '30'])]);
    await new Promise((r) => setTimeout(r, 300));
    for (const pid of pids()) process.kill(pid, 'SIGKILL');
    const settled = await p;
    expect(settled.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect((await s.run(['echo', 'again'])).stdout).toBe('again\n');
  });
});

// A helper living in a namespace (the daemon's per-node helpers): what it starts
// sees the namespace's network and its /etc/netns files, as with `ip netns exec`.
describe.skipIf(skip || process.getuid?.() !== 0)('a native spawner helper in a namespace', () => {
  const ns = `hoplab-spawner-test-${process.pid}`;
  let s: Spawner | undefined;
  afterAll(() => {
    s?.close();
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  });

  it('runs programs in the namespace with its /etc files, and counts them', async () => {
    const native = (await locateSpawnerHelper()).path;
    if (!native) throw new Error('the native spawner helper did not build (is cc installed?)');
    execFileSync('ip', ['netns', 'add', ns]);
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/resolv.conf`, 'nameserver 10.0.2.3\n');
    s = createSpawner({ count: 1, native, prefix: inNs(ns, []) });
    const [resolv, links] = await Promise.all([s.run(['cat', '/etc/resolv.conf']), s.run(['ip', '-o', 'link'])]);
    expect(resolv.stdout).toBe('nameserver 10.0.2.3\n');
    expect(links.stdout.trim().split('\n').map((l) => l.split(': ')[1])).toEqual(['lo']);
    expect((await s.programCpu()).map((p) => p.name).sort()).toEqual(['cat', 'ip']);
  });
});
