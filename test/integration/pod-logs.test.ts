// kubectl logs with --timestamps, --since, --since-time, --tail and
// --limit-bytes combined, and --previous after a restart, on the embedded lab
// through the built binary and the real kubectl (the one on PATH and 1.20),
// compared with what kubelet does: an RFC 3339 time (Go's RFC3339Nano, UTC)
// before each line, the time the line arrived; tail picks lines first, then
// since drops the older ones; limit-bytes counts the timestamps too; --previous
// is the run before the restart, an error when there is none, and with
// --follow it ends at that run's last line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { ROOT, hoplab, until } from '../helpers/cli.js';
import { labKubectl } from '../helpers/lab-direct.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';
import { labPaths } from '../../src/providers/netns/state.js';
import { run } from '../../src/core/exec.js';

const lab = testLabName('logs');
const env = { HOPLAB_LAB: lab };
const k = labKubectl(lab);
const KUBECTL_120 = join(ROOT, '.cache/kubectl-1.20/usr/bin/kubectl');
const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z) (.*)$/;

/** "time line" pairs of a --timestamps output, the time in ms. */
function stamped(out: string): { ms: number; stamp: string; text: string }[] {
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const m = STAMP.exec(l);
      if (!m) throw new Error(`no timestamp in ${JSON.stringify(l)}`);
      return { ms: Date.parse(m[1]!), stamp: m[1]!, text: m[2]! };
    });
}

describe.skipIf(skip)('kubectl logs options on the netns lab', { timeout: 90_000 }, () => {
  let t0 = 0;
  beforeAll(async () => {
    expect((await hoplab(['up'], env)).code).toBe(0);
    t0 = Date.now();
    expect((await k('run', 'ticker', '--image=busybox', '--', 'sh', '-c', 'i=0; while true; do echo line $i; i=$((i+1)); sleep 1; done')).code).toBe(0);
    // Restarted by kubelet's back-off (10 s) after each run.
    expect((await k('run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo run $(cat /proc/uptime); sleep 1; exit 3')).code).toBe(0);
    await until('ticker printed 5 lines', async () => ((await k('logs', 'ticker')).stdout.split('\n').length > 5 ? true : undefined), 60_000);
  }, 120_000);

  afterAll(async () => {
    expect((await hoplab(['down'], env)).code).toBe(0);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('--timestamps: each line with the RFC 3339 time it arrived', async () => {
    const lines = stamped((await k('logs', 'ticker', '--timestamps')).stdout);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    lines.forEach((l, i) => expect(l.text).toBe(`line ${i}`));
    expect(lines[0]!.ms).toBeGreaterThanOrEqual(t0 - 1000);
    expect(lines[lines.length - 1]!.ms).toBeLessThanOrEqual(Date.now());
    // One a second, as the loop prints them: the times are the lines', not the request's.
    for (let i = 1; i < lines.length; i++) {
      const gap = lines[i]!.ms - lines[i - 1]!.ms;
      expect(gap).toBeGreaterThan(700);
      expect(gap).toBeLessThan(2500);
    }
  });

  it('--since and --since-time keep only the newer lines; --tail picks first, limit-bytes counts the timestamps', async () => {
    const all = stamped((await k('logs', 'ticker', '--timestamps')).stdout);
    const recent = (await k('logs', 'ticker', '--since=3s')).stdout.trim().split('\n');
    expect(recent.length).toBeGreaterThanOrEqual(1);
    expect(recent.length).toBeLessThanOrEqual(4);
    expect(Number(recent[0]!.split(' ')[1])).toBeGreaterThan(all.length - 6);
    // since-time goes as whole seconds (kubectl sends RFC 3339): every line of that second on.
    const pivot = all[2]!;
    const second = `${pivot.stamp.slice(0, 19)}Z`;
    const since = stamped((await k('logs', 'ticker', '--timestamps', `--since-time=${second}`)).stdout);
    const expected = all.filter((l) => l.ms >= Date.parse(second));
    expect(since.slice(0, expected.length).map((l) => l.text)).toEqual(expected.map((l) => l.text));
    expect(since[0]!.ms).toBeGreaterThanOrEqual(Date.parse(second));
    const tail = stamped((await k('logs', 'ticker', '--timestamps', '--tail=2')).stdout);
    expect(tail).toHaveLength(2);
    expect(Number(tail[1]!.text.split(' ')[1]) - Number(tail[0]!.text.split(' ')[1])).toBe(1);
    // Tail first, then since: the last 3 lines, of which those in the last hour (all of them).
    expect((await k('logs', 'ticker', '--tail=3', '--since=1h')).stdout.trim().split('\n')).toHaveLength(3);
    const cut = (await k('logs', 'ticker', '--timestamps', '--limit-bytes=25')).stdout;
    expect(cut).toHaveLength(25);
    expect(cut).toBe(`${all[0]!.stamp} line 0\n`.slice(0, 25));
  });

  it('--previous before any restart is kubelet\'s error', async () => {
    const r = await k('logs', 'ticker', '--previous');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('previous terminated container "ticker" in pod "ticker" not found');
  });

  it('--previous after a restart is the run before it, with its times; --previous --follow ends', async () => {
    await until(
      'crash restarted and ran again',
      async () => {
        const count = Number((await k('get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout || 0);
        return count >= 1 && (await k('logs', 'crash')).stdout.startsWith('run ') ? true : undefined;
      },
      60_000,
    );
    const restarts = async () => (await k('get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout;
    // Read while no restart comes between the reads (the back-off restarts it again after 20 s).
    let current = '';
    let previous: ReturnType<typeof stamped> = [];
    let follow = { code: -1, stdout: '' };
    let started = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await restarts();
      current = (await k('logs', 'crash')).stdout;
      previous = stamped((await k('logs', 'crash', '--previous', '--timestamps')).stdout);
      started = Date.now();
      follow = await k('logs', 'crash', '--previous', '-f');
      if ((await restarts()) === before) break;
    }
    expect(previous).toHaveLength(1);
    expect(previous[0]!.text).toMatch(/^run \d/);
    expect(`${previous[0]!.text}\n`).not.toBe(current);
    expect(previous[0]!.ms).toBeLessThan(Date.now() - 5000); // before the 10 s back-off
    expect(follow.code).toBe(0);
    expect(follow.stdout).toBe(`${previous[0]!.text}\n`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it.skipIf(!existsSync(KUBECTL_120))('kubectl 1.20 sends the same options (--timestamps --tail --since)', async () => {
    const r = await run([KUBECTL_120, 'logs', 'ticker', '--timestamps', '--tail=2', '--since=1h'], { env: { KUBECONFIG: labPaths(lab).kubeconfig, HOME: '/tmp' }, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(stamped(r.stdout)).toHaveLength(2);
  });
});
