// The presenter's session, without a terminal: which step is on screen, what
// each step printed (recorded as it ran), pausing, the topology toggle and the
// keys. A step runs once: ← (and → onto a step already shown) replays what was
// recorded — the commands typed out, their output, the checks, the path lit —
// and runs nothing on the cluster again, so going back in front of an audience
// never creates a pod twice or fails on "already exists". The command gives it
// a way to run a step, to draw and to wait; tests give it fakes.
import type { ClusterFacts } from '../core/facts.js';
import type { RunEvent, StepResult } from '../labs/results.js';
import { pathFromChecks } from '../topology/path.js';
import type { PresentState } from './frame.js';

export type PresentKey = 'next' | 'back' | 'pause' | 'topology' | 'quit';

/** One key of the presenter, or undefined for a key it does not use. */
export function keyOf(token: string): PresentKey | undefined {
  if (token === ' ' || token === '\x1b[C' || token === 'n') return 'next';
  if (token === '\x1b[D' || token === 'b') return 'back';
  if (token === 'p') return 'pause';
  if (token === 't') return 'topology';
  if (token === 'q' || token === '\x03') return 'quit';
  return undefined;
}

/** Keys typed quickly arrive in one chunk: take it apart (arrow keys are three bytes). */
export function keyTokens(data: string): string[] {
  return data.match(/\x1b\[[A-D]|[\s\S]/g) ?? [];
}

/** What running one step gave: its result, or the run's error when there is none. */
export interface StepRun {
  result?: StepResult;
  error?: string;
}

export interface SessionDeps {
  labTitle: string;
  mode: string;
  /** Each step's title, and its text with templates filled from the facts of the moment. */
  steps: { title: string; text: (facts?: ClusterFacts) => string }[];
  facts?: ClusterFacts;
  /** Runs step `index` on the cluster (catching up what it needs), reporting events as they happen. */
  runStep(index: number, onEvent: (e: RunEvent) => void, signal: AbortSignal): Promise<StepRun>;
  /** The cluster's facts after a step (pods it made get their addresses); undefined keeps the last. */
  refreshFacts(): Promise<ClusterFacts | undefined>;
  draw(state: PresentState): void;
  sleep(ms: number): Promise<void>;
  /** Seconds before moving on by itself after a step (and exiting at the end); undefined waits for keys. */
  auto?: number;
  /** Pause between typed chunks of a command and between lit hops; 0 shows them at once. */
  typeMs: number;
  lightMs: number;
  /** Appended to the end screen's status (where the recording went). */
  endNote?: string;
}

/** What a step showed, kept so going back shows it again without running it. */
interface Recorded {
  events: RunEvent[];
  run: StepRun;
  facts?: ClusterFacts;
}

export class PresentSession {
  readonly state: PresentState;
  /** Aborted on quit: the step running stops. */
  readonly abort = new AbortController();
  private readonly recorded = new Map<number, Recorded>();
  private paused = false;
  private quit = false;
  private wake: ((k: PresentKey) => void) | undefined;

  constructor(private readonly deps: SessionDeps) {
    this.state = { labTitle: deps.labTitle, mode: deps.mode, step: 0, steps: deps.steps.length, title: '', text: '', log: [], checks: [], phase: 'running', ...(deps.facts ? { facts: deps.facts } : {}), lit: 0, topology: false, status: '' };
  }

  /** Steps that ran on the cluster, in the order they ran (a replay adds nothing). */
  get ran(): number[] {
    return [...this.recorded.keys()];
  }

  /** Raw terminal input: every key in it, in order. */
  input(data: string): void {
    for (const token of keyTokens(data)) {
      const k = keyOf(token);
      if (k) this.key(k);
    }
  }

  key(k: PresentKey): void {
    if (k === 'pause') {
      this.paused = !this.paused;
      this.state.status = this.paused ? 'paused: p to go on' : this.state.status.replace(/^paused.*$/, '');
      this.deps.draw(this.state);
    } else if (k === 'topology') {
      this.state.topology = !this.state.topology;
      this.deps.draw(this.state);
    } else if (k === 'quit') {
      this.quit = true;
      this.abort.abort();
    }
    this.wake?.(k);
  }

  /** Shows the lab step by step until the end (and q there, without --auto) or q. */
  async run(): Promise<'end' | 'quit'> {
    const n = this.deps.steps.length;
    let i = 0;
    while (!this.quit) {
      if (i >= n) {
        const k = await this.endScreen();
        if (k !== 'back') break;
        i = n - 1;
        continue;
      }
      await this.show(i);
      if (this.quit) break;
      const k = await this.nextKey(i === n - 1);
      if (k === 'quit') break;
      i = k === 'back' ? Math.max(0, i - 1) : i + 1;
    }
    return this.quit ? 'quit' : 'end';
  }

  /** Step i: run and recorded the first time, replayed from the record after that. */
  private async show(i: number): Promise<void> {
    const s = this.state;
    const before = this.recorded.get(i);
    const facts = before ? (before.facts ?? s.facts) : s.facts;
    Object.assign(s, { step: i, title: this.deps.steps[i]!.title, text: this.deps.steps[i]!.text(facts), log: [], checks: [], phase: 'running', path: undefined, lit: 0, lighting: false, status: before ? 'replaying the step (not run again)…' : 'running the step…' });
    this.deps.draw(s);
    let rec: Recorded;
    if (before) {
      rec = before;
      for (const e of rec.events) await this.play(e);
    } else {
      const events: RunEvent[] = [];
      // Events arrive while the runner works; the screen plays them in order, typing commands out.
      let queue = Promise.resolve();
      const run = await this.deps.runStep(
        i,
        (e) => {
          events.push(e);
          queue = queue.then(() => this.play(e));
        },
        this.abort.signal,
      );
      await queue;
      if (this.quit) return;
      const now = await this.deps.refreshFacts().catch(() => undefined);
      rec = { events, run, ...(now ?? s.facts ? { facts: now ?? s.facts } : {}) };
      this.recorded.set(i, rec);
    }
    if (rec.facts) s.facts = rec.facts;
    const sr = rec.run.result;
    s.checks = sr?.checks ?? [];
    s.phase = 'done';
    const path = pathFromChecks(s.checks);
    if (path) s.path = path;
    const verdict = `${sr?.skipped ? `skipped: ${sr.skipped}` : sr?.passed ? 'step passed' : `step failed${sr?.error ? `: ${sr.error}` : rec.run.error ? `: ${rec.run.error}` : ''}`}${before ? ' (replayed, not run again)' : ''}`;
    // The path lights hop by hop.
    s.lighting = true;
    for (let k = 0; k <= (s.path?.hops.length ?? 0); k++) {
      await this.untilUnpaused();
      s.lit = k;
      s.status = `${verdict} · lighting hop ${k}`;
      this.deps.draw(s);
      if (this.deps.lightMs) await this.deps.sleep(this.deps.lightMs);
    }
    s.lighting = false;
    s.status = verdict;
  }

  /** One event on screen: a command typed out, an output line, a catch-up note. */
  private async play(e: RunEvent): Promise<void> {
    const s = this.state;
    await this.untilUnpaused();
    if (e.type === 'command-start' && e.phase === 'run') {
      const text = `${e.where === 'kubectl' ? '' : `${e.where}$ `}${e.display}`;
      s.log.push({ kind: 'command', text: '' });
      const chunk = Math.max(1, Math.ceil(text.length / 30));
      for (let k = chunk; k < text.length + chunk; k += chunk) {
        s.log[s.log.length - 1]!.text = text.slice(0, k);
        this.deps.draw(s);
        if (this.deps.typeMs) await this.deps.sleep(this.deps.typeMs);
      }
    } else if (e.type === 'output') {
      s.log.push({ kind: 'output', text: e.line });
      this.deps.draw(s);
    } else if (e.type === 'catch-up-step') {
      s.log.push({ kind: 'note', text: `catching up: step ${e.step + 1}, ${e.title} (its solution, unchecked)` });
      this.deps.draw(s);
    }
  }

  /** After a step: next, back or quit — or next by itself after --auto seconds. */
  private nextKey(last: boolean): Promise<PresentKey> {
    const auto = this.deps.auto;
    this.state.status = `${this.state.status} · ${auto !== undefined ? `${last ? 'the end' : 'next step'} in ${auto} s` : last ? 'space: the end' : 'space: next step'}${this.state.step > 0 ? ' · ←: back' : ''}`;
    this.deps.draw(this.state);
    return this.waitFor(['next', 'back', 'quit'], auto);
  }

  /** The end screen: with --auto it is shown and left; otherwise it waits for q (or ← to go back). */
  private async endScreen(): Promise<PresentKey> {
    const s = this.state;
    s.phase = 'end';
    s.status = `${this.deps.steps.length} steps shown${this.deps.endNote ?? ''}${this.deps.auto === undefined ? ' · ←: back · q to leave' : ''}`;
    this.deps.draw(s);
    if (this.deps.auto !== undefined) return 'quit';
    const k = await this.waitFor(['back', 'quit']);
    // q on the end screen ends the show; it is not an interruption.
    if (k === 'quit') this.quit = false;
    return k;
  }

  private waitFor(keys: PresentKey[], auto?: number): Promise<PresentKey> {
    return new Promise<PresentKey>((resolve) => {
      if (this.quit) return resolve('quit');
      const done = (k: PresentKey) => {
        this.wake = undefined;
        resolve(k);
      };
      const mine = (k: PresentKey) => {
        if (keys.includes(k)) done(k);
      };
      this.wake = mine;
      if (auto !== undefined) {
        void (async () => {
          await this.deps.sleep(auto * 1000);
          await this.untilUnpaused();
          // Only if this wait is still the one on: a key may have moved on already.
          if (this.wake === mine) done('next');
        })();
      }
    });
  }

  private async untilUnpaused(): Promise<void> {
    while (this.paused && !this.quit) await this.deps.sleep(50);
  }
}
