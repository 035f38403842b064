// The presenter's session on fakes: keys pressed as a terminal sends them,
// frames read as the projector shows them. A step runs on the cluster once;
// ← replays what it recorded (commands, output, checks) and runs nothing.
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunEvent, StepResult } from '../../src/labs/results.js';
import { presentFrame } from '../../src/present/frame.js';
import { keyOf, keyTokens, PresentSession, type SessionDeps } from '../../src/present/session.js';
import { facts } from './fakes.js';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const tick = () => new Promise<void>((r) => setTimeout(r, 1));

/** A three-step lab whose runner records what it was asked to run. */
function fake(extra: Partial<SessionDeps> = {}) {
  const ran: number[] = [];
  const frames: string[] = [];
  const titles = ['Make a pod', 'Trace to it', 'Delete it'];
  const deps: SessionDeps = {
    labTitle: 'Fake lab',
    mode: 'flannel-host-gw',
    steps: titles.map((title, i) => ({ title, text: () => `Text of step ${i + 1}.` })),
    facts: facts(),
    async runStep(i, onEvent) {
      ran.push(i);
      const e = (x: RunEvent) => onEvent(x);
      e({ type: 'step-start', step: i, id: `s${i}`, title: titles[i]! });
      e({ type: 'command-start', step: i, phase: 'run', display: `kubectl run pod-${i + 1}`, where: 'kubectl' });
      e({ type: 'output', step: i, stream: 'stdout', line: `pod/pod-${i + 1} created (run ${ran.length})` });
      const check: CheckResult = { id: 'c', kind: 'output', title: `pod-${i + 1} is there`, passed: true, summary: `pod-${i + 1} found` };
      const result: StepResult = { index: i, id: `s${i}`, title: titles[i]!, passed: true, outcome: 'shown', commands: [], checks: [check], durationMs: 1 };
      e({ type: 'step-end', step: i, result });
      return { result };
    },
    refreshFacts: async () => facts(),
    draw: (s) => frames.push(plain(presentFrame(s, 100, 30).join('\n'))),
    sleep: async () => tick(),
    typeMs: 0,
    lightMs: 0,
    ...extra,
  };
  const session = new PresentSession(deps);
  /** Frames drawn from now on. */
  const since = () => {
    const from = frames.length;
    return () => frames.slice(from);
  };
  // Frames drawn before the last key are not an answer to it.
  let mark = 0;
  const press = (keys: string) => {
    mark = frames.length;
    session.input(keys);
  };
  const until = async (what: string) => {
    const seen = () => frames.length > mark && frames.at(-1)!.includes(what);
    for (let i = 0; i < 500 && !seen(); i++) await tick();
    expect(frames.length > mark ? frames.at(-1) : '(no frame since the key)').toContain(what);
  };
  return { session, ran, frames, since, until, press };
}

describe('hoplab present: the session', () => {
  it('keys: space, n and → go on, ← and b go back, chunks of typed keys are taken apart', () => {
    expect(keyTokens(' \x1b[D\x1b[Cq')).toEqual([' ', '\x1b[D', '\x1b[C', 'q']);
    expect(keyTokens(' \x1b[D\x1b[Cq').map(keyOf)).toEqual(['next', 'back', 'next', 'quit']);
    expect(['n', 'b', 'p', 't', '\x03', 'x'].map(keyOf)).toEqual(['next', 'back', 'pause', 'topology', 'quit', undefined]);
  });

  it('← replays the earlier step from its record: its commands and output again, no command run', async () => {
    const f = fake();
    const done = f.session.run();
    await f.until('space: next step');
    expect(f.frames.some((x) => x.includes('$ kubectl run pod-1'))).toBe(true);
    expect(f.frames.some((x) => x.includes('pod/pod-1 created (run 1)'))).toBe(true);
    expect(f.frames.at(-1)).toContain('✓ PASS  pod-1 is there: pod-1 found');
    f.press(' ');
    await f.until('2. Trace to it');
    await f.until('space: next step');
    expect(f.ran).toEqual([0, 1]);

    const back = f.since();
    f.press('\x1b[D'); // ←
    await f.until('space: next step');
    expect(f.ran).toEqual([0, 1]); // nothing ran again
    const replay = back();
    expect(replay.some((x) => x.includes('1. Make a pod'))).toBe(true);
    expect(replay.some((x) => x.includes('$ kubectl run pod-1'))).toBe(true);
    // The output recorded on the first run, not a new one ("run 3" would be a rerun).
    expect(replay.some((x) => x.includes('pod/pod-1 created (run 1)'))).toBe(true);
    expect(replay.at(-1)).toContain('✓ PASS  pod-1 is there: pod-1 found');
    expect(replay.at(-1)).toContain('replayed, not run again');

    // Forward onto step 2, shown already: replayed too; step 3 is new and runs.
    f.press('n');
    await f.until('2. Trace to it');
    await f.until('space: next step');
    expect(f.ran).toEqual([0, 1]);
    f.press(' ');
    await f.until('space: the end');
    expect(f.ran).toEqual([0, 1, 2]);
    f.press('q');
    expect(await done).toBe('quit');
  });

  it('the end screen: ← goes back to the last step (replayed), q leaves', async () => {
    const f = fake();
    const done = f.session.run();
    for (const title of ['1. Make a pod', '2. Trace to it', '3. Delete it']) {
      await f.until(title);
      await f.until('space:');
      f.press(' ');
    }
    await f.until('3 steps shown');
    f.press('b');
    await f.until('space: the end');
    expect(f.frames.at(-1)).toContain('3. Delete it');
    expect(f.ran).toEqual([0, 1, 2]);
    f.press(' ');
    await f.until('3 steps shown');
    f.press('q');
    expect(await done).toBe('end');
  });

  it('--auto runs every step once and ends by itself; p pauses, t shows the topology', async () => {
    const f = fake({ auto: 0 });
    const done = f.session.run();
    f.press('p');
    await f.until('paused: p to go on');
    const ranWhilePaused = f.ran.length;
    for (let i = 0; i < 20; i++) await tick();
    expect(f.ran.length).toBe(ranWhilePaused);
    f.press('t');
    expect(f.frames.at(-1)).toContain('node-1');
    f.press('t');
    f.press('p');
    expect(await done).toBe('end');
    expect(f.ran).toEqual([0, 1, 2]);
    expect(f.frames.at(-1)).toContain('Fake lab: the end');
  });

  it('q while a step runs stops it (the run is aborted) and ends the session', async () => {
    let aborted = false;
    const f = fake({
      runStep: (_i, _e, signal) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ error: 'cancelled' });
          }),
        ),
    });
    const done = f.session.run();
    await f.until('running the step');
    f.press('q');
    expect(await done).toBe('quit');
    expect(aborted).toBe(true);
  });
});
