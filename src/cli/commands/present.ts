// `hoplab present LAB`: the instructor's projector view. Each step: its title
// and text, its commands typed out as the runner runs them with their output,
// then the check table and the topology with the traced path lit hop by hop.
// Keys: space/→ next, ← back, p pause, t topology, q quit; --auto N moves on
// N seconds after a step finishes and exits at the end; --record writes an
// asciicast v2 file of exactly what the terminal was sent.
import { EXIT, UsageError } from '../../core/errors.js';
import { labDirs } from '../../labs/catalog.js';
import type { RunEvent } from '../../labs/results.js';
import { runLab } from '../../labs/runner.js';
import { renderTemplates } from '../../labs/templates.js';
import { castRecorder, type Recorder } from '../../present/cast.js';
import { presentFrame, type PresentState } from '../../present/frame.js';
import { openProvider } from '../../providers/index.js';
import { pathFromChecks } from '../../topology/path.js';
import { cniMode, intOption, parse, providerPick } from '../args.js';
import { labFromArg } from '../lab-arg.js';
import type { Command } from '../command.js';
import { ensureUp } from './run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Key = 'next' | 'back' | 'pause' | 'topology' | 'quit';

function keyOf(data: string): Key | undefined {
  if (data === ' ' || data === '\x1b[C' || data === 'n') return 'next';
  if (data === '\x1b[D' || data === 'b') return 'back';
  if (data === 'p') return 'pause';
  if (data === 't') return 'topology';
  if (data === 'q' || data === '\x03') return 'quit';
  return undefined;
}

