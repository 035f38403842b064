// The TUI's side of the classroom seam, without touching the lab screen's
// code: a diff of two app states says what to report. A step selected (or a
// lab opened) is a step started; a check result that was not there before is
// reported, by the learner when it came from `c`, shown by hoplab when from a
// run; the lab turning complete is the lab finished.
import type { Reporter } from '../labs/reporter.js';
import type { AppAction, AppState } from './app-state.js';
import type { Store } from './store.js';

export type ReporterCall =
  | { call: 'stepStarted'; arg: Parameters<Reporter['stepStarted']>[0] }
  | { call: 'checkResult'; arg: Parameters<Reporter['checkResult']>[0] }
  | { call: 'labFinished'; arg: Parameters<Reporter['labFinished']>[0] };

export function classroomCalls(prev: AppState, next: AppState): ReporterCall[] {
  const lab = next.lab;
  if (!lab || next.screen !== 'lab') return [];
  const calls: ReporterCall[] = [];
  const l = lab.lab;
  const same = prev.lab?.lab.id === l.id && prev.screen === 'lab';
  if (!same || prev.lab!.selected !== lab.selected) {
    const s = l.steps[lab.selected];
    if (s) calls.push({ call: 'stepStarted', arg: { lab: l.id, labTitle: l.title, steps: l.steps.length, step: lab.selected, stepId: s.id, title: s.title } });
  }
  if (prev.lab?.lab.id === l.id) {
    lab.steps.forEach((st, i) => {
      const before = prev.lab!.steps[i]?.checks;
      if (st.checks === before) return;
      const old = new Set(before ?? []);
      const step = l.steps[i]!;
      const by = lab.busy?.kind === 'check' ? 'learner' : 'hoplab';
      for (const c of st.checks) if (!old.has(c) && !c.skipped) calls.push({ call: 'checkResult', arg: { lab: l.id, step: i, stepId: step.id, stepTitle: step.title, check: c, by } });
    });
    if (!prev.lab!.complete && lab.complete) calls.push({ call: 'labFinished', arg: { lab: l.id, passed: true, steps: l.steps.length } });
  }
  return calls;
}

/** Reports every change of the store from now on; returns the unsubscribe. */
export function watchForClassroom(store: Store<AppState, AppAction>, reporter: Reporter): () => void {
  let prev = store.get();
  return store.subscribe(() => {
    const next = store.get();
    for (const c of classroomCalls(prev, next)) (reporter[c.call] as (a: typeof c.arg) => void)(c.arg);
    prev = next;
  });
}
