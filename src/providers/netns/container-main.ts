// A container's main process and `kubectl attach` to it. Its output goes to
// the container's log file whatever it is attached to, so `kubectl logs` and
// attach read one record. A container whose spec asks for stdin keeps a pipe
// to it, one asking for a tty runs on a pseudo-terminal (node-pty) whose
// output the daemon appends to the log: both are held by the daemon for
// attach, which writes to them and follows the log.
import { spawn } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { ExecSession } from '../../kube/runtime.js';
import { startDetached } from '../../core/exec.js';
import { loadPty } from './container-exec.js';
import { streamLog } from './container-logs.js';
import { exitCodeOf } from './sandbox.js';

export interface MainIO {
  /** Absent unless the spec asked for stdin. */
  stdin?: { write(data: Buffer): void; end(): void };
  resize?(cols: number, rows: number): void;
}

export interface MainProcess {
  /** Leader of the process group that holds the whole container. */
  pid: number | undefined;
  io: MainIO;
  /** The exit code kubelet reports (128 + signal for a killed process). */
  exited: Promise<number>;
}

export async function startMain(
  argv: string[],
  o: { cwd: string; env: Record<string, string>; logFile: string; stdin: boolean; tty: boolean },
): Promise<MainProcess> {
  if (o.tty) {
    const log = createWriteStream(o.logFile, { flags: 'a' });
    log.on('error', () => undefined);
    // node-pty starts it in a session of its own: its pid leads the container's process group.
    const term = loadPty().spawn(argv[0]!, argv.slice(1), { name: 'xterm', cols: 80, rows: 24, cwd: o.cwd, env: o.env, encoding: null });
    term.onData((d) => log.write(d));
    const exited = new Promise<number>((resolve) =>
      term.onExit(({ exitCode, signal }) => {
        log.end();
        resolve(signal ? 128 + signal : exitCode);
      }),
    );
    return {
      pid: term.pid,
      exited,
      io: {
        // Closing a terminal's input is an end-of-file character, as a terminal user types it.
        stdin: o.stdin ? { write: (d) => term.write(d), end: () => term.write('\x04') } : undefined,
        resize: (cols, rows) => term.resize(cols, rows),
      },
    };
  }
  if (!o.stdin) {
    // Nothing for the daemon to hold: started through its spawner helpers
    // (core/spawner.ts), so the fork never blocks the API's event loop.
    const started = await startDetached(argv, { env: o.env, cwd: o.cwd, logFile: o.logFile }).catch(() => undefined);
    if (!started) return { pid: undefined, io: {}, exited: Promise.resolve(127) };
    const exited = started.exited.then(
      ({ code, signal }) => exitCodeOf(code, signal),
      () => new Promise<number>(() => undefined), // a helper died: its end is unknown, it stays Running
    );
    return { pid: started.pid, io: {}, exited };
  }
  const fh = await open(o.logFile, 'a');
  const child = spawn(argv[0]!, argv.slice(1), {
    detached: true, // its own process group: deletion kills the whole tree
    stdio: [o.stdin ? 'pipe' : 'ignore', fh.fd, fh.fd],
    cwd: o.cwd,
    env: o.env,
  });
  // Listened to before anything is awaited: a short command can end during the close below, and an
  // 'exit' emitted with no listener is gone (the container then stayed Running, its attach open, forever).
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(128));
    child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
  });
  child.stdin?.on('error', () => undefined); // EPIPE once the process has ended
  await fh.close();
  return {
    pid: child.pid,
    exited,
    io: { stdin: child.stdin ? { write: (d) => child.stdin!.write(d), end: () => child.stdin!.end() } : undefined },
  };
}

/**
 * An attach to a main process: its output from the log (from now on, or from the
 * start with `replay`), until that run of the container ends; stdin to its input.
 * `kill` detaches; with stdinOnce the container's stdin closes when the attach that used it ends.
 */
export function attachSession(a: {
  logFile: string;
  pid: number | undefined;
  /** The container's current main process. */
  running: () => number | undefined;
  io: MainIO | undefined;
  replay: boolean;
  stdinOnce: boolean;
  stdin: boolean;
  tty: boolean;
}): ExecSession {
  const abort = new AbortController();
  const stdout = streamLog(a.logFile, {
    follow: true,
    // Taken now, not once the file is open: output the container writes right after the attach is the attach's.
    from: a.replay ? 0 : sizeOf(a.logFile),
    signal: abort.signal,
    ended: () => a.pid === undefined || a.running() !== a.pid,
  });
  const exited = new Promise<number>((resolve) => {
    stdout.on('end', () => resolve(0));
    stdout.on('close', () => resolve(0));
  });
  const input = a.stdin ? a.io?.stdin : undefined;
  let closedInput = false;
  const closeInput = () => {
    if (closedInput || !input || !a.stdinOnce) return;
    closedInput = true;
    input.end();
  };
  const stdin = input
    ? new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (!closedInput) input.write(chunk);
          cb();
        },
        final(cb) {
          closeInput();
          cb();
        },
      })
    : null;
  return {
    stdin,
    stdout,
    stderr: null,
    resize: (cols, rows) => a.io?.resize?.(cols, rows),
    exited,
    kill: () => {
      abort.abort();
      closeInput();
    },
  };
}


function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
