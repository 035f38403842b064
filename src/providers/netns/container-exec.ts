// `kubectl exec` inside a pod: joins the running container's network and UTS
// namespaces (so `hostname` says the pod's name), with a pseudo-terminal when
// one was asked for.
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type { ExecSession } from '../../kube/runtime.js';

// node-pty is loaded on the first TTY exec only: the daemon starts faster without it.
const loadPty = () => createRequire(import.meta.url)('node-pty') as typeof import('node-pty');
import { inNsAs } from './namespaces.js';

export interface ExecRequest {
  ns: string;
  hostname: string;
  pid?: number;
  env: string[];
  command: string[];
  tty: boolean;
  stdin: boolean;
}

function execArgv(req: ExecRequest): string[] {
  const inner = ['/usr/bin/env', '-i', ...req.env, ...(req.tty ? ['TERM=xterm-256color'] : []), ...req.command];
  return req.pid
    ? ['nsenter', '-t', String(req.pid), '-n', '-u', '-m', '--', ...inner]
    : inNsAs(req.ns, req.hostname, inner);
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

export function execInPod(req: ExecRequest): ExecSession {
  const argv = execArgv(req);
  return req.tty ? ptySession(argv) : pipeSession(argv, req.stdin);
}
