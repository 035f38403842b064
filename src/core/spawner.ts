// The client of the spawner helpers (spawner-main.ts): a long-lived process
// that starts many programs (the lab daemon) hands each start to one of a
// few small helper processes instead of forking itself, so its event loop
// never waits on fork and exec. A helper that dies fails what it was running
// and is started again on the next request.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from './package-root.js';
import { encodeNativeRequest, type SpawnReply, type SpawnRequest } from './spawner-protocol.js';

export interface SpawnedResult {
  /** undefined: the program never ran, or was stopped (why says which). */
  exitCode: number | undefined;
  why?: string;
  stdout: string;
  stderr: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Started {
  pid: number;
  /** Its end; rejects when the helper watching it went away first. */
  exited: Promise<Exit>;
}

export interface Spawner {
  run(argv: string[], opts?: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number; signal?: AbortSignal }): Promise<SpawnedResult>;
  /** Starts a detached program (its own process group) with stdout and stderr appended to logFile; env replaces the environment. */
  start(argv: string[], opts: { env: Record<string, string>; cwd?: string; logFile: string }): Promise<Started>;
  /** The CPU of the programs that ended since the last call, by name (the native helper's wait4; none from the Node one). */
  programCpu(): Promise<ProgramCpu[]>;
  close(): void;
}

export interface ProgramCpu {
  /** The program a wrapper ran (`ip netns exec NS P`: P), busybox with its applet. */
  name: string;
  count: number;
  userMs: number;
  sysMs: number;
}

/** Several helpers' counts as one, by program, the costliest first. */
export function mergeProgramCpu(lists: ProgramCpu[][]): ProgramCpu[] {
  const by = new Map<string, ProgramCpu>();
  for (const p of lists.flat()) {
    const s = by.get(p.name) ?? { name: p.name, count: 0, userMs: 0, sysMs: 0 };
    by.set(p.name, { name: p.name, count: s.count + p.count, userMs: s.userMs + p.userMs, sysMs: s.sysMs + p.sysMs });
  }
  return [...by.values()].sort((a, b) => b.userMs + b.sysMs - (a.userMs + a.sysMs));
}

// From the package root: the client may run from a bundle (the daemon's), the helper from tsc's output.
const defaultScript = () => join(packageRoot(), 'dist', 'src', 'core', 'spawner-main.js');

interface Pending {
  reply(r: SpawnReply): void;
  fail(err: Error): void;
}

interface Helper {
  send(req: Omit<SpawnRequest, 'id'>, pending: Pending): number;
  /** Forgets a settled request. */
  done(id: number): void;
  kill(id: number): void;
  close(): void;
}

/**
 * The helper's program: the Node script (JSON lines each way) or the native one (binary requests, JSON
 * replies), started through `prefix` when given (`ip netns exec NS`: a helper living in a namespace).
 */
type HelperProgram = { script: string } | { native: string; prefix?: string[] };

function startHelper(program: HelperProgram, name: string): Helper {
  let child: ChildProcess | undefined;
  const pending = new Map<number, Pending>();
  let next = 1;
  const encode = (req: SpawnRequest): string | Buffer => ('native' in program ? encodeNativeRequest(req) : JSON.stringify(req) + '\n');
  const ensure = (): ChildProcess => {
    if (child) return child;
    const prefix = 'native' in program ? (program.prefix ?? []) : [];
    const argv = 'native' in program ? [...prefix, program.native] : [process.execPath, program.script];
    // Through a wrapper the name goes to the wrapper, which then execs the helper under its path.
    const c = spawn(argv[0]!, argv.slice(1), { argv0: prefix.length ? argv[0] : name, stdio: ['pipe', 'pipe', 'inherit'] });
    c.stdin!.on('error', () => undefined); // its exit below says what happened
    createInterface({ input: c.stdout! }).on('line', (line) => {
      let r: SpawnReply;
      try {
        r = JSON.parse(line) as SpawnReply;
      } catch {
        return;
      }
      pending.get(r.id)?.reply(r);
    });
    c.once('exit', (code, signal) => {
      if (child === c) child = undefined;
      const err = new Error(`the spawner helper exited (${signal ?? code})`);
      for (const p of pending.values()) p.fail(err);
      pending.clear();
    });
    child = c;
    return c;
  };
  return {
    send(req, p) {
      const id = next++;
      pending.set(id, p);
      const c = ensure();
      try {
        c.stdin!.write(encode({ ...req, id }));
      } catch (err) {
        pending.delete(id);
        p.fail(err as Error);
      }
      return id;
    },
    kill(id) {
      child?.stdin!.write(encode({ kill: id, id: 0, argv: [] }));
    },
    done(id) {
      pending.delete(id);
    },
    close() {
      child?.stdin!.end();
      child = undefined;
    },
  };
}

