// The lab screen's effects: run a step through the runner, check what the
// learner did, open a shell where the step runs, ask the step's questions.
import type { Key } from 'ink';
import type { RunEvent } from '../labs/results.js';
import { stepCreatingPod, stepRunsOn, type Lab } from '../labs/model.js';
import type { ClusterFacts } from '../core/facts.js';
import { missingNeeds } from '../labs/missing.js';
import { learnerText, renderTemplates } from '../labs/templates.js';
import { sessionHeader } from '../labs/transcript.js';
import { transcriptText } from './shell-handover.js';
import type { SpawnSpec } from '../providers/provider.js';
import { errorLine } from '../core/errors.js';
import type { Ctl } from './ctl.js';
import { catchUpOffer, stepSummary } from './lab-state.js';
import { placeLabel, shellPlaces, type ShellPlace } from './shell-target.js';

function current(ctl: Ctl) {
  const s = ctl.store.get();
  const lab = s.lab;
  if (s.screen !== 'lab' || !lab) return undefined;
  if (lab.busy) {
    ctl.store.dispatch({ type: 'notice', text: ctl.t('a step is still running: wait, or Ctrl-C to stop it'), tone: 'warn' });
    return undefined;
  }
  return { lab, index: lab.selected, step: lab.lab.steps[lab.selected]! };
}

/** Mirrors the runner's events into the output pane (the store gets them as actions). */
export function sink(ctl: Ctl): (e: RunEvent) => void {
  const out = ctl.deps.output;
  return (e) => {
    ctl.store.dispatch({ type: 'lab', action: { type: 'event', event: e } });
    switch (e.type) {
      case 'command-start':
        out.line(`${e.phase === 'run' ? '' : `(${e.phase}) `}${e.where === 'kubectl' ? '' : e.where}$ ${e.display}`, 'info');
        break;
      case 'output':
        out.line(e.line, e.stream);
        break;
      case 'wait':
        if (e.state !== 'start') out.line(`${e.state === 'done' ? '✓' : '✗'} ${e.condition}${e.detail ? `: ${e.detail}` : ''}`, 'info');
        else out.line(ctl.t('… waiting for {condition}', { condition: e.condition }), 'info');
        break;
      case 'command-end':
        if (e.result.error) out.line(learnerText(e.result.error), 'stderr');
        break;
      case 'catch-up-step':
        out.line(ctl.t('── catching up: step {n}, {title} (its solution, not checked)', { n: e.step + 1, title: e.title }), 'info');
        break;
      case 'check':
        out.line(ctl.t('{mark} check: {title} — {summary}', { mark: e.result.skipped ? '–' : e.result.passed ? '✓' : '✗', title: e.result.title, summary: e.result.summary }), 'info');
        break;
    }
  };
}

async function afterStep(ctl: Ctl, index: number): Promise<void> {
  const s = ctl.store.get();
  const ui = s.lab?.steps[index];
  const step = s.lab?.lab.steps[index];
  if (!ui || !step || !s.lab) return;
  ctl.saveProgress(s.lab.selected, ui.state === 'passed' || ui.state === 'shown' ? { id: step.id, outcome: ui.state } : undefined);
  await ctl.refreshFacts();
  if (s.lab.complete) {
    ctl.store.dispatch({ type: 'journal', text: ctl.t("★ lab complete: '{title}', all {n} steps done", { title: s.lab.lab.title, n: s.lab.steps.length }), tone: 'ok' });
  }
}

type Busy = { kind: 'run' | 'check' | 'reset' | 'catch-up'; step: number };

/**
 * The skeleton every step job shares: busy while it runs, Ctrl-C aborts it,
 * a thrown error becomes the user's message; `done` gets the error (and
 * whether it was thrown) after the output is flushed.
 */
