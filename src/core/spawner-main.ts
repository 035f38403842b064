// The spawner helper: a small process that starts programs for a big one
// (the lab daemon). Node's spawn() is synchronous: it forks and then waits
// until the child has exec'd, which on a loaded machine is a trip through the
// scheduler (tens of ms) and, from a process of a few hundred MB, a copy of
// its page tables. A thousand pods make thousands of such calls; done here,
// they block this helper's loop, not the daemon's, which keeps answering the API.
//
// Protocol: one JSON object per line each way (see spawner.ts). It exits when
// its stdin ends (the daemon went away); programs it started detached live on.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SpawnReply, SpawnRequest } from './spawner-protocol.js';

const children = new Map<number, ChildProcess>();
const send = (reply: SpawnReply) => process.stdout.write(JSON.stringify(reply) + '\n');

function env(req: SpawnRequest): NodeJS.ProcessEnv {
  if (req.replaceEnv) return req.env ?? {};
  return req.env ? { ...process.env, ...req.env } : process.env;
}

/** Starts a long-lived program with its output appended to a file; says its pid, later its end. */
function start(req: SpawnRequest & { logFile: string }): void {
  const fd = openSync(req.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(req.argv[0]!, req.argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], cwd: req.cwd, env: env(req) });
  } finally {
    closeSync(fd);
  }
  child.once('error', (err) => send({ id: req.id, error: err.message }));
  if (child.pid === undefined) return; // 'error' follows
  send({ id: req.id, pid: child.pid });
  child.once('exit', (code, signal) => send({ id: req.id, exit: { code, signal } }));
  child.unref();
}

/** Runs a program to its end, with its output collected. */
function run(req: SpawnRequest): void {
  const child = spawn(req.argv[0]!, req.argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], cwd: req.cwd, env: env(req) });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let why: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (reason: string) => {
    why ??= reason;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  };
  if (req.timeoutMs) timer = setTimeout(() => stop(`timed out after ${req.timeoutMs} ms`), req.timeoutMs);
  if (child.pid !== undefined) children.set(req.id, child);
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  child.stdin!.on('error', () => undefined); // a program that does not read its input
  child.stdin!.end(req.input ?? '');
  let done = false;
  const finish = (exitCode: number | undefined, extra = '') => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    children.delete(req.id);
    send({ id: req.id, exitCode, why, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() + extra });
  };
  child.once('error', (e) => finish(undefined, `${e.message}\n`));
  // 'close', not 'exit': the output is complete only once the pipes are.
  child.once('close', (code) => finish(why ? undefined : (code ?? undefined)));
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let req: SpawnRequest;
  try {
    req = JSON.parse(line) as SpawnRequest;
  } catch {
    return;
  }
  if (req.kill !== undefined) {
    const c = children.get(req.kill);
    if (c) {
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 2000).unref();
    }
    return;
  }
  try {
    if (req.logFile) start(req as SpawnRequest & { logFile: string });
    else run(req);
  } catch (e) {
    send({ id: req.id, error: (e as Error).message });
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdout.on('error', () => process.exit(0));