/**
 * `count` helpers, used in turn (each waits out one fork+exec at a time).
 * `native`: the compiled helper (native/hoplab-spawner.c, init-helper.ts), in place of the Node script;
 * `prefix` (native only) starts it through a wrapper, e.g. `ip netns exec NS`, whose namespaces every
 * program it starts then shares.
 */
export function createSpawner(opts: { count?: number; script?: string; native?: string; prefix?: string[]; name?: string } = {}): Spawner {
  const program: HelperProgram = opts.native ? { native: opts.native, prefix: opts.prefix } : { script: opts.script ?? defaultScript() };
  const helpers = Array.from({ length: Math.max(1, opts.count ?? 2) }, () => startHelper(program, opts.name ?? 'hoplab-spawner'));
  let turn = 0;
  const pick = () => helpers[turn++ % helpers.length]!;

  return {
    run(argv, o = {}) {
      if (!argv[0]) return Promise.reject(new Error('run: empty command'));
      const h = pick();
      return new Promise<SpawnedResult>((resolve, reject) => {
        let id = 0;
        const onAbort = () => h.kill(id);
        id = h.send(
          { argv, input: o.input, env: o.env, cwd: o.cwd, timeoutMs: o.timeoutMs },
          {
            reply: (r) => {
              h.done(id);
              o.signal?.removeEventListener('abort', onAbort);
              if ('error' in r) resolve({ exitCode: undefined, stdout: '', stderr: `${r.error}\n` });
              else if ('stdout' in r) resolve({ exitCode: r.exitCode ?? undefined, stdout: r.stdout, stderr: r.stderr, why: o.signal?.aborted ? 'cancelled' : r.why });
            },
            fail: (e) => {
              o.signal?.removeEventListener('abort', onAbort);
              reject(e);
            },
          },
        );
        if (o.signal?.aborted) onAbort();
        else o.signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    start(argv, o) {
      if (!argv[0]) return Promise.reject(new Error('start: empty command'));
      const h = pick();
      return new Promise<Started>((resolve, reject) => {
        let exited!: { resolve(e: Exit): void; reject(e: Error): void };
        const exit = new Promise<Exit>((res, rej) => (exited = { resolve: res, reject: rej }));
        exit.catch(() => undefined); // a caller that does not wait for the end
        let started = false;
        const id = h.send(
          { argv, env: o.env, replaceEnv: true, cwd: o.cwd, logFile: o.logFile },
          {
            reply: (r) => {
              if ('pid' in r) {
                started = true;
                resolve({ pid: r.pid, exited: exit });
              } else if ('exit' in r) {
                h.done(id);
                exited.resolve(r.exit);
              } else if ('error' in r) {
                h.done(id);
                if (started) exited.reject(new Error(r.error));
                else reject(new Error(r.error));
              }
            },
            fail: (e) => (started ? exited.reject(e) : reject(e)),
          },
        );
      });
    },
    async programCpu() {
      if (!('native' in program)) return [];
      const all = await Promise.all(
        helpers.map(
          (h) =>
            new Promise<ProgramCpu[]>((resolve, reject) => {
              const id = h.send(
                { argv: [], stats: true },
                {
                  reply: (r) => {
                    h.done(id);
                    resolve('stats' in r ? r.stats.map(([name, count, userMs, sysMs]) => ({ name, count, userMs, sysMs })) : []);
                  },
                  fail: reject,
                },
              );
            }),
        ),
      );
      return mergeProgramCpu(all);
    },
    close() {
      for (const h of helpers) h.close();
    },
  };
}
