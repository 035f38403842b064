// A terminal for end-to-end tests: the real binary in a pseudo-terminal
// (node-pty), its output fed to a headless xterm so tests read the screen as
// a person would see it, and keys sent as a keyboard sends them.
import xterm from '@xterm/headless';
import * as pty from 'node-pty';

export const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03', pgDn: '\x1b[6~' } as const;

export interface Screen {
  /** The visible rows, trailing blanks trimmed. */
  text(): string;
  /** Everything the terminal holds, scrollback included. */
  all(): string;
  press(keys: string): void;
  /**
   * Waits until the screen, settled (no output for a moment, so never half a
   * frame), shows `what`; fails with the screen when it does not in time.
   */
  waitFor(what: string | RegExp | ((screen: string) => boolean), ms?: number, fail?: RegExp): Promise<string>;
  exited: Promise<number>;
  kill(): void;
}

export function openScreen(file: string, args: string[], opts: { env: Record<string, string>; cols?: number; rows?: number; cwd?: string }): Screen {
  const cols = opts.cols ?? 100;
  const rows = opts.rows ?? 30;
  const term = new xterm.Terminal({ cols, rows, scrollback: 2000, allowProposedApi: true });
  const child = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, env: opts.env, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  let pending = Promise.resolve();
  let lastData = Date.now();
  child.onData((d) => {
    lastData = Date.now();
    pending = pending.then(() => new Promise<void>((r) => term.write(d, r)));
  });
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
  let done = false;
  let exitedAt = 0;
  void exited.then(() => {
    done = true;
    exitedAt = Date.now();
  });
  const lines = (from: number, to: number) => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n').replace(/\n+$/, '');
  };
  const text = () => lines(term.buffer.active.viewportY, term.buffer.active.viewportY + rows);
  return {
    text,
    all: () => lines(0, term.buffer.active.length),
    press: (keys) => child.write(keys),
    async waitFor(what, ms = 30_000, fail) {
      const end = Date.now() + ms;
      for (;;) {
        await pending;
        // node-pty can report the exit before the last output arrives: the
        // screen is final only once nothing came for a moment, exited or not.
        const settled = Date.now() - lastData >= 40;
        const finished = done && Date.now() - Math.max(exitedAt, lastData) >= 300;
        const t = text();
        const hit = typeof what === 'string' ? t.includes(what) : typeof what === 'function' ? what(t) : what.test(t);
        if (settled && hit) return t;
        if (settled && fail && fail.test(t)) throw new Error(`the screen shows ${fail} while waiting for ${what}:\n${t}`);
        if (Date.now() > end || finished) throw new Error(`${finished ? 'hoplab exited' : `no ${what} after ${ms} ms`}; the screen:\n${t}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
    kill: () => {
      if (!done) child.kill();
    },
  };
}
