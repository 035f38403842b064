// `kubectl exec` inside a pod: joins the running container's namespaces
// (network, UTS, IPC, mount and PID: its root filesystem, its processes), with
// a pseudo-terminal when one was asked for.
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type { ExecSession } from '../../kube/runtime.js';

// node-pty is loaded on the first TTY exec only: the daemon starts faster without it.
export const loadPty = () => createRequire(import.meta.url)('node-pty') as typeof import('node-pty');
import { enterArgv } from './sandbox.js';

export interface ExecRequest {
  container: string;
  /** The container's launcher process; absent when the container is not running. */
  pid?: number;
  env: string[];
  command: string[];
  tty: boolean;
  stdin: boolean;
}

function execArgv(req: ExecRequest & { pid: number }): string[] {
  // `env` is the container's own (found on the PATH inside its root filesystem).
  return enterArgv(req.pid, ['env', '-i', ...req.env, ...(req.tty ? ['TERM=xterm-256color'] : []), ...req.command]);
}

/** An ExecSession over a pseudo-terminal (node-pty), for `kubectl exec -it`. */
export function ptySession(argv: string[], env?: Record<string, string>): ExecSession {
  const term = loadPty().spawn(argv[0]!, argv.slice(1), { name: 'xterm-256color', cols: 80, rows: 24, ...(env ? { env } : {}) });
  const stdout = new PassThrough();
  term.onData((d) => stdout.write(d));
  const exited = new Promise<number>((resolve) =>
    term.onExit(({ exitCode }) => {
      stdout.end();
      resolve(exitCode);
    }),
  );
  const stdin = new Writable({
    write(chunk, _enc, cb) {
      term.write(chunk.toString('utf8'));
      cb();
    },
  });
  return {
    stdin,
    stdout,
    stderr: null,
    resize: (cols, rows) => {
      if (cols > 0 && rows > 0) term.resize(cols, rows);
    },
    exited,
    kill: () => term.kill('SIGKILL'),
  };
}

function pipeSession(argv: string[], withStdin: boolean): ExecSession {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(126));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 137 : 1)));
  });
  return {
    stdin: child.stdin,
    stdout: child.stdout!,
    stderr: child.stderr!,
    resize: () => undefined,
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

/** A session that only reports why nothing ran: what a runtime answers for a container that is not running. */
export function refusedSession(message: string): ExecSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.end();
  stderr.end(`${message}\n`);
  return { stdin: null, stdout, stderr, resize: () => undefined, exited: Promise.resolve(126), kill: () => undefined };
}

export function execInPod(req: ExecRequest): ExecSession {
  if (!req.pid) return refusedSession(`error: unable to upgrade connection: container not found ("${req.container}")`);
  const argv = execArgv({ ...req, pid: req.pid });
  return req.tty ? ptySession(argv) : pipeSession(argv, req.stdin);
}
