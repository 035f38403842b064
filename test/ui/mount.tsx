// Mounts the whole UI on fakes for a test, with key helpers; unmounted after each test.
import { render } from 'ink-testing-library';
import { afterEach } from 'vitest';
import { App } from '../../src/ui/App.js';
import type { UiDeps } from '../../src/ui/ports.js';
import { makeTheme } from '../../src/ui/theme.js';
import { fakeDeps, fakeProvider, fakeRunner, harness, tick } from './fakes.js';

export const ENTER = '\r';
export const ESC = '\x1b';
export const DOWN = '\x1b[B';
export const CTRL_C = '\x03';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

export async function mount(state: 'down' | 'up' = 'down', extra: Partial<UiDeps> = {}, color = false) {
  const provider = fakeProvider(state);
  const runner = fakeRunner();
  const f = fakeDeps(provider, runner, extra);
  const { store, controller } = harness(f.deps);
  const r = render(<App store={store} controller={controller} output={f.deps.output} theme={makeTheme(color)} />);
  cleanups.push(() => r.unmount());
  await controller.init();
  await tick(10);
  const press = async (keys: string) => {
    await tick();
    r.stdin.write(keys);
    await tick();
    await controller.settled();
    await tick(15);
  };
  /** For keys whose effect does not finish on its own (a held bring-up). */
  const type = async (keys: string) => {
    await tick();
    r.stdin.write(keys);
    await tick(15);
  };
  return { ...r, ...f, provider, runner, store, controller, press, type };
}
