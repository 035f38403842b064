// The lab screen's state, folded from the runner's RunEvents and the keys.
// Pure: the lab logic (running, checking, grading) is the runner's; this
// only remembers what it said, which step is selected and what is shown.
import { catchUpSteps } from '../labs/catch-up.js';
import { gradedChecks, type Lab } from '../labs/model.js';
import { outcomeOf, type CheckResult, type Outcome, type RunEvent, type StepResult } from '../labs/results.js';
import { translate, type T } from './i18n.js';
import type { StepState } from './theme.js';
import type { ShellPlace } from './shell-target.js';
import { pathFromChecks, type TracedPath } from '../topology/path.js';

export interface StepUi {
  state: StepState;
  hintsShown: number;
  solutionShown: boolean;
  tries: number;
  /** The checks of the last run or check, as the runner reported them. */
  checks: CheckResult[];
  error?: string;
  /** Its solution ran as part of a catch-up (unchecked). */
  caughtUp?: boolean;
}

export type Busy = { kind: 'run' | 'check' | 'reset' | 'catch-up'; step: number; doing?: string };

/** The earlier steps the selected one needs that neither passed nor were caught up here: what `u` would run. */
export function catchUpOffer(s: LabUiState, provider: string): number[] {
  const plan = catchUpSteps(s.lab, [s.selected], provider);
  return plan.some((i) => s.steps[i]?.state !== 'passed' && !s.steps[i]?.caughtUp) ? plan : [];
}

export interface AnswerPrompt {
  step: number;
  /** Answer checks still to ask, in order; the first is on screen. */
  queue: { id: string; question: string }[];
  given: Record<string, string>;
  value: string;
  /** What to do with the answers: run the step, or only check it. */
  then: 'run' | 'check';
}

export interface LabUiState {
  lab: Lab;
  steps: StepUi[];
  selected: number;
  busy?: Busy;
  /** Output pane scroll, in lines up from the bottom. */
  scrollBack: number;
  /** The lower pane: the live output or the last check's table. */
  pane: 'output' | 'check';
  /** Check pane scroll, in lines from the top. */
  checkScroll: number;
  lastPath?: TracedPath;
  /** The step whose run, check or shell the output pane holds. */
  outputFor?: number;
  complete: boolean;
  answer?: AnswerPrompt;
  /** `s` on a step that names several places: which one to open a shell in. */
  pick?: { places: ShellPlace[]; selected: number };
  /** `p`: what the learner pastes from their own terminal, for this step's check. */
  paste?: { step: number; text: string };
}

export type LabUiAction =
  | { type: 'event'; event: RunEvent }
  | { type: 'move'; by: number }
  | { type: 'select'; index: number }
  | { type: 'busy'; busy: Busy }
  /** The checks of a step, run on what the learner did (no step-end event comes with them). */
  | { type: 'checked'; step: number; checks: CheckResult[] }
  | { type: 'idle'; error?: string }
  | { type: 'hint' }
  | { type: 'solution' }
  | { type: 'reset-step'; step: number }
  /** Start the lab over: every step todo, the first one selected. */
  | { type: 'start-over' }
  | { type: 'scroll'; by: number }
  | { type: 'pane'; pane?: 'output' | 'check' }
  | { type: 'output-owner'; step: number }
  | { type: 'restore'; passed: string[]; shown?: string[]; current?: string }
  | { type: 'ask'; prompt: Omit<AnswerPrompt, 'value' | 'given'> }
  | { type: 'answer-edit'; value: string }
  | { type: 'answer-next' }
  | { type: 'answer-cancel' }
  | { type: 'pick-open'; places: ShellPlace[] }
  | { type: 'pick-move'; by: number }
  | { type: 'pick-close' }
  | { type: 'paste-open' }
  | { type: 'paste-edit'; text: string }
  | { type: 'paste-close' };

const freshStep = (): StepUi => ({ state: 'todo', hintsShown: 0, solutionShown: false, tries: 0, checks: [] });

export function initialLab(lab: Lab): LabUiState {
  return { lab, steps: lab.steps.map(freshStep), selected: 0, scrollBack: 0, pane: 'output', checkScroll: 0, complete: false };
}

function setStep(s: LabUiState, i: number, f: (st: StepUi) => StepUi): LabUiState {
  if (i < 0 || i >= s.steps.length) return s;
  return { ...s, steps: s.steps.map((st, k) => (k === i ? f(st) : st)) };
}

/** A step counts as done once the learner passed it or hoplab showed it. */
export const isDone = (st: { state: StepState }): boolean => st.state === 'passed' || st.state === 'shown';

function finishStep(s: LabUiState, step: number, outcome: Outcome, checks: CheckResult[], error?: string): LabUiState {
  let next = setStep(s, step, (st) => ({
    ...st,
    state: outcome,
    tries: st.tries + 1,
    checks,
    ...(error ? { error } : { error: undefined }),
  }));
  const path = pathFromChecks(checks);
  if (path) next = { ...next, lastPath: path };
  if (checks.length) next = { ...next, pane: 'check', checkScroll: 0 };
  // The learner stays on the step to read its check (the hops it saw); `n` moves on.
  return { ...next, complete: next.steps.every(isDone) };
}