export function stepJob(ctl: Ctl, busy: Busy, work: (signal: AbortSignal) => Promise<string | undefined>, done: (error: string | undefined, thrown: boolean) => Promise<void>): void {
  const abort = new AbortController();
  ctl.stepAbort = abort;
  ctl.store.dispatch({ type: 'lab', action: { type: 'busy', busy } });
  ctl.track(
    (async () => {
      let error: string | undefined;
      let thrown = false;
      try {
        error = await work(abort.signal);
      } catch (err) {
        error = errorLine(ctl.userError(err));
        thrown = true;
      } finally {
        ctl.stepAbort = undefined;
        ctl.deps.output.flush();
      }
      await done(error, thrown);
    })(),
  );
}

/** A run or check ended: idle, the error as a notice, progress saved. */
async function stepEnded(ctl: Ctl, index: number, error: string | undefined): Promise<void> {
  ctl.store.dispatch({ type: 'lab', action: { type: 'idle', ...(error ? { error } : {}) } });
  if (error) ctl.store.dispatch({ type: 'notice', text: error, tone: 'bad' });
  await afterStep(ctl, index);
}

/**
 * Jumped ahead: the step names a pod or Service an earlier step creates and the
 * cluster lacks it. Said before anything runs or is asked, naming that step.
 */
function aheadMessage(ctl: Ctl, lab: Lab, index: number, facts: ClusterFacts): string | undefined {
  const missing = missingNeeds(lab, index, facts);
  const first = missing[0];
  if (!first) return undefined;
  const names = missing.filter((m) => m.step.index === first.step.index).map((m) => m.name).join(', ');
  return ctl.t("{names}: not there yet, step {n} '{title}' creates it. u catches you up (runs the solutions this step needs, unchecked)", { names, n: first.step.index + 1, title: first.step.title });
}

/**
 * Runs `go` unless the learner jumped ahead of what the step needs; then says
 * which step creates it. The screen's facts may predate the step just run (they
 * are refreshed after it): a step they call missing is asked of the cluster again.
 */
function unlessAhead(ctl: Ctl, lab: Lab, index: number, go: () => void): void {
  const cached = ctl.store.get().facts;
  if (!cached || !stepRunsOn(lab.steps[index]!, ctl.deps.provider.name) || !aheadMessage(ctl, lab, index, cached)) return go();
  void ctl.deps.provider
    .facts()
    .catch(() => cached)
    .then((facts) => {
      const ahead = aheadMessage(ctl, lab, index, facts);
      if (ahead) ctl.store.dispatch({ type: 'notice', text: ahead, tone: 'warn' });
      else go();
    });
}

export function runSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  unlessAhead(ctl, cur.lab.lab, cur.index, () => runStep(ctl, cur));
}

function runStep(ctl: Ctl, cur: NonNullable<ReturnType<typeof current>>): void {
  const { deps, store } = ctl;
  deps.output.clear();
  deps.output.line(ctl.t('── step {n}: {title} (hoplab runs it)', { n: cur.index + 1, title: cur.step.title }), 'info');
  stepJob(
    ctl,
    { kind: 'run', step: cur.index },
    async (signal) => {
      const r = await deps.runLab(cur.lab.lab, deps.provider, { steps: [cur.index], onEvent: sink(ctl), signal });
      const sr = r.steps[0];
      if (sr) store.dispatch({ type: 'journal', text: stepSummary(sr, ctl.t), tone: sr.passed ? 'ok' : 'bad' });
      return sr ? undefined : r.error;
    },
    async (error, thrown) => {
      if (error && thrown) deps.output.line(error, 'stderr');
      await stepEnded(ctl, cur.index, error);
    },
  );
}

function runCheck(ctl: Ctl, index: number, answers: Record<string, string>): void {
  const { deps, store } = ctl;
  const lab = store.get().lab!;
  deps.output.line(ctl.t('── checking step {n} on the cluster as it is now', { n: index + 1 }), 'info');
  stepJob(
    ctl,
    { kind: 'check', step: index },
    async (signal) => {
      const transcript = ctl.transcripts.get(index) ?? '';
      const checks = await deps.checkStep(lab.lab, index, deps.provider, answers, { signal, onEvent: sink(ctl), transcript });
      store.dispatch({ type: 'lab', action: { type: 'checked', step: index, checks } });
      const ok = store.get().lab!.steps[index]!.state === 'passed';
      const at = { n: index + 1, title: lab.lab.steps[index]!.title };
      store.dispatch({ type: 'journal', text: ok ? ctl.t("✓ step {n} '{title}' passed (your try)", at) : ctl.t("✗ step {n} '{title}' not yet (your try)", at), tone: ok ? 'ok' : 'bad' });
      return undefined;
    },
    (error) => stepEnded(ctl, index, error),
  );
}

