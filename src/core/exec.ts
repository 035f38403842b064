// The one place hoplab starts a short-lived process. Everything else calls
// run() so timeouts, cancellation and error messages behave the same.
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import { CommandError } from './errors.js';
import type { Spawner, Started } from './spawner.js';
import { dispatchedKubectl } from './kubectl-dispatcher.js';

let spawner: Spawner | undefined;

/**
 * From now on run() and startDetached() in this process go through `s`
 * (spawner.ts), or execa again with undefined: the lab daemon does this so its
 * event loop never waits on a fork, `up` while it builds. Others keep execa,
 * whose streaming the CLI uses. Returns the one before, for its caller to put back.
 */
export function useSpawner(s: Spawner | undefined): Spawner | undefined {
  const before = spawner;
  spawner = s;
  return before;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function execaOptions(opts: RunOptions) {
  return {
    input: opts.input,
    env: opts.env,
    extendEnv: true,
    cancelSignal: opts.signal,
    timeout: opts.timeoutMs,
    cwd: opts.cwd,
    reject: false,
    stripFinalNewline: false,
    forceKillAfterDelay: 2000,
  } as const;
}

interface Finished {
  failed: boolean;
  exitCode?: number;
  timedOut: boolean;
  isCanceled: boolean;
  shortMessage?: string;
}

function result(r: Finished, stdout: string, stderr: string, opts: RunOptions): RunResult {
  if (r.failed && r.exitCode === undefined) {
    // The process never ran (ENOENT, EACCES) or was cancelled/timed out.
    const why = r.timedOut ? `timed out after ${opts.timeoutMs} ms` : r.isCanceled ? 'cancelled' : r.shortMessage;
    return { exitCode: 127, stdout, stderr: `${stderr}${why}\n` };
  }
  return { exitCode: r.exitCode ?? 1, stdout, stderr };
}

/** Runs argv to completion; never throws for a non-zero exit, only when the program cannot start. */
export async function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('run: empty command');
  if (spawner) return runThrough(spawner, argv, opts);
  const r = await execa(file, args, execaOptions(opts));
  return result(r, String(r.stdout ?? ''), String(r.stderr ?? ''), opts);
}

/** run() through a given spawner (a helper living in a namespace, say), with run()'s results. */
export async function runThrough(s: Spawner, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env = opts.env ? (Object.fromEntries(Object.entries(opts.env).filter(([, v]) => v !== undefined)) as Record<string, string>) : undefined;
  const r = await s.run(argv, { input: opts.input, env, cwd: opts.cwd, timeoutMs: opts.timeoutMs, signal: opts.signal });
  if (r.exitCode === undefined) return { exitCode: 127, stdout: r.stdout, stderr: `${r.stderr}${r.why ? `${r.why}\n` : ''}` };
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts a long-lived program in its own process group (so its whole tree
 * can be killed), stdout and stderr appended to logFile, env its whole
 * environment: a container's first process.
 */
export async function startDetached(argv: string[], opts: { env: Record<string, string>; cwd?: string; logFile: string }): Promise<Started> {
  if (spawner) return spawner.start(argv, opts);
  const fd = openSync(opts.logFile, 'a');
  try {
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], cwd: opts.cwd, env: opts.env });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', reject);
    });
    if (child.pid === undefined) {
      await exited; // rejects with the reason it did not start
      throw new Error(`${argv[0]} did not start`);
    }
    exited.catch(() => undefined);
    return { pid: child.pid, exited };
  } finally {
    closeSync(fd);
  }
}

/** Runs argv and returns stdout; throws a CommandError (exit 3, naming the command) when it fails. */
export async function runOk(argv: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.exitCode !== 0) throw new CommandError(argv, r.exitCode, r.stderr.trim() || r.stdout);
  return r.stdout;
}

/** Is a program on PATH? */
export async function which(program: string): Promise<string | undefined> {
  // Looked up here rather than with `sh -c 'command -v'`: doctor and `up` ask for a dozen programs.
  const dirs = program.includes('/') ? [''] : (process.env.PATH ?? '/usr/bin:/bin').split(':').filter(Boolean);
  for (const dir of dirs) {
    const full = dir ? join(dir, program) : program;
    try {
      await access(full, constants.X_OK);
      return full;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export interface StreamOptions extends RunOptions {
  /** Called for every complete line of stdout or stderr as it arrives (no trailing newline). */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Like run(), but hands each output line to onLine while the program runs:
 * for long jobs (`vagrant up`) whose progress the user should see live.
 */
export async function runStreaming(argv: string[], opts: StreamOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runStreaming: empty command');
  const child = execa(file, args, { ...execaOptions(opts), buffer: false });
  const collected = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    let pending = '';
    child[name]?.setEncoding('utf8');
    child[name]?.on('data', (chunk: string) => {
      collected[name] += chunk;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        opts.onLine(pending.slice(0, nl).replace(/\r$/, ''), name);
        pending = pending.slice(nl + 1);
      }
    });
    child[name]?.on('end', () => {
      if (pending) opts.onLine(pending, name);
      pending = '';
    });
  }
  return result(await child, collected.stdout, collected.stderr, opts);
}

/**
 * The kubectl program: HOPLAB_KUBECTL (tests, a pinned version), else the
 * kubectl on PATH, or, when that is gcloud's version dispatcher and the API
 * server's version is known, the kubectl it would pick (kubectl-dispatcher.ts).
 */
export function kubectlProgram(serverVersion?: string): string {
  return process.env.HOPLAB_KUBECTL ?? (serverVersion ? dispatchedKubectl(serverVersion) : undefined) ?? 'kubectl';
}
