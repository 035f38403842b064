// Driving kubectl's streaming commands in tests: `kubectl run -it` on a
// pseudo-terminal, and `kubectl port-forward` whose local port is read from
// what it prints.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import pty from 'node-pty';
import { waitFor } from './wait.js';

/** Runs kubectl on a terminal, types `lines` once `prompt` shows, and returns what it printed and its exit code. */
export async function kubectlOnTerminal(bin: string, args: string[], env: Record<string, string>, prompt: string, lines: string[]): Promise<{ out: string; code: number }> {
  const term = pty.spawn(bin, args, { cols: 91, rows: 27, env: { ...process.env, ...env } as Record<string, string> });
  let out = '';
  term.onData((d) => (out += d));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  try {
    await waitFor(`prompt ${JSON.stringify(prompt)}`, () => out.includes(prompt), 60_000, 50);
    for (const l of lines) term.write(`${l}\r`);
    return { code: await exited, out };
  } finally {
    term.kill();
  }
}

export interface Forward {
  port: number;
  output: () => string;
  stop(): void;
}

/** Starts `kubectl port-forward TARGET :REMOTE` and resolves once it says which local port it listens on. */
export async function portForward(bin: string, target: string, remote: number, env: Record<string, string>): Promise<Forward> {
  const child = spawn(bin, ['port-forward', target, `:${remote}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const port = await waitFor('kubectl port-forward listening', () => Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)?.[1]) || undefined, 30_000, 50).catch((err: Error) => {
    child.kill();
    throw new Error(`${err.message}; kubectl said: ${out}`);
  });
  return { port, output: () => out, stop: () => child.kill() };
}

/** GET http://127.0.0.1:port/path: status and body, or the error's message. */
export function httpGet(port: number, path = '/'): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message }));
  });
}
