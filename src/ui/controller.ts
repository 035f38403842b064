// Turns keys (as UiCommands) into calls on the provider and the runner, and
// their results and events into actions on the store. The only place the UI
// has effects; what it shows is decided by the pure reducers.
import { nameFlag } from '../core/lab-name.js';
import { DEFAULT_CNI } from '../core/cni-modes.js';
import type { Key } from 'ink';
import { describeError, errorMessage } from '../core/errors.js';
import { LANG_NAMES, nextLang } from '../core/lang.js';
import { formatLabError, type Lab } from '../labs/model.js';
import { hasOfficeLan } from '../labs/runner.js';
import { emptyProgress, withStep, type ProgressFile } from '../labs/progress.js';
import type { AppAction, AppState } from './app-state.js';
import { clusterIsUp, keyContext } from './app-state.js';
import type { UiCommand } from './keymap.js';
import { bringUp, openLab, takeDown } from './cluster-actions.js';
import { answerKey, catchUpSelected, checkSelected, pasteKey, pasteSelected, pickPlace, resetSelected, runSelected, shellSelected } from './lab-actions.js';
import { translate } from './i18n.js';
import { startOver } from './start-over.js';
import type { UiDeps } from './ports.js';
import { modeFor, selectedLab, unbuildable, type LabEntry } from './start-state.js';
import type { Store } from './store.js';
import type { Ctl } from './ctl.js';


export interface Controller {
  init(): Promise<void>;
  command(cmd: UiCommand): void;
  answerKey(input: string, key: Key): void;
  /** Keys while the paste box is open. */
  pasteKey(input: string, key: Key): void;
  /** Keys while the raise-hand prompt is open. */
  handKey(input: string, key: Key): void;
  /** Resolves when every effect started so far has finished (tests, shutdown). */
  settled(): Promise<void>;
  /** Stops what runs (a bring-up is undone by the provider) and waits for it. */
  shutdown(): Promise<void>;
}

function entry(lab: Lab, progress: ProgressFile): LabEntry {
  const p = progress.labs[lab.id];
  const passed = p ? lab.steps.filter((s) => p.passed.includes(s.id)).length : 0;
  const shown = p ? lab.steps.filter((s) => p.shown?.includes(s.id)).length : 0;
  return { id: lab.id, title: lab.title, summary: lab.summary, cni: lab.cni, minutes: lab.minutes, steps: lab.steps.length, passed, ...(shown ? { shown } : {}), ...(p ? { resumeAt: p.step } : {}) };
}

/** Where the cursor starts: the lab last worked on, else the first of the catalog's order. */
export function preferredLab(labs: Lab[], progress: ProgressFile): number {
  let best = -1;
  let when = '';
  labs.forEach((l, i) => {
    const p = progress.labs[l.id];
    if (p && p.updatedAt > when) {
      when = p.updatedAt;
      best = i;
    }
  });
  return Math.max(0, best);
}

