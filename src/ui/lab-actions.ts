// The lab screen's effects: run a step through the runner, check what the
// learner did, open a shell where the step runs, ask the step's questions.
import type { Key } from 'ink';
import type { RunEvent } from '../labs/results.js';
import { stepCreatingPod, stepRunsOn, type Lab } from '../labs/model.js';
import type { ClusterFacts } from '../core/facts.js';
import { renderTemplates } from '../labs/templates.js';
import type { SpawnSpec } from '../providers/provider.js';
import { errorLine } from '../core/errors.js';
import type { Ctl } from './controller.js';
import { stepSummary } from './lab-state.js';
import { placeLabel, shellPlaces, type ShellPlace } from './shell-target.js';

function current(ctl: Ctl) {
  const s = ctl.store.get();
  const lab = s.lab;
  if (s.screen !== 'lab' || !lab) return undefined;
  if (lab.busy) {
    ctl.store.dispatch({ type: 'notice', text: 'a step is still running: wait, or Ctrl-C to stop it', tone: 'warn' });
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
        else out.line(`… waiting for ${e.condition}`, 'info');
        break;
      case 'command-end':
        if (e.result.error) out.line(e.result.error, 'stderr');
        break;
      case 'check':
        out.line(`${e.result.skipped ? '–' : e.result.passed ? '✓' : '✗'} check: ${e.result.title} — ${e.result.summary}`, 'info');
        break;
    }
  };
}

async function afterStep(ctl: Ctl, index: number): Promise<void> {
  const s = ctl.store.get();
  const ui = s.lab?.steps[index];
  const step = s.lab?.lab.steps[index];
  if (!ui || !step || !s.lab) return;
  const passed = ui.state === 'passed';
  ctl.saveProgress(s.lab.selected, passed ? step.id : undefined);
  await ctl.refreshFacts();
  if (s.lab.complete) {
    ctl.store.dispatch({ type: 'journal', text: `★ lab complete: '${s.lab.lab.title}', all ${s.lab.steps.length} steps passed`, tone: 'ok' });
  }
}

export function runSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  const { deps, store } = ctl;
  const abort = new AbortController();
  ctl.stepAbort = abort;
  deps.output.clear();
  deps.output.line(`── step ${cur.index + 1}: ${cur.step.title} (hoplab runs it)`, 'info');
  store.dispatch({ type: 'lab', action: { type: 'busy', busy: { kind: 'run', step: cur.index } } });
  ctl.track(
    (async () => {
      let error: string | undefined;
      try {
        const r = await deps.runLab(cur.lab.lab, deps.provider, { steps: [cur.index], onEvent: sink(ctl), signal: abort.signal });
        const sr = r.steps[0];
        if (sr) store.dispatch({ type: 'journal', text: stepSummary(sr), tone: sr.passed ? 'ok' : 'bad' });
        else if (r.error) error = r.error;
      } catch (err) {
        const e = ctl.userError(err);
        error = errorLine(e);
        deps.output.line(error, 'stderr');
      } finally {
        ctl.stepAbort = undefined;
        deps.output.flush();
        store.dispatch({ type: 'lab', action: { type: 'idle', ...(error ? { error } : {}) } });
        if (error) store.dispatch({ type: 'notice', text: error, tone: 'bad' });
      }
      await afterStep(ctl, cur.index);
    })(),
  );
}

function runCheck(ctl: Ctl, index: number, answers: Record<string, string>): void {
  const { deps, store } = ctl;
  const lab = store.get().lab!;
  const abort = new AbortController();
  ctl.stepAbort = abort;
  deps.output.line(`── checking step ${index + 1} on the cluster as it is now`, 'info');
  store.dispatch({ type: 'lab', action: { type: 'busy', busy: { kind: 'check', step: index } } });
  ctl.track(
    (async () => {
      let error: string | undefined;
      try {
        const checks = await deps.checkStep(lab.lab, index, deps.provider, answers, { signal: abort.signal, onEvent: sink(ctl) });
        store.dispatch({ type: 'lab', action: { type: 'checked', step: index, checks } });
        const st = store.get().lab!;
        const ok = st.steps[index]!.state === 'passed';
        store.dispatch({ type: 'journal', text: `${ok ? '✓' : '✗'} step ${index + 1} '${lab.lab.steps[index]!.title}' ${ok ? 'passed' : 'not yet'} (your try)`, tone: ok ? 'ok' : 'bad' });
      } catch (err) {
        const e = ctl.userError(err);
        error = errorLine(e);
      } finally {
        ctl.stepAbort = undefined;
        deps.output.flush();
        store.dispatch({ type: 'lab', action: { type: 'idle', ...(error ? { error } : {}) } });
        if (error) store.dispatch({ type: 'notice', text: error, tone: 'bad' });
      }
      await afterStep(ctl, index);
    })(),
  );
}