export function checkSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  // A step for another provider has nothing to check here: the runner marks it skipped.
  if (!stepRunsOn(cur.step, ctl.deps.provider.name)) return runSelected(ctl);
  // Before its questions: asking what httpd's gateway is means nothing while there is no httpd.
  unlessAhead(ctl, cur.lab.lab, cur.index, () => {
    const questions = cur.step.checks.flatMap((c) => (c.kind === 'answer' ? [{ id: c.id, question: c.question }] : []));
    if (questions.length) {
      ctl.store.dispatch({ type: 'lab', action: { type: 'ask', prompt: { step: cur.index, queue: questions, then: 'check' } } });
      return;
    }
    runCheck(ctl, cur.index, {});
  });
}

/** A key that types nothing into an answer or the paste box (moves, Tab, Ctrl and Meta combinations). */
const notText = (key: Key) => key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow;

/** Keys while a question is on screen: typing edits the answer, Enter gives it, Esc gives up. */
export function answerKey(ctl: Ctl, input: string, key: Key): void {
  const { store } = ctl;
  const p = store.get().lab?.answer;
  if (!p) return;
  const d = store.dispatch;
  if (key.escape || (key.ctrl && input === 'c')) return d({ type: 'lab', action: { type: 'answer-cancel' } });
  if (key.return) {
    d({ type: 'lab', action: { type: 'answer-next' } });
    const after = store.get().lab!.answer!;
    if (after.queue.length === 0) {
      d({ type: 'lab', action: { type: 'answer-cancel' } });
      runCheck(ctl, after.step, after.given);
    }
    return;
  }
  if (key.backspace || key.delete) return d({ type: 'lab', action: { type: 'answer-edit', value: p.value.slice(0, -1) } });
  if (notText(key)) return;
  // eslint-disable-next-line no-control-regex
  const text = input.replace(/[\x00-\x1f\x7f]/g, '');
  if (text) d({ type: 'lab', action: { type: 'answer-edit', value: (p.value + text).slice(0, 200) } });
}

/** `p`: a box for what the learner ran in their own terminal; it becomes the step's evidence, as a shell hoplab opened. */
export function pasteSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur || ctl.store.get().lab?.busy) return;
  ctl.store.dispatch({ type: 'lab', action: { type: 'paste-open' } });
}

/** Keys while the paste box is open: text (a paste arrives as one chunk) and Enter add, Ctrl-D checks, Esc cancels. */
export function pasteKey(ctl: Ctl, input: string, key: Key): void {
  const { store } = ctl;
  const p = store.get().lab?.paste;
  if (!p) return;
  const d = store.dispatch;
  if (key.escape || (key.ctrl && input === 'c')) return d({ type: 'lab', action: { type: 'paste-close' } });
  if (key.ctrl && input === 'd') {
    d({ type: 'lab', action: { type: 'paste-close' } });
    if (!p.text.trim()) return d({ type: 'notice', text: ctl.t('nothing pasted: nothing to check'), tone: 'warn' });
    // Pasted from the learner's own terminal: the prompts in it say where each command ran.
    // Played through the terminal emulator like a shell's bytes, so pasted line editing reads as the terminal showed it.
    void transcriptText(p.text).then((text) => {
      keepTranscript(ctl, p.step, `${sessionHeader({ kind: 'kubectl' })}\n${text}`);
      checkSelected(ctl);
    });
    return;
  }
  if (key.return) return d({ type: 'lab', action: { type: 'paste-edit', text: (p.text + '\n').slice(-TRANSCRIPT_LIMIT) } });
  if (key.backspace || key.delete) return d({ type: 'lab', action: { type: 'paste-edit', text: p.text.slice(0, -1) } });
  if (notText(key)) return;
  // eslint-disable-next-line no-control-regex
  const text = input.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
  if (text) d({ type: 'lab', action: { type: 'paste-edit', text: (p.text + text).slice(-TRANSCRIPT_LIMIT) } });
}