function onEvent(s: LabUiState, e: RunEvent): LabUiState {
  switch (e.type) {
    case 'step-start':
      return { ...setStep(s, e.step, (st) => ({ ...st, state: 'running', checks: [] })), pane: 'output', scrollBack: 0 };
    case 'command-start':
      return s.busy ? { ...s, busy: { ...s.busy, doing: `${e.where === 'kubectl' ? '' : e.where}$ ${e.display}` } } : s;
    case 'check':
      return setStep(s, e.step, (st) => ({ ...st, checks: [...st.checks.filter((c) => c.id !== e.result.id), e.result] }));
    case 'step-end':
      return finishStep(s, e.step, e.result.outcome, e.result.checks, e.result.error);
    case 'catch-up-end':
      return e.result.steps.filter((st) => !st.error).reduce((acc, st) => setStep(acc, st.index, (u) => ({ ...u, caughtUp: true })), s);
    default:
      return s;
  }
}

export function labUiReducer(s: LabUiState, a: LabUiAction): LabUiState {
  switch (a.type) {
    case 'event':
      return onEvent(s, a.event);
    case 'move': {
      const n = s.steps.length;
      return n ? { ...s, selected: Math.min(n - 1, Math.max(0, s.selected + a.by)), scrollBack: 0, checkScroll: 0 } : s;
    }
    case 'select':
      return a.index >= 0 && a.index < s.steps.length ? { ...s, selected: a.index } : s;
    case 'busy': {
      const next = { ...s, busy: a.busy, outputFor: a.busy.step };
      return a.busy.kind === 'reset' || a.busy.kind === 'catch-up' ? next : setStep(next, a.busy.step, (st) => ({ ...st, state: 'running', checks: [] }));
    }
    case 'checked': {
      const step = s.lab.steps[a.step];
      const want = step ? gradedChecks(step) : 0;
      return finishStep(s, a.step, outcomeOf(a.checks.length === want && a.checks.every((c) => c.passed), 'learner'), a.checks);
    }
    case 'idle': {
      const b = s.busy;
      const next: LabUiState = { ...s, busy: undefined };
      // A run that ended without step-end (cancelled, the provider failed) is a failed try.
      if (b && b.kind !== 'reset' && b.kind !== 'catch-up' && next.steps[b.step]?.state === 'running') {
        return setStep(next, b.step, (st) => ({ ...st, state: 'failed', tries: st.tries + 1, ...(a.error ? { error: a.error } : {}) }));
      }
      return a.error && b ? setStep(next, b.step, (st) => ({ ...st, error: a.error })) : next;
    }
    case 'hint': {
      const total = s.lab.steps[s.selected]?.hints.length ?? 0;
      return setStep(s, s.selected, (st) => ({ ...st, hintsShown: Math.min(total, st.hintsShown + 1) }));
    }
    case 'solution':
      return setStep(s, s.selected, (st) => ({ ...st, solutionShown: !st.solutionShown }));
    case 'reset-step':
      return { ...setStep(s, a.step, () => freshStep()), complete: false, pane: 'output' };
    case 'start-over':
      return initialLab(s.lab);
    case 'scroll':
      // `by` > 0 scrolls up: back in the output, towards the top of the check table.
      if (s.pane === 'check') return { ...s, checkScroll: Math.min(500, Math.max(0, s.checkScroll - a.by)) };
      return { ...s, scrollBack: Math.max(0, s.scrollBack + a.by) };
    case 'pane':
      return { ...s, pane: a.pane ?? (s.pane === 'output' ? 'check' : 'output') };
    case 'output-owner':
      return { ...s, outputFor: a.step, pane: 'output', scrollBack: 0 };
    case 'restore': {
      const stateOf = (id: string, st: StepUi): StepUi =>
        a.passed.includes(id) ? { ...st, state: 'passed' } : a.shown?.includes(id) ? { ...st, state: 'shown' } : st;
      const steps = s.lab.steps.map((st, i) => stateOf(st.id, s.steps[i]!));
      const at = a.current ? s.lab.steps.findIndex((st) => st.id === a.current) : steps.findIndex((st) => !isDone(st));
      const complete = steps.length > 0 && steps.every(isDone);
      return { ...s, steps, selected: at >= 0 ? at : 0, complete };
    }
    case 'ask':
      return { ...s, answer: { ...a.prompt, given: {}, value: '' } };
    case 'answer-edit':
      return s.answer ? { ...s, answer: { ...s.answer, value: a.value } } : s;
    case 'answer-next': {
      const p = s.answer;
      if (!p || !p.queue.length) return s;
      const [head, ...rest] = p.queue;
      return { ...s, answer: { ...p, queue: rest, given: { ...p.given, [head!.id]: p.value.trim() }, value: '' } };
    }
    case 'answer-cancel':
      return { ...s, answer: undefined };
    case 'paste-open':
      return { ...s, paste: { step: s.selected, text: '' } };
    case 'paste-edit':
      return s.paste ? { ...s, paste: { ...s.paste, text: a.text } } : s;
    case 'paste-close':
      return { ...s, paste: undefined };
    case 'pick-open':
      return a.places.length ? { ...s, pick: { places: a.places, selected: 0 } } : s;
    case 'pick-move': {
      if (!s.pick) return s;
      const n = s.pick.places.length;
      return { ...s, pick: { ...s.pick, selected: (s.pick.selected + a.by + n) % n } };
    }
    case 'pick-close':
      return { ...s, pick: undefined };
  }
}

/** The journal's line for a step hoplab ran. */
export function stepSummary(r: StepResult, t: T = (s, v) => translate('en', s, v)): string {
  const failed = r.checks.filter((c) => !c.passed && !c.skipped);
  const at = { n: r.index + 1, title: r.title };
  if (r.passed) return r.outcome === 'shown' ? t("◇ step {n} '{title}' shown: hoplab ran the solution", at) : t("✓ step {n} '{title}' passed", at);
  const why = failed[0]?.summary ?? r.error;
  return why ? t("✗ step {n} '{title}' failed: {why}", { ...at, why }) : t("✗ step {n} '{title}' failed", at);
}