export const present: Command = {
  name: 'present',
  usage:
    'present LAB [--cni MODE] [--auto SECONDS] [--record FILE.cast] [--labs DIR] [--name LAB] [--provider P]\n' +
    '    a full-screen projector view of the lab, step by step; keys: space/→ next, ← back, p pause, t topology, q quit\n' +
    '    --auto N: the next step N seconds after one finishes, and exit at the end; --record: an asciicast v2 recording',
  async run(argv, io) {
    const { values, positionals } = parse('present', argv, { auto: { type: 'string' }, record: { type: 'string' }, labs: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('present: which lab? give one lab id or file', "the labs: 'hoplab labs'");
    const auto = intOption(values, 'auto', 0, 3600);
    const stdin = io.stdin as NodeJS.ReadStream;
    if (!io.isTTY && auto === undefined) throw new UsageError('present needs a terminal to take keys', 'or run it unattended with --auto SECONDS');
    const lab = await labFromArg(positionals[0]!, labDirs({ labs: values.labs as string | undefined }), io);
    if (!lab) return EXIT.badInput;
    const cni = cniMode(values);
    const provider = await openProvider(providerPick(values));
    const abort = new AbortController();
    await ensureUp(provider, lab, cni, io, abort.signal);
    const facts0 = await provider.facts();
    const out = io.stdout as NodeJS.WriteStream;
    const size = () => ({ cols: out.columns || 80, rows: out.rows || 24 });
    const record: Recorder | undefined = values.record ? castRecorder(values.record as string, size().cols, size().rows, `hoplab present ${lab.id}`) : undefined;
    const send = (data: string) => {
      out.write(data);
      record?.write(data);
    };

    const state: PresentState = { labTitle: lab.title, mode: facts0.cni, step: 0, steps: lab.steps.length, title: '', text: '', log: [], checks: [], phase: 'running', facts: facts0, lit: 0, topology: false, status: '' };
    const draw = () => {
      const { cols, rows } = size();
      send(`\x1b[H${presentFrame(state, cols, rows).join('\r\n')}`);
    };
    let paused = false;
    let quit = false;
    let wake: ((k: Key) => void) | undefined;
    // Keys typed quickly arrive in one chunk: take it apart (arrow keys are three bytes).
    const onKey = (d: Buffer | string) => {
      for (const token of String(d).match(/\x1b\[[A-D]|[\s\S]/g) ?? []) onToken(token);
    };
    const onToken = (token: string) => {
      const k = keyOf(token);
      if (!k) return;
      if (k === 'pause') {
        paused = !paused;
        state.status = paused ? 'paused: p to go on' : state.status.replace(/^paused.*$/, '');
        draw();
      } else if (k === 'topology') {
        state.topology = !state.topology;
        draw();
      } else if (k === 'quit') {
        quit = true;
        abort.abort();
      }
      wake?.(k);
    };
    const untilUnpaused = async () => {
      while (paused && !quit) await sleep(50);
    };
    // Typing speed: a projector audience reads along; --auto 0 (tests, loops) types at once.
    const typeMs = auto === 0 ? 0 : 18;

    if (io.isTTY && stdin.setRawMode) stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume?.();
    const onResize = () => draw();
    out.on('resize', onResize);
    send('\x1b[?1049h\x1b[?25l\x1b[2J');
    try {
      let i = 0;
      while (i < lab.steps.length && !quit) {
        const step = lab.steps[i]!;
        Object.assign(state, { step: i, title: step.title, text: renderTemplates(step.text, state.facts, provider.lab), log: [], checks: [], phase: 'running', path: undefined, lit: 0, lighting: false, status: 'running the step…' });
        draw();
        // Events arrive while the runner works; the screen plays them in order, typing commands out.
        let queue = Promise.resolve();
        const onEvent = (e: RunEvent) => {
          queue = queue.then(async () => {
            await untilUnpaused();
            if (e.type === 'command-start' && e.phase === 'run') {
              const entry = { kind: 'command' as const, text: `${e.where === 'kubectl' ? '' : `${e.where}$ `}${e.display}` };
              state.log.push({ ...entry, text: '' });
              const chunk = Math.max(1, Math.ceil(entry.text.length / 30));
              for (let k = chunk; k < entry.text.length + chunk; k += chunk) {
                state.log[state.log.length - 1]!.text = entry.text.slice(0, k);
                draw();
                if (typeMs) await sleep(typeMs);
              }
            } else if (e.type === 'output') {
              state.log.push({ kind: 'output', text: e.line });
              draw();
            } else if (e.type === 'catch-up-step') {
              state.log.push({ kind: 'note', text: `catching up: step ${e.step + 1}, ${e.title} (its solution, unchecked)` });
              draw();
            }
          });
        };
        const r = await runLab(lab, provider, { steps: [i], catchUp: true, onEvent, signal: abort.signal });
        await queue;
        if (quit) break;
        state.facts = await provider.facts().catch(() => state.facts);
        const sr = r.steps[0];
        state.checks = sr?.checks ?? [];
        state.phase = 'done';
        const path = pathFromChecks(state.checks);
        if (path) state.path = path;
        const verdict = sr?.skipped ? `skipped: ${sr.skipped}` : sr?.passed ? 'step passed' : `step failed${sr?.error ? `: ${sr.error}` : r.error ? `: ${r.error}` : ''}`;
        // The path lights hop by hop.
        state.lighting = true;
        for (let k = 0; k <= (state.path?.hops.length ?? 0); k++) {
          await untilUnpaused();
          state.lit = k;
          state.status = `${verdict} · lighting hop ${k}`;
          draw();
          if (auto !== 0) await sleep(400);
        }
        state.lighting = false;
        const last = i === lab.steps.length - 1;
        state.status = `${verdict} · ${auto !== undefined ? `${last ? 'the end' : 'next step'} in ${auto} s` : last ? 'space: the end' : 'space: next step'}`;
        draw();
        const key = await new Promise<Key>((resolve) => {
          wake = (k) => {
            if (k === 'next' || k === 'back' || k === 'quit') resolve(k);
          };
          if (auto !== undefined) {
            const tick = async () => {
              await sleep(auto * 1000);
              await untilUnpaused();
              resolve('next');
            };
            void tick();
          }
        });
        wake = undefined;
        if (key === 'quit') break;
        i = key === 'back' ? Math.max(0, i - 1) : i + 1;
      }
      if (!quit) {
        state.phase = 'end';
        state.status = `${lab.steps.length} steps shown${record ? ` · recorded to ${values.record as string}` : ''}${auto === undefined ? ' · q to leave' : ''}`;
        draw();
        if (auto === undefined) await new Promise<void>((resolve) => (wake = (k) => k === 'quit' && resolve()));
      }
    } finally {
      send('\x1b[?25h\x1b[?1049l');
      stdin.off('data', onKey);
      out.off('resize', onResize);
      if (io.isTTY && stdin.setRawMode) stdin.setRawMode(false);
      stdin.pause?.();
      await record?.close();
    }
    io.stdout.write(`hoplab present ${lab.id}: ${quit ? 'stopped' : 'the end'}${record ? `; recording in ${values.record as string}` : ''}\n`);
    return EXIT.ok;
  },
};
