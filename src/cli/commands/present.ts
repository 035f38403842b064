// `hoplab present LAB`: the instructor's projector view. Each step: its title
// and text, its commands typed out as the runner runs them with their output,
// then the check table and the topology with the traced path lit hop by hop.
// Keys: space/→ next, ← back, p pause, t topology, q quit; --auto N moves on
// N seconds after a step finishes and exits at the end; --record writes an
// asciicast v2 file of exactly what the terminal was sent. The session (what
// step shows, what each step recorded, going back) is src/present/session.ts;
// this command wires it to the lab, the terminal and the recording.
import { EXIT, UsageError } from '../../core/errors.js';
import { labDirs } from '../../labs/catalog.js';
import { runLab } from '../../labs/runner.js';
import { renderTemplates } from '../../labs/templates.js';
import { castRecorder, type Recorder } from '../../present/cast.js';
import { presentFrame } from '../../present/frame.js';
import { PresentSession } from '../../present/session.js';
import { openProvider } from '../../providers/index.js';
import { withNativeSpawner } from '../../providers/netns/init-helper.js';
import { cniMode, intOption, parse, providerPick } from '../args.js';
import { labFromArg } from '../lab-arg.js';
import type { Command } from '../command.js';
import { ensureUp } from './run.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

    const draw = (state: PresentSession['state']) => {
      const { cols, rows } = size();
      send(`\x1b[H${presentFrame(state, cols, rows).join('\r\n')}`);
    };
    // Typing speed: a projector audience reads along; --auto 0 (tests, loops) types at once.
    const session = new PresentSession({
      labTitle: lab.title,
      mode: facts0.cni,
      steps: lab.steps.map((step) => ({ title: step.title, text: (facts) => renderTemplates(step.text, facts, provider.lab) })),
      facts: facts0,
      runStep: async (i, onEvent, signal) => {
        const r = await runLab(lab, provider, { steps: [i], catchUp: true, onEvent, signal });
        return { ...(r.steps[0] ? { result: r.steps[0] } : {}), ...(r.error ? { error: r.error } : {}) };
      },
      refreshFacts: () => provider.facts(),
      draw,
      sleep,
      ...(auto !== undefined ? { auto } : {}),
      typeMs: auto === 0 ? 0 : 18,
      lightMs: auto === 0 ? 0 : 400,
      ...(record ? { endNote: ` · recorded to ${values.record as string}` } : {}),
    });
    const onKey = (d: Buffer | string) => session.input(String(d));
    if (io.isTTY && stdin.setRawMode) stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume?.();
    const onResize = () => draw(session.state);
    out.on('resize', onResize);
    send('\x1b[?1049h\x1b[?25l\x1b[2J');
    let how: 'end' | 'quit' = 'quit';
    try {
      // The steps' commands start through the native spawner helper, as `hoplab run`'s do.
      how = await withNativeSpawner('hoplab-present-spawner', () => session.run());
    } finally {
      send('\x1b[?25h\x1b[?1049l');
      stdin.off('data', onKey);
      out.off('resize', onResize);
      if (io.isTTY && stdin.setRawMode) stdin.setRawMode(false);
      stdin.pause?.();
      await record?.close();
    }
    const quit = how === 'quit';
    io.stdout.write(`hoplab present ${lab.id}: ${quit ? 'stopped' : 'the end'}${record ? `; recording in ${values.record as string}` : ''}\n`);
    return EXIT.ok;
  },
};