export function shellSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  const places = shellPlaces(cur.step);
  if (places.length === 1) return openShell(ctl, places[0]!);
  ctl.store.dispatch({ type: 'lab', action: { type: 'pick-open', places } });
}

/** Enter in the place picker. */
export function pickPlace(ctl: Ctl): void {
  const pick = ctl.store.get().lab?.pick;
  if (!pick) return;
  ctl.store.dispatch({ type: 'lab', action: { type: 'pick-close' } });
  openShell(ctl, pick.places[pick.selected]!);
}

/** Why `s` cannot open a shell in a pod: it is not there yet, and which step makes it. */
function missingPod(facts: ClusterFacts | undefined, lab: Lab, place: ShellPlace, t: Ctl['t']): string | undefined {
  const target = place.kind === 'target' ? place.target : undefined;
  if (target?.kind !== 'pod' || !facts) return undefined;
  const { name } = target;
  if (facts.pods.some((p) => p.name === name && (target.namespace ?? 'default') === p.namespace)) return undefined;
  const step = stepCreatingPod(lab, name);
  return step ? t("pod {name} is not there yet: step {n} '{title}' creates it (Enter on that step runs it)", { name, n: step.index + 1, title: step.title }) : t('pod {name} is not there yet', { name });
}

export function openShell(ctl: Ctl, place: ShellPlace): void {
  const cur = current(ctl);
  if (!cur) return;
  const { deps, store } = ctl;
  const where = placeLabel(place, ctl.t);
  const missing = missingPod(store.get().facts, cur.lab.lab, place, ctl.t);
  if (missing) return store.dispatch({ type: 'notice', text: missing, tone: 'warn' });
  ctl.track(
    (async () => {
      let spec: SpawnSpec;
      try {
        if (place.kind === 'kubectl') {
          const env = await deps.provider.kubeEnv();
          spec = { file: process.env.SHELL || '/bin/sh', args: [], env: { ...env, HOPLAB_SHELL: deps.provider.lab } };
        } else spec = await deps.provider.shell(place.target);
      } catch (err) {
        const e = ctl.userError(err);
        store.dispatch({ type: 'notice', text: ctl.t('no shell {where}: {error}', { where, error: errorLine(e) }), tone: 'bad' });
        return;
      }
      const facts = store.get().facts;
      const cmds = cur.step.run.map((c) => `    ${c.where.kind === 'kubectl' ? '' : `${placeLabel({ kind: 'target', target: c.where }).replace(/^(on|in pod) /, '')}$ `}${renderTemplates(c.display, facts, deps.provider.lab)}`).join('\r\n');
      const banner = `${ctl.t("hoplab: a shell {where} (lab '{lab}'), step {n}: {title}", { where, lab: deps.provider.lab, n: cur.index + 1, title: cur.step.title })}\r\n${cmds ? `${ctl.t('the step asks for:')}\r\n${cmds}\r\n` : ''}${ctl.t('type exit or Ctrl-D to come back to hoplab, then c to check.')}\r\n`;
      const r = await deps.handover(spec, banner);
      keepTranscript(ctl, cur.index, `${sessionHeader(place.kind === 'kubectl' ? { kind: 'kubectl' } : place.target)}\n${r.transcript}`);
      deps.output.clear();
      deps.output.line(ctl.t('── your shell {where} (exit {code})', { where, code: r.exitCode }), 'info');
      for (const l of r.transcript.split('\n').slice(-200)) deps.output.line(l);
      deps.output.flush();
      store.dispatch({ type: 'lab', action: { type: 'output-owner', step: cur.index } });
      store.dispatch({ type: 'journal', text: ctl.t('shell {where} closed (exit {code})', { where, code: r.exitCode }) });
      store.dispatch({ type: 'notice', text: ctl.t('back from the shell: press c to check what you did'), tone: 'accent' });
      await ctl.refreshFacts();
    })(),
  );
}

