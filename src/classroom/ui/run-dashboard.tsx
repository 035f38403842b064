// `hoplab classroom`: polls the server once a second and draws the room;
// keys move the cursor, open an attendee's last check, switch labs and clear
// hands (the only thing the dashboard ever asks the server to change).
import { render, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { createStore, type Store } from '../../ui/store.js';
import { colorEnabled, makeTheme, type Theme } from '../../ui/theme.js';
import { useStore } from '../../ui/use-store.js';
import { useTerminalSize } from '../../ui/use-terminal-size.js';
import { dashReducer, initialDash, type DashAction, type DashState } from '../dashboard.js';
import { clearHands, fetchRoom, type InstructorTarget } from '../instructor.js';
import { Dashboard } from './Dashboard.js';

export interface DashboardDeps {
  target: InstructorTarget;
  fetchRoom: typeof fetchRoom;
  clearHands: typeof clearHands;
  pollMs: number;
}

export function dashboardKeys(store: Store<DashState, DashAction>, deps: DashboardDeps, refresh: () => void, exit: () => void) {
  return (input: string, key: { upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean; return: boolean; escape: boolean; ctrl: boolean }) => {
    const d = store.dispatch;
    if (input === 'q' || (key.ctrl && input === 'c')) return exit();
    if (key.escape) return d({ type: 'detail', open: false });
    if (key.upArrow || input === 'k') return d({ type: 'move', by: -1 });
    if (key.downArrow || input === 'j') return d({ type: 'move', by: 1 });
    if (key.leftArrow) return d({ type: 'lab', by: -1 });
    if (key.rightArrow) return d({ type: 'lab', by: 1 });
    if (key.return) return d({ type: 'detail' });
    const hands = store.get().room?.hands ?? [];
    if ((input === 'x' && hands[0]) || (input === 'X' && hands.length)) {
      const which = input === 'x' ? { hand: hands[0]!.id } : ({ all: true } as const);
      void deps.clearHands(deps.target, which).then(refresh, (err: Error) => d({ type: 'error', error: err.message }));
    }
  };
}

export function DashboardApp({ store, deps, theme }: { store: Store<DashState, DashAction>; deps: DashboardDeps; theme: Theme }) {
  const state = useStore(store);
  const { width, height } = useTerminalSize();
  const { exit } = useApp();
  const [tick, setTick] = useState(0);
  const refresh = () => setTick((t) => t + 1);
  useEffect(() => {
    let live = true;
    const poll = () =>
      deps.fetchRoom(deps.target).then(
        (room) => live && store.dispatch({ type: 'room', room }),
        (err: Error) => live && store.dispatch({ type: 'error', error: err.message }),
      );
    void poll();
    const t = setInterval(poll, deps.pollMs);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [tick]);
  useInput(dashboardKeys(store, deps, refresh, exit));
  return <Dashboard state={state} server={deps.target.url} width={width} height={height - 1} theme={theme} />;
}

export async function runDashboard(target: InstructorTarget, opts: { stuckMinutes: number; pollMs?: number }): Promise<number> {
  const store = createStore(dashReducer, initialDash(opts.stuckMinutes));
  const deps: DashboardDeps = { target, fetchRoom, clearHands, pollMs: opts.pollMs ?? 1000 };
  // Full screen: the alternate screen, so the shell's scrollback is as it was when the dashboard quits.
  const tty = process.stdout.isTTY;
  if (tty) process.stdout.write('\x1b[?1049h\x1b[H');
  try {
    const app = render(<DashboardApp store={store} deps={deps} theme={makeTheme(colorEnabled())} />, { exitOnCtrlC: false, maxFps: 10 });
    await app.waitUntilExit();
  } finally {
    if (tty) process.stdout.write('\x1b[?1049l\x1b[?25h');
  }
  return 0;
}
