// `s`: the learner's own shell on a node or pod. hoplab hands the whole
// terminal to the child through node-pty (Ink is unmounted meanwhile) rather
// than drawing it in a pane: a real terminal gets every
// program right (less, vi, readline, colours, Ctrl-C to the child, resize)
// with nothing for hoplab to translate key by key, and it is the terminal a
// workshop already knows. The pty still lets hoplab keep a transcript of the
// session, which the step's check can read; @xterm/headless turns its bytes
// into the lines the learner saw.
import { translate, type T } from './i18n.js';
import xterm from '@xterm/headless';
import type { IPty } from 'node-pty';
import type { SpawnSpec } from '../providers/provider.js';
import { sanitizeLine } from './output-buffer.js';

export interface HandoverIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export interface ShellResult {
  exitCode: number;
  /** What the session printed (echoed input included), escapes removed, the last `limit` characters. */
  transcript: string;
}

/**
 * What the session left on the screen, as text: the bytes played through a
 * terminal emulator (@xterm/headless), so line editing and history recall
 * (backspaces, cursor moves, erase-line) end as the line the shell ran, not
 * as every keystroke's echo run together. Lines the terminal wrapped are
 * joined back into one.
 */
export async function transcriptText(raw: string, cols = 200): Promise<string> {
  const term = new xterm.Terminal({ cols: Math.max(20, cols), rows: 24, scrollback: 100_000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) {
    const line = buf.getLine(i);
    if (!line) continue;
    const text = line.translateToString(true);
    if (line.isWrapped && lines.length) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  term.dispose();
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  const text = lines.map((l) => sanitizeLine(l, 2000)).join('\n');
  return text && /\n$/.test(raw) ? `${text}\n` : text;
}

export async function handOver(spec: SpawnSpec, io: HandoverIO, opts: { banner?: string; limit?: number; t?: T } = {}): Promise<ShellResult> {
  const limit = opts.limit ?? 64 * 1024;
  const t = opts.t ?? ((text: string, vars?: Record<string, string | number>) => translate('en', text, vars));
  const { stdin, stdout } = io;
  // Loaded here, so a machine whose node-pty did not build still gets every screen but this one.
  let pty: typeof import('node-pty');
  try {
    pty = await import('node-pty');
  } catch (err) {
    return { exitCode: 127, transcript: t("no interactive shell: node-pty cannot load ({error}); use '{command}' in another terminal", { error: (err as Error).message, command: 'hoplab ssh NODE' }) };
  }
  if (opts.banner) stdout.write(`\x1b[2J\x1b[H${opts.banner}\r\n`);
  let child: IPty;
  try {
    child = pty.spawn(spec.file, spec.args, {
      name: spec.env.TERM ?? process.env.TERM ?? 'xterm-256color',
      cols: stdout.columns || 100,
      rows: stdout.rows || 30,
      env: { ...process.env, ...spec.env } as Record<string, string>,
    });
  } catch (err) {
    return { exitCode: 127, transcript: t('cannot start {file}: {error}', { file: spec.file, error: (err as Error).message }) };
  }
  let raw = '';
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (stdin.isTTY) stdin.setRawMode(true);
  const onInput = (d: Buffer | string) => child.write(typeof d === 'string' ? d : d.toString('utf8'));
  const onResize = () => child.resize(stdout.columns || 100, stdout.rows || 30);
  stdin.on('data', onInput);
  stdin.resume();
  stdout.on('resize', onResize);
  const out = child.onData((d) => {
    stdout.write(d);
    raw += d;
    if (raw.length > limit * 2) raw = raw.slice(raw.length - limit);
  });
  return new Promise((resolve) => {
    child.onExit(({ exitCode }) => {
      out.dispose();
      stdin.off('data', onInput);
      stdout.off('resize', onResize);
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      stdin.pause();
      void transcriptText(raw.slice(-limit), stdout.columns || 100).then((text) => resolve({ exitCode, transcript: text }));
    });
  });
}