export function checkSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  // A step for another provider has nothing to check here: the runner marks it skipped.
  if (!stepRunsOn(cur.step, ctl.deps.provider.name)) return runSelected(ctl);
  const questions = cur.step.checks.flatMap((c) => (c.kind === 'answer' ? [{ id: c.id, question: c.question }] : []));
  if (questions.length) {
    ctl.store.dispatch({ type: 'lab', action: { type: 'ask', prompt: { step: cur.index, queue: questions, then: 'check' } } });
    return;
  }
  runCheck(ctl, cur.index, {});
}

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
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
  // eslint-disable-next-line no-control-regex
  const text = input.replace(/[\x00-\x1f\x7f]/g, '');
  if (text) d({ type: 'lab', action: { type: 'answer-edit', value: (p.value + text).slice(0, 200) } });
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
function missingPod(facts: ClusterFacts | undefined, lab: Lab, place: ShellPlace): string | undefined {
  const target = place.kind === 'target' ? place.target : undefined;
  if (target?.kind !== 'pod' || !facts) return undefined;
  const { name } = target;
  if (facts.pods.some((p) => p.name === name && (target.namespace ?? 'default') === p.namespace)) return undefined;
  const step = stepCreatingPod(lab, name);
  return `pod ${name} is not there yet${step ? `: step ${step.index + 1} '${step.title}' creates it (Enter on that step runs it)` : ''}`;
}

export function openShell(ctl: Ctl, place: ShellPlace): void {
  const cur = current(ctl);
  if (!cur) return;
  const { deps, store } = ctl;
  const where = placeLabel(place);
  const missing = missingPod(store.get().facts, cur.lab.lab, place);
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
        store.dispatch({ type: 'notice', text: `no shell ${where}: ${errorLine(e)}`, tone: 'bad' });
        return;
      }
      const facts = store.get().facts;
      const cmds = cur.step.run.map((c) => `    ${c.where.kind === 'kubectl' ? '' : `${placeLabel({ kind: 'target', target: c.where }).replace(/^(on|in pod) /, '')}$ `}${renderTemplates(c.display, facts)}`).join('\r\n');
      const banner = `hoplab: a shell ${where} (lab '${deps.provider.lab}'), step ${cur.index + 1}: ${cur.step.title}\r\n${cmds ? `the step asks for:\r\n${cmds}\r\n` : ''}type exit or Ctrl-D to come back to hoplab, then c to check.\r\n`;
      const r = await deps.handover(spec, banner);
      deps.output.clear();
      deps.output.line(`── your shell ${where} (exit ${r.exitCode})`, 'info');
      for (const l of r.transcript.split('\n').slice(-200)) deps.output.line(l);
      deps.output.flush();
      store.dispatch({ type: 'lab', action: { type: 'output-owner', step: cur.index } });
      store.dispatch({ type: 'journal', text: `shell ${where} closed (exit ${r.exitCode})` });
      store.dispatch({ type: 'notice', text: 'back from the shell: press c to check what you did', tone: 'accent' });
      await ctl.refreshFacts();
    })(),
  );
}

export function resetSelected(ctl: Ctl): void {
  const cur = current(ctl);
  if (!cur) return;
  const { deps, store } = ctl;
  store.dispatch({ type: 'lab', action: { type: 'reset-step', step: cur.index } });
  const prev = ctl.progress.labs[cur.lab.lab.id];
  if (prev) ctl.progress = { ...ctl.progress, labs: { ...ctl.progress.labs, [cur.lab.lab.id]: { ...prev, passed: prev.passed.filter((p) => p !== cur.step.id) } } };
  ctl.saveProgress(cur.index);
  if (!cur.step.reset.length) {
    store.dispatch({ type: 'notice', text: `step ${cur.index + 1} is todo again`, tone: 'accent' });
    return;
  }
  // The step's clean-up (delete the pods an earlier try left), so the learner starts from a clean slate.
  const abort = new AbortController();
  ctl.stepAbort = abort;
  deps.output.clear();
  deps.output.line(`── step ${cur.index + 1}: cleaning up for a fresh start`, 'info');
  store.dispatch({ type: 'lab', action: { type: 'busy', busy: { kind: 'reset', step: cur.index } } });
  ctl.track(
    (async () => {
      let error: string | undefined;
      try {
        const rs = await deps.resetStep(cur.lab.lab, cur.index, deps.provider, { onEvent: sink(ctl), signal: abort.signal });
        const bad = rs.find((r) => !r.ok);
        if (bad) error = bad.error ?? `${bad.display} exited ${bad.exitCode}`;
      } catch (err) {
        const e = ctl.userError(err);
        error = errorLine(e);
      } finally {
        ctl.stepAbort = undefined;
        deps.output.flush();
        store.dispatch({ type: 'lab', action: { type: 'idle' } });
        store.dispatch({ type: 'notice', text: error ? `clean-up failed: ${error}` : `step ${cur.index + 1} is todo again, cleaned up`, tone: error ? 'bad' : 'accent' });
      }
      await ctl.refreshFacts();
    })(),
  );
}