export function createController(store: Store<AppState, AppAction>, deps: UiDeps): Controller {
  const inFlight = new Set<Promise<unknown>>();
  const d = store.dispatch;
  const ctl: Ctl = {
    store,
    deps,
    labs: [],
    progress: emptyProgress(),
    transcripts: new Map(),
    track(p) {
      const t = p.catch((err) => d({ type: 'notice', text: ctl.t('internal error: {error}', { error: errorMessage(err) }), tone: 'bad' })).finally(() => inFlight.delete(t));
      inFlight.add(t);
    },
    async refreshFacts() {
      const st = await deps.provider.status().catch(() => undefined);
      if (!st) return;
      d({ type: 'start', action: { type: 'cluster', cluster: { provider: deps.provider.name, lab: deps.provider.lab, state: st.state, ...(st.cni ? { cni: st.cni } : {}), notes: st.notes } } });
      d({ type: 'facts', facts: st.facts });
    },
    saveProgress(step, done) {
      const lab = store.get().lab?.lab;
      if (!lab) return;
      ctl.progress = withStep(ctl.progress, lab.id, step, done);
      d({ type: 'start', action: { type: 'labs', labs: ctl.labs.map((l) => entry(l, ctl.progress)), errors: store.get().start.labErrors } });
      ctl.track(deps.progress.save(ctl.progress).catch((err) => d({ type: 'notice', text: ctl.t('progress not saved: {error}', { error: errorMessage(err) }), tone: 'warn' })));
    },
    t: (text, vars) => translate(store.get().lang, text, vars),
    userError(err) {
      const e = describeError(err);
      const hint = e.internal ? ctl.t('this is a bug in hoplab; the command line (hoplab up, hoplab run) shows more with HOPLAB_DEBUG=1') : e.hint;
      return { message: e.message, ...(hint ? { hint } : {}) };
    },
  };

  async function refreshStart(): Promise<void> {
    // The kernel probe makes a throwaway namespace of the lab's: done before status looks, or status would count it.
    const modes = store.get().start.modes ?? (await deps.workingModes?.().catch(() => undefined));
    const [catalog, progress, missing] = await Promise.all([
      deps.loadCatalog(store.get().lang).catch((err) => ({ labs: [], errors: [{ file: 'labs', line: 1, column: 1, path: '', message: errorMessage(err) }] })),
      deps.progress.load(),
      deps.missing().catch(() => ({ missing: [] as string[] })),
      ctl.refreshFacts(),
    ]);
    ctl.labs = catalog.labs;
    ctl.progress = progress.progress;
    const errors = catalog.errors.map(formatLabError);
    d({ type: 'start', action: { type: 'modes', ...(modes ? { modes } : {}) } });
    d({ type: 'start', action: { type: 'labs', labs: ctl.labs.map((l) => entry(l, ctl.progress)), errors, preferred: preferredLab(ctl.labs, ctl.progress) } });
    d({ type: 'start', action: { type: 'missing', missing: missing.missing, ...('install' in missing && missing.install ? { install: missing.install } : {}) } });
    d({ type: 'start', action: { type: 'loaded' } });
    if (progress.warning) d({ type: 'notice', text: progress.warning, tone: 'warn' });
  }

  /** The next language: the UI's words at once, the labs' prose once the catalog is read again in it. */
  async function switchLanguage(): Promise<void> {
    const lang = nextLang(store.get().lang);
    d({ type: 'lang', lang });
    d({ type: 'notice', text: ctl.t('language: {name}', { name: LANG_NAMES[lang] }), tone: 'accent' });
    const catalog = await deps.loadCatalog(lang);
    if (store.get().lang !== lang) return; // switched again meanwhile
    ctl.labs = catalog.labs;
    const errors = catalog.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
    d({ type: 'start', action: { type: 'labs', labs: ctl.labs.map((l) => entry(l, ctl.progress)), errors } });
    const open = store.get().lab;
    const again = open && ctl.labs.find((l) => l.id === open.lab.id);
    if (again) d({ type: 'lab-text', lab: again });
  }

  function open(): void {
    const s = store.get();
    const e = selectedLab(s.start);
    const lab = e && ctl.labs.find((l) => l.id === e.id);
    if (!e || !lab) return;
    const c = s.start.cluster;
    const cni = deps.cni ?? modeFor(e, c, s.start.modes);
    const workers = Math.max(deps.workers ?? 2, lab.cluster.workers ?? 0);
    // The office LAN is built beside the cluster only by the netns provider; elsewhere the lab's own steps stand in for it.
    const needsLan = lab.cluster.lan === true && deps.provider.name === 'netns';
    if (c.state === 'up') {
      if (e.cni !== 'any' && c.cni && !e.cni.includes(c.cni)) {
        d({ type: 'notice', text: ctl.t("'{title}' is for {modes}; the cluster runs {cni}. Press d to take it down, then Enter.", { title: e.title, modes: e.cni.join(', '), cni: c.cni }), tone: 'warn' });
        return;
      }
      if (needsLan && s.facts && !hasOfficeLan(s.facts)) {
        return d({ type: 'ask', ask: { title: ctl.t("'{title}' uses the office LAN", { title: e.title }), lines: [ctl.t("hoplab adds it beside lab '{lab}' (office-pc, office-gw, branch-pc, branch-gw, corp-gw).", { lab: deps.provider.lab }), ctl.t('The cluster and its pods stay as they are.')], yes: ctl.t('add the office LAN, then open the lab'), act: { kind: 'add-lan', labId: lab.id } } });
      }
      openLab(ctl, lab);
      ctl.track(ctl.refreshFacts());
      return;
    }
    if (c.state === 'partial') {
      d({ type: 'notice', text: ctl.t('The lab cluster is half there (leftovers of a crash): press d to clean up, then Enter.'), tone: 'warn' });
      return;
    }
    if (c.state === 'coming-up' || ctl.upAbort) return;
    const cannot = unbuildable(e, s.start.modes);
    if (c.state === 'down' && !deps.cni && e.cni !== 'any' && cannot.length === e.cni.length) {
      d({ type: 'notice', text: ctl.t("'{title}' needs {modes}, which this machine's kernel cannot build", { title: e.title, modes: cannot.join(ctl.t(' or ')) }), tone: 'bad' });
      return;
    }
    if (c.state === 'unknown') {
      d({ type: 'notice', text: ctl.t('still looking at the lab cluster: press Enter again in a moment'), tone: 'busy' });
      return;
    }
    if (needsLan) {
      return d({ type: 'ask', ask: { title: ctl.t("'{title}' uses the office LAN", { title: e.title }), lines: [ctl.t("hoplab brings lab '{lab}' up ({cni}, {n} nodes) with the office LAN beside it.", { lab: deps.provider.lab, cni, n: workers + 1 })], yes: ctl.t('bring it up with the office LAN'), act: { kind: 'add-lan', labId: lab.id } } });
    }
    ctl.track(bringUp(ctl, cni, workers, lab));
  }

  /** After the learner said yes: bring the cluster up with the office LAN, or add the LAN to the running one (same mode and workers). */
  function openWithLan(labId: string): void {
    const s = store.get();
    const lab = ctl.labs.find((l) => l.id === labId);
    const e = selectedLab(s.start);
    if (!lab || !e || ctl.upAbort) return;
    const c = s.start.cluster;
    const running = c.state === 'up' && s.facts;
    const cni = running && c.cni ? c.cni : (deps.cni ?? modeFor(e, c, s.start.modes));
    const workers = running ? s.facts!.nodes.filter((n) => !n.roles.includes('control-plane')).length : Math.max(deps.workers ?? 2, lab.cluster.workers ?? 0);
    ctl.track(bringUp(ctl, cni, workers, lab, { lan: true }));
  }

  function quit(): void {
    if (clusterIsUp(store.get())) d({ type: 'overlay', overlay: 'confirm-quit' });
    else d({ type: 'exit', code: 0 });
  }

  function interrupt(): void {
    const s = store.get();
    if (ctl.upAbort) {
      if (!ctl.upAbort.signal.aborted) {
        ctl.exitAfterAbort = true;
        ctl.upAbort.abort();
        d({ type: 'bringup', action: { type: 'abort' } });
      }
      return; // bringUp() exits once the provider has undone what it built
    }
    if (ctl.stepAbort && !ctl.stepAbort.signal.aborted) {
      ctl.stepAbort.abort();
      d({ type: 'notice', text: ctl.t('stopping the step…'), tone: 'busy' });
      return;
    }
    if (s.overlay === 'confirm-quit' || !clusterIsUp(s)) d({ type: 'exit', code: 0 });
    else {
      d({ type: 'journal', text: ctl.t("lab '{lab}' stays up; '{command}' removes it", { lab: deps.provider.lab, command: `hoplab down${nameFlag(deps.provider.lab)}` }) });
      d({ type: 'exit', code: 0 });
    }
  }

  function back(): void {
    const s = store.get();
    if (s.overlay) return d({ type: 'overlay' });
    if (s.screen === 'lab' && s.lab?.pick) return d({ type: 'lab', action: { type: 'pick-close' } });
    if (s.screen === 'lab' && !s.lab?.busy) return d({ type: 'screen', screen: 'start' });
    if (s.screen === 'bringup' && s.bringUp?.status !== 'running' && s.bringUp?.status !== 'aborting') return d({ type: 'screen', screen: 'start' });
  }

  function answerYes(): void {
    const act = store.get().ask?.act;
    d({ type: 'overlay' });
    if (act?.kind === 'take-down') ctl.track(takeDown(ctl, false));
    else if (act?.kind === 'start-over') startOver(ctl);
    else if (act?.kind === 'add-lan') openWithLan(act.labId);
  }

  function command(cmd: UiCommand): void {
    const s = store.get();
    const ctx = keyContext(s);
    if (s.notice && cmd !== 'interrupt') d({ type: 'notice' });
    switch (cmd) {
      case 'up':
      case 'down': {
        const by = cmd === 'up' ? -1 : 1;
        if (ctx === 'lab' && s.lab?.busy) return d({ type: 'notice', text: ctl.t('a step is running: wait, or Ctrl-C to stop it'), tone: 'warn' });
        if (ctx === 'pick') return d({ type: 'lab', action: { type: 'pick-move', by } });
        if (ctx === 'start') return d({ type: 'start', action: { type: 'move', by } });
        if (ctx === 'lab' && !s.lab?.busy) {
          d({ type: 'lab', action: { type: 'move', by } });
          return ctl.saveProgress(store.get().lab!.selected);
        }
        return;
      }
      case 'open':
        return ctx === 'pick' ? pickPlace(ctl) : open();
      case 'bringUp': {
        const e = selectedLab(s.start);
        if (s.start.cluster.state === 'down' && !ctl.upAbort) ctl.track(bringUp(ctl, deps.cni ?? (e ? modeFor(e, s.start.cluster, s.start.modes) : DEFAULT_CNI), deps.workers ?? 2));
        return;
      }
      case 'takeDown':
        if (s.start.cluster.state === 'down') return;
        return d({ type: 'ask', ask: { title: ctl.t("Take lab '{lab}' down?", { lab: deps.provider.lab }), lines: [ctl.t('Its nodes, pods and hosts are removed. Your progress stays.')], yes: ctl.t('take it down'), act: { kind: 'take-down' } } });
      case 'startOver':
        if (!s.lab || s.lab.busy) return;
        return d({ type: 'ask', ask: { title: ctl.t("Start '{title}' over?", { title: s.lab.lab.title }), lines: [ctl.t('Every step becomes todo, and what its steps made (pods, Services, routes) is removed. The cluster stays up.')], yes: ctl.t('start over'), act: { kind: 'start-over' } } });
      case 'yes':
        return answerYes();
      case 'refresh':
        return ctl.track(refreshStart());
      case 'run':
        return runSelected(ctl);
      case 'check':
        return checkSelected(ctl);
      case 'paste':
        return pasteSelected(ctl);
      case 'shell':
        return shellSelected(ctl);
      case 'reset':
        return resetSelected(ctl);
      case 'catchUp':
        return catchUpSelected(ctl);
      case 'hint':
        return d({ type: 'lab', action: { type: 'hint' } });
      case 'solution':
        return d({ type: 'lab', action: { type: 'solution' } });
      case 'textUp':
      case 'textDown':
        return; // the step pane scrolls itself (use-scroll.ts): view state, not lab state
      case 'pane':
        return d({ type: 'lab', action: { type: 'pane' } });
      case 'next':
        return command('down');
      case 'topology':
        if (s.overlay === 'topology') return d({ type: 'overlay' });
        d({ type: 'overlay', overlay: 'topology' });
        return ctl.track(ctl.refreshFacts());
      case 'scrollUp':
      case 'scrollDown': {
        const by = cmd === 'scrollUp' ? 10 : -10;
        if (ctx === 'topology') return d({ type: 'topology-scroll', by: -by });
        return d({ type: 'lab', action: { type: 'scroll', by } });
      }
      case 'language':
        return ctl.track(switchLanguage());
      case 'help':
        return d({ type: 'overlay', ...(s.overlay === 'help' ? {} : { overlay: 'help' as const }) });
      case 'back':
        return back();
      case 'quit':
        return quit();
      case 'quitKeep':
        // Never leave a half-built lab: quitting during bring-up undoes it first.
        if (ctl.upAbort) return interrupt();
        return d({ type: 'exit', code: 0 });
      case 'quitDown':
        if (ctl.upAbort) return interrupt();
        return ctl.track(takeDown(ctl, true));
      case 'interrupt':
        return interrupt();
      case 'raiseHand':
        if (!deps.classroom) return d({ type: 'notice', text: ctl.t("not in a classroom: '{command}' first", { command: 'hoplab join URL --code CODE --as NAME' }), tone: 'warn' });
        return d({ type: 'hand', value: '' });
    }
  }

  function handKey(input: string, key: Key): void {
    const value = store.get().hand ?? '';
    if (key.escape || (key.ctrl && input === 'c')) return d({ type: 'hand' });
    if (key.return) {
      const s = store.get();
      const at = s.screen === 'lab' && s.lab ? { lab: s.lab.lab.id, step: s.lab.selected } : {};
      deps.classroom?.reporter.handRaised({ ...(value.trim() ? { message: value.trim() } : {}), ...at });
      d({ type: 'hand' });
      return d({ type: 'notice', text: ctl.t('✋ hand raised: the instructor sees it'), tone: 'accent' });
    }
    if (key.backspace || key.delete) return d({ type: 'hand', value: value.slice(0, -1) });
    if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // eslint-disable-next-line no-control-regex
    const text = input.replace(/[\x00-\x1f\x7f]/g, '');
    if (text) d({ type: 'hand', value: (value + text).slice(0, 200) });
  }

  return {
    init() {
      const p = refreshStart();
      ctl.track(p);
      return p.catch(() => undefined);
    },
    command,
    answerKey: (input, key) => answerKey(ctl, input, key),
    pasteKey: (input, key) => pasteKey(ctl, input, key),
    handKey,
    async settled() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    async shutdown() {
      ctl.exitAfterAbort = true;
      ctl.upAbort?.abort();
      ctl.stepAbort?.abort();
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
