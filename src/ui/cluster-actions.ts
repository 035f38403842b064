// The cluster's effects: bring it up (undone when stopped), take it down,
// open a lab on it where the learner left off.
import type { Lab } from '../labs/model.js';
import { errorLine } from '../core/errors.js';
import type { Ctl } from './ctl.js';

export function openLab(ctl: Ctl, lab: Lab): void {
  const { store } = ctl;
  const d = store.dispatch;
  d({ type: 'lab-open', lab });
  const p = ctl.progress.labs[lab.id];
  if (p) {
    const current = lab.steps[Math.min(p.step, lab.steps.length - 1)]?.id;
    d({ type: 'lab', action: { type: 'restore', passed: p.passed, ...(p.shown ? { shown: p.shown } : {}), ...(current ? { current } : {}) } });
  }
  d({ type: 'journal', text: `${ctl.t("opened lab '{title}'", { title: lab.title })}${p ? ctl.t(', back at step {n}', { n: (store.get().lab?.selected ?? 0) + 1 }) : ''}` });
}

export async function bringUp(ctl: Ctl, cni: string, workers: number, then?: Lab, extra: { lan?: boolean } = {}): Promise<void> {
  const { store, deps } = ctl;
  const d = store.dispatch;
  const { provider } = deps;
  const started = deps.now();
  const abort = new AbortController();
  ctl.upAbort = abort;
  // Adding the office LAN to a running cluster: a stop must not take the cluster itself down.
  const adding = store.get().start.cluster.state === 'up';
  d({ type: 'start', action: { type: 'cluster', cluster: { ...store.get().start.cluster, state: 'coming-up', cni } } });
  const about = { lab: provider.lab, cni, n: workers + 1 };
  d({ type: 'bringup-begin', what: extra.lan ? ctl.t("lab '{lab}' ({cni}, {n} nodes, office LAN)", about) : ctl.t("lab '{lab}' ({cni}, {n} nodes)", about), at: started });
  const tick = setInterval(() => d({ type: 'bringup', action: { type: 'tick', at: deps.now() } }), 200);
  try {
    await provider.up({ cni: cni as never, workers, ...(extra.lan ? { lan: true } : {}), signal: abort.signal, onEvent: (event) => d({ type: 'bringup', action: { type: 'progress', event, at: deps.now() } }) });
    if (abort.signal.aborted && !adding) {
      // Stopped, but the provider finished anyway: undo it, as a cancelled bring-up must leave nothing.
      await provider.down({ onEvent: (event) => d({ type: 'bringup', action: { type: 'progress', event, at: deps.now() } }) });
      d({ type: 'bringup', action: { type: 'failed', message: ctl.t('bring-up stopped; what it built was taken down again'), at: deps.now() } });
      d({ type: 'journal', text: ctl.t("bring-up of lab '{lab}' stopped; nothing was left behind", { lab: provider.lab }) });
      await ctl.refreshFacts();
      return;
    }
    d({ type: 'bringup', action: { type: 'done', at: deps.now() } });
    d({ type: 'journal', text: ctl.t("✓ lab '{lab}' is up in {s} s ({cni})", { lab: provider.lab, s: ((deps.now() - started) / 1000).toFixed(1), cni }), tone: 'ok' });
    await ctl.refreshFacts();
    if (then && !ctl.exitAfterAbort) openLab(ctl, then);
    else if (!then) d({ type: 'screen', screen: 'start' });
  } catch (err) {
    const e = ctl.userError(err);
    d({ type: 'bringup', action: { type: 'failed', ...e, at: deps.now() } });
    d({ type: 'journal', text: ctl.t("✗ bringing up lab '{lab}' failed: {error}", { lab: provider.lab, error: e.message }), tone: 'bad' });
    await ctl.refreshFacts();
  } finally {
    clearInterval(tick);
    ctl.upAbort = undefined;
    if (ctl.exitAfterAbort) d({ type: 'exit', code: 130 });
  }
}

export async function takeDown(ctl: Ctl, thenExit: boolean): Promise<void> {
  const { store, deps } = ctl;
  const d = store.dispatch;
  d({ type: 'notice', text: ctl.t("taking lab '{lab}' down…", { lab: deps.provider.lab }), tone: 'busy' });
  try {
    await deps.provider.down({});
    d({ type: 'journal', text: ctl.t("lab '{lab}' is down", { lab: deps.provider.lab }) });
    d({ type: 'notice' });
  } catch (err) {
    const e = ctl.userError(err);
    d({ type: 'notice', text: errorLine(e), tone: 'bad' });
  }
  await ctl.refreshFacts();
  if (thenExit) d({ type: 'exit', code: 0 });
}
