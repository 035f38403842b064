// `npm run bench:ui`: streams 100 000 lines of command output through the lab
// screen's output pane, as a long `kubectl logs` or a chatty step would, and
// prints per-frame render times (React commit + Ink layout/output) and memory
// before and after. The budget is 50 ms a frame and flat memory; this prints
// figures against it and asserts nothing.
import { PassThrough } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createElement, Profiler } from 'react';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 100); // lines per write
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 1); // between writes: a fast producer, not a single burst
const WIDTH = 100;
const HEIGHT = 30;

// Ink renders only the last frame when it believes it runs in CI; this measures a terminal.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { render } = await import('ink');
const { LabScreen } = await import('../src/ui/LabScreen.js');
const { OutputStore } = await import('../src/ui/output-store.js');
const { initialLab, labUiReducer } = await import('../src/ui/lab-state.js');
const { ThemeContext } = await import('../src/ui/use-theme.js');
const { makeTheme } = await import('../src/ui/theme.js');
const { loadCatalog, bundledLabsDir } = await import('../src/labs/catalog.js');

function fakeTerminal(): NodeJS.WriteStream {
  const out = new PassThrough() as unknown as NodeJS.WriteStream & { columns: number; rows: number; isTTY: boolean };
  out.columns = WIDTH;
  out.rows = HEIGHT;
  out.isTTY = true;
  // What is written is discarded, as a fast terminal would; BENCH_DEBUG=1 shows it.
  (out as unknown as PassThrough).on('data', (d: Buffer) => void (process.env.BENCH_DEBUG && process.stderr.write(d)));
  return out;
}

function line(i: number): string {
  switch (i % 5) {
    case 0:
      return ` ${(i % 30) + 1}  10.244.${i % 3}.${i % 250} (10.244.${i % 3}.${i % 250})  0.${i % 1000} ms  0.0${i % 90} ms  0.00${i % 9} ms`;
    case 1:
      return `traceroute-${i}   1/1     Running   0          ${i % 60}s   10.244.1.${i % 250}   node-${1 + (i % 2)}   <none>`;
    case 2:
      return `\x1b[32mINFO\x1b[0m ${new Date(1_700_000_000_000 + i * 1000).toISOString()} request ${i} served in ${i % 17} ms`;
    case 3:
      return `${'x'.repeat(i % 600)} long line ${i}`;
    default:
      return `\tindented\ttabs ${i}\r progress overwrite ${i}`;
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const catalog = await loadCatalog([bundledLabsDir()]);
  const lab = catalog.labs.find((l) => l.id === 'pod-to-pod') ?? catalog.labs[0];
  if (!lab) throw new Error(`no lab in ${bundledLabsDir()} to draw the lab screen with`);
  const state = labUiReducer(initialLab(lab), { type: 'busy', busy: { kind: 'run', step: 0, doing: '$ kubectl logs chatty' } });
  const store = new OutputStore(2000, 33);

  let commitMs = 0;
  const frames: number[] = [];
  const inkMs: number[] = [];
  const tree = createElement(
    ThemeContext.Provider,
    { value: makeTheme(true) },
    createElement(Profiler, { id: 'lab', onRender: (_id: string, _phase: string, actual: number) => void (commitMs += actual) }, createElement(LabScreen, { state, output: store, width: WIDTH, height: HEIGHT - 2 })),
  );
  // A keyboard that types nothing but can be put in raw mode, as the lab screen's key hooks need.
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin }) as unknown as NodeJS.ReadStream;
  const app = render(tree, {
    stdout: fakeTerminal(),
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => {
      inkMs.push(renderTime);
      frames.push(commitMs + renderTime);
      commitMs = 0;
    },
  });
  // Warm up (JIT, first layout) on a few lines; the measurement starts after.
  for (let i = 0; i < 1000; i++) store.line(line(i));
  await new Promise((r) => setTimeout(r, 100));
  store.clear();
  await new Promise((r) => setTimeout(r, 50));
  frames.length = 0;
  inkMs.length = 0;

  gc();
  const before = process.memoryUsage();
  const samples: { lines: number; heap: number }[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  for (let i = 0; i < LINES; i += CHUNK) {
    let chunk = '';
    for (let k = i; k < Math.min(LINES, i + CHUNK); k++) chunk += line(k) + '\n';
    store.write(chunk);
    // The pane must keep up while keys and timers still run between writes.
    await new Promise((r) => setTimeout(r, PACE_MS));
    if ((i + CHUNK) % 20_000 < CHUNK) samples.push({ lines: i + CHUNK, heap: process.memoryUsage().heapUsed });
  }
  store.flush();
  await new Promise((r) => setTimeout(r, 100));
  const elapsed = performance.now() - started;
  loop.disable();
  gc();
  const after = process.memoryUsage();
  app.unmount();

  const sorted = [...frames].sort((a, b) => a - b);
  const inkSorted = [...inkMs].sort((a, b) => a - b);
  const max = sorted[sorted.length - 1] ?? 0;
  const growth = after.heapUsed - before.heapUsed;
  console.log(`ui-stream: ${LINES} lines in chunks of ${CHUNK} every ${PACE_MS} ms through the lab screen's output pane (${WIDTH}x${HEIGHT}), ${elapsed.toFixed(0)} ms`);
  console.log(`  lines kept in the pane's ring: ${store.ring.size} of ${store.ring.total}`);
  console.log(`  frames rendered:   ${frames.length}`);
  console.log(`  frame time (React commit + Ink render):  p50 ${pct(sorted, 50).toFixed(2)} ms  p99 ${pct(sorted, 99).toFixed(2)} ms  max ${max.toFixed(2)} ms`);
  console.log(`  Ink render only:                          p50 ${pct(inkSorted, 50).toFixed(2)} ms  p99 ${pct(inkSorted, 99).toFixed(2)} ms  max ${(inkSorted[inkSorted.length - 1] ?? 0).toFixed(2)} ms`);
  console.log(`  event-loop delay while streaming:         p99 ${(loop.percentile(99) / 1e6).toFixed(2)} ms  max ${(loop.max / 1e6).toFixed(2)} ms`);
  console.log(`  heap before ${mb(before.heapUsed)}  after ${mb(after.heapUsed)}  growth ${mb(growth)}  (rss ${mb(before.rss)} -> ${mb(after.rss)})`);
  console.log(`  heap while streaming: ${samples.map((s) => `${s.lines / 1000}k ${mb(s.heap)}`).join(' · ')}`);
  console.log(`  budget: every frame under 50 ms: ${max < 50 ? 'yes' : 'NO'}; memory flat (growth under 5 MB): ${growth < 5 * 1024 * 1024 ? 'yes' : 'NO'}`);
}

await main();