/** Sessions of one step, newest last, the oldest dropped past the bound. */
const TRANSCRIPT_LIMIT = 64 * 1024;
function keepTranscript(ctl: Ctl, step: number, text: string): void {
  const all = `${ctl.transcripts.get(step) ?? ''}${text}\n`;
  ctl.transcripts.set(step, all.length > TRANSCRIPT_LIMIT ? all.slice(all.length - TRANSCRIPT_LIMIT) : all);
}

export function resetSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  const { deps, store } = ctl;
  store.dispatch({ type: 'lab', action: { type: 'reset-step', step: cur.index } });
  ctl.transcripts.delete(cur.index);
  const prev = ctl.progress.labs[cur.lab.lab.id];
  if (prev) ctl.progress = { ...ctl.progress, labs: { ...ctl.progress.labs, [cur.lab.lab.id]: { ...prev, passed: prev.passed.filter((p) => p !== cur.step.id) } } };
  ctl.saveProgress(cur.index);
  if (!cur.step.reset.length) {
    store.dispatch({ type: 'notice', text: ctl.t('step {n} is todo again', { n: cur.index + 1 }), tone: 'accent' });
    return;
  }
  // The step's clean-up (delete the pods an earlier try left), so the learner starts from a clean slate.
  deps.output.clear();
  deps.output.line(ctl.t('── step {n}: cleaning up for a fresh start', { n: cur.index + 1 }), 'info');
  stepJob(
    ctl,
    { kind: 'reset', step: cur.index },
    async (signal) => {
      const rs = await deps.resetStep(cur.lab.lab, cur.index, deps.provider, { onEvent: sink(ctl), signal });
      const bad = rs.find((r) => !r.ok);
      return bad ? (bad.error ?? `${bad.display} exited ${bad.exitCode}`) : undefined;
    },
    async (error) => {
      store.dispatch({ type: 'lab', action: { type: 'idle' } });
      store.dispatch({ type: 'notice', text: error ? ctl.t('clean-up failed: {error}', { error }) : ctl.t('step {n} is todo again, cleaned up', { n: cur.index + 1 }), tone: error ? 'bad' : 'accent' });
      await ctl.refreshFacts();
    },
  );
}

/** `u`: run the solutions of the earlier steps the selected one needs, shown as they run, then stay on it. */
export function catchUpSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  const { deps, store } = ctl;
  const plan = catchUpOffer(cur.lab, deps.provider.name);
  if (!plan.length || !deps.catchUp) {
    store.dispatch({ type: 'notice', text: !deps.catchUp ? ctl.t('catch-up is not available here') : ctl.t('step {n} needs nothing an earlier step makes that is missing', { n: cur.index + 1 }), tone: 'accent' });
    return;
  }
  deps.output.clear();
  const steps = { n: cur.index + 1, list: plan.map((i) => i + 1).join(', ') };
  deps.output.line(plan.length === 1 ? ctl.t('── catching up to step {n}: the solution of step {list}', steps) : ctl.t('── catching up to step {n}: the solutions of steps {list}', steps), 'info');
  let took = 0;
  stepJob(
    ctl,
    { kind: 'catch-up', step: cur.index },
    async (signal) => {
      const r = await deps.catchUp!(cur.lab.lab, [cur.index], deps.provider, { onEvent: sink(ctl), signal });
      took = r.durationMs;
      return r.ok ? undefined : (r.error ?? ctl.t('catch-up failed'));
    },
    async (error) => {
      store.dispatch({ type: 'lab', action: { type: 'idle' } });
      store.dispatch({ type: 'lab', action: { type: 'select', index: cur.index } });
      store.dispatch({
        type: 'notice',
        text: error ? ctl.t('catch-up failed: {error}', { error }) : ctl.t('caught up in {s} s: step {n} is ready (Enter runs it, s opens a shell)', { s: (took / 1000).toFixed(1), n: cur.index + 1 }),
        tone: error ? 'bad' : 'ok',
      });
      await ctl.refreshFacts();
    },
  );
}
