// Runs the terminal UI until the learner quits: mounts Ink on the store,
// steps Ink aside while a shell has the terminal, turns signals into the
// same interrupt as Ctrl-C, and always gives the terminal back sane.
import { nameFlag } from '../core/lab-name.js';
import { render, type Instance } from 'ink';
import type { SpawnSpec } from '../providers/provider.js';
import { App } from './App.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { appReducer, initialApp } from './app-state.js';
import { createController } from './controller.js';
import { translate } from './i18n.js';
import { OutputStore } from './output-store.js';
import type { UiDeps } from './ports.js';
import { handOver, type ShellResult } from './shell-handover.js';
import { createStore } from './store.js';
import { watchForClassroom } from './classroom-watch.js';
import { colorEnabled, makeTheme } from './theme.js';

export interface UiIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const SHOW_CURSOR = '\x1b[?25h';

export async function runUi(base: Omit<UiDeps, 'handover' | 'output' | 'now'>, io: UiIO): Promise<number> {
  const output = new OutputStore();
  const store = createStore(appReducer, initialApp(base.provider.name, base.provider.lab, base.lang));
  const theme = makeTheme(colorEnabled());
  let instance: Instance | undefined;
  let printed = 0;
  let renderError: Error | undefined;

  const onError = (err: Error) => {
    renderError = err;
    store.dispatch({ type: 'exit', code: 70 });
  };
  const mount = () => {
    const app = (
      <ErrorBoundary onError={onError}>
        <App store={store} controller={controller} output={output} theme={theme} journalFrom={printed} />
      </ErrorBoundary>
    );
    instance = render(app, { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, exitOnCtrlC: false, patchConsole: true, maxFps: 30 });
  };
  const unmount = async () => {
    if (!instance) return;
    const i = instance;
    instance = undefined;
    printed = store.get().journal.length;
    i.clear();
    i.unmount();
    await i.waitUntilExit().catch(() => undefined);
  };
  const handover = async (spec: SpawnSpec, banner: string): Promise<ShellResult> => {
    await unmount();
    try {
      return await handOver(spec, { stdin: io.stdin, stdout: io.stdout }, { banner, t: (text, vars) => translate(store.get().lang, text, vars) });
    } finally {
      io.stdout.write('\x1b[2J\x1b[H');
      if (store.get().exit === undefined) mount();
    }
  };

  const controller = createController(store, { ...base, output, handover, now: () => Date.now() });
  const cls = base.classroom;
  const unwatch = cls ? watchForClassroom(store, cls.reporter) : undefined;
  const unlisten = cls?.onStatus((link) => store.dispatch({ type: 'classroom', link }));
  if (cls) store.dispatch({ type: 'classroom', link: cls.status() });
  const onSignal = () => controller.command('interrupt');
  const restore = () => {
    if (io.stdin.isTTY) io.stdin.setRawMode(false);
    io.stdout.write(SHOW_CURSOR);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', restore);
  try {
    const code = await new Promise<number>((resolve) => {
      const check = () => {
        const c = store.get().exit;
        if (c !== undefined) resolve(c);
      };
      store.subscribe(check);
      mount();
      void controller.init();
      check();
    });
    await controller.shutdown();
    await unmount();
    const s = store.get();
    const t = (text: string, vars?: Record<string, string | number>) => translate(s.lang, text, vars);
    if (renderError) {
      io.stderr.write(`${t('hoplab: internal error: {error}', { error: renderError.message })}\n`);
      io.stderr.write(process.env.HOPLAB_DEBUG ? `${renderError.stack ?? ''}\n` : `  ${t('this is a bug in hoplab; run again with HOPLAB_DEBUG=1 for details')}\n`);
    }
    const up = s.start.cluster.state === 'up';
    const name = nameFlag(base.provider.lab);
    io.stdout.write(`${t('hoplab: progress saved.')}${up ? ` ${t("Lab '{lab}' is still up: '{command}' removes it.", { lab: base.provider.lab, command: `hoplab${name} down` })}` : ''}\n`);
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', restore);
    unwatch?.();
    unlisten?.();
    restore();
  }
}
