// A container's main process and the log an attach follows: the two races that lost a
// `kubectl run -i` under load (its pod stayed Running with the attach open; its output
// never reached the attach).
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pbkdf2 } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMain } from '../../src/providers/netns/container-main.js';
import { streamLog } from '../../src/providers/netns/container-logs.js';

const dir = mkdtempSync(join(tmpdir(), 'hoplab-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Keeps every thread of libuv's pool busy for about `ms`: file closes queue behind it, as on a loaded machine. */
function busyPool(ms: number): Promise<unknown> {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  // Iterations calibrated once so that one job takes about `ms`.
  const t0 = Date.now();
  let n = 1000;
  return new Promise((resolve) => pbkdf2('p', 's', n, 32, 'sha512', resolve)).then(() => {
    const per = Math.max(0.001, (Date.now() - t0) / n);
    n = Math.ceil(ms / per);
    return Promise.all(Array.from({ length: threads }, () => new Promise((r) => pbkdf2('p', 's', n, 32, 'sha512', r))));
  });
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'no end seen'>((r) => setTimeout(() => r('no end seen'), ms))]);

describe('a container main process with stdin (kubectl run -i)', () => {
  it('is seen to end when it ends while its log file is still being closed', async () => {
    const logFile = join(dir, 'short.log');
    writeFileSync(logFile, '');
    // The pool is busy when startMain closes its copy of the log file: the command ends before that close does.
    await busyPool(50); // calibration
    const busy = busyPool(600);
    const main = await startMain(['sh', '-c', 'echo line; exit 3'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, logFile, stdin: true, tty: false });
    expect(await within(main.exited, 5_000)).toBe(3);
    await busy;
  });
});

describe("following a log to its writer's end", () => {
  it('reads what was written before the writer was seen to end, even when it ended during the read of the size', async () => {
    const file = join(dir, 'follow.log');
    writeFileSync(file, '');
    let calls = 0;
    // The writer's last output and its end land together, as a short command's do: the first time the
    // stream asks, the output is there and the writer is over.
    const ended = () => {
      if (calls++ === 0) appendFileSync(file, 'line1\nline2\n');
      return true;
    };
    const s = streamLog(file, { follow: true, from: 0, signal: new AbortController().signal, ended });
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('line1\nline2\n');
  });
});
