// The classroom on screen: the instructor's dashboard frames (grid, stuck,
// hands, what the room gets wrong, an attendee's last check, cleaned names)
// and the learner's TUI side (raise hand, the indicator, what gets reported).
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { dashReducer, initialDash } from '../../src/classroom/dashboard.js';
import type { ClassEvent } from '../../src/classroom/protocol.js';
import { EventSchema } from '../../src/classroom/protocol.js';
import { applyRecord, emptyRoom, roomView, type RoomView } from '../../src/classroom/room.js';
import { Dashboard } from '../../src/classroom/ui/Dashboard.js';
import { DashboardApp } from '../../src/classroom/ui/run-dashboard.js';
import type { Reporter } from '../../src/labs/reporter.js';
import { watchForClassroom } from '../../src/ui/classroom-watch.js';
import { createStore } from '../../src/ui/store.js';
import { makeTheme } from '../../src/ui/theme.js';
import { tick } from './fakes.js';
import { ENTER, ESC, mount } from './mount.js';

const T0 = 1_800_000_000_000;
const theme = makeTheme(false);
let unmounts: (() => void)[] = [];
afterEach(() => {
  unmounts.forEach((u) => u());
  unmounts = [];
});

let seq = 0;
const ev = (e: Record<string, unknown>): ClassEvent => EventSchema.parse({ stream: 'stream-1', seq: ++seq, at: T0, ...e });
const started = (step: number) => ev({ type: 'step-started', lab: 'pod-to-pod', labTitle: 'Pod to pod', steps: 4, step, stepId: `s${step}`, title: ['Node to internet', 'Node to node', 'Same node', 'Across nodes'][step] });
const nat = { ttl: 2, expected: '192.168.56.11 eth1 node-1', observed: ['10.0.2.2'] };
const wrong = (step: number) =>
  ev({
    type: 'check', lab: 'pod-to-pod', step, stepId: `s${step}`, checkId: 'trace', title: 'traceroute across nodes', kind: 'hops', outcome: 'failed',
    summary: 'hop 2 differs', wrongHop: nat, diagnosis: 'the packet left through the NAT interface (eth0)',
    hops: [{ ttl: 1, expected: '10.244.2.1 cni0 node-2', observed: ['10.244.2.1'], status: 'match' }, { ttl: 2, ...nat, status: 'mismatch' }],
  });
const ok = (step: number, outcome: 'passed' | 'shown') => ev({ type: 'check', lab: 'pod-to-pod', step, stepId: `s${step}`, checkId: 'c', title: 'check', kind: 'output', outcome, summary: 'fine' });

/** A room of four built through the server's own reducer, at T0 + 10 minutes. */
function room(): RoomView {
  let r = emptyRoom();
  const join = (id: string, name: string) => (r = applyRecord(r, { t: 'join', at: T0, id, name, tokenHash: id }));
  const send = (id: string, at: number, ...events: ClassEvent[]) => (r = applyRecord(r, { t: 'events', at, id, events }));
  join('a1', 'ann');
  join('b2', 'bob');
  join('c3', 'chloé 李');
  join('d4', 'dan');
  send('a1', T0, started(0), ok(0, 'passed'), started(1), ok(1, 'shown'), started(2));
  send('b2', T0, started(0), ok(0, 'passed'), started(1), ok(1, 'passed'), started(2), ok(2, 'passed'), started(3), wrong(3));
  send('c3', T0 + 60_000, started(3), wrong(3));
  send('d4', T0 + 9 * 60_000, started(0));
  send('b2', T0, ev({ type: 'hand', message: 'my trace goes out eth0?', lab: 'pod-to-pod', step: 3 }));
  return roomView(r, T0 + 10 * 60_000);
}

describe('classroom dashboard', () => {
  it('draws the grid with symbols, who is stuck, the hands and the commonest wrong hop', () => {
    const s = dashReducer(initialDash(5), { type: 'room', room: room() });
    const r = render(<Dashboard state={s} server="http://127.0.0.1:7341" width={110} height={30} theme={theme} />);
    unmounts.push(r.unmount);
    const f = r.lastFrame()!;
    expect(f).toContain('4 attendees · lab pod-to-pod');
    expect(f).toMatch(/› ann\s+✓ ◎ ◔ ○\s+step 3 · 10m00s · STUCK > 5 min/);
    expect(f).toMatch(/bob\s+✓ ✓ ✓ ✗\s+step 4 · 10m00s · STUCK > 5 min ✋/);
    expect(f).toMatch(/chloé 李\s+○ ○ ○ ✗\s+step 4 · 9m00s/);
    expect(f).toMatch(/dan\s+◔ ○ ○ ○\s+step 1 · 1m00s$/m);
    expect(f).toContain('✋ hands: 1 (x clears the oldest)');
    expect(f).toContain('1. bob (10m00s, pod-to-pod step 4): my trace goes out eth0?');
    expect(f).toContain('step 4: 2 of 4: hop 2 is 10.0.2.2 — the packet left through the NAT interface (eth0)');
    expect(f).toContain('✓ passed by the learner  ◎ shown by hoplab  ✗ failed  ◔ on it  ○ not started');
  });

  it('Enter shows the selected attendee’s last check in full; x clears the oldest hand', async () => {
    const store = createStore(dashReducer, initialDash(5));
    const cleared: unknown[] = [];
    let current = room();
    const deps = {
      target: { url: 'http://x', token: 't' },
      fetchRoom: async () => current,
      clearHands: async (_t: unknown, which: unknown) => {
        cleared.push(which);
        current = { ...current, hands: [] };
      },
      pollMs: 50,
    };
    const r = render(<DashboardApp store={store} deps={deps} theme={theme} />);
    unmounts.push(r.unmount);
    await tick(30);
    r.stdin.write('\x1b[B'); // bob
    await tick(10);
    r.stdin.write(ENTER);
    await tick(20);
    const f = r.lastFrame()!;
    expect(f).toContain('bob — last check: pod-to-pod step 4: traceroute across nodes');
    expect(f).toContain('✗ failed: hop 2 differs');
    expect(f).toMatch(/1\s+10\.244\.2\.1 cni0 node-2\s+10\.244\.2\.1\s+ok/);
    expect(f).toMatch(/2\s+192\.168\.56\.11 eth1 node-1\s+10\.0\.2\.2\s+MISMATCH/);
    expect(f).toContain('diagnosis: the packet left through the NAT interface (eth0)');
    r.stdin.write(ESC);
    await tick(20);
    r.stdin.write('x');
    await tick(120);
    expect(cleared).toEqual([{ hand: 1 }]);
    expect(r.lastFrame()).toContain('✋ hands: none');
  });

  it('shows names with escape sequences as plain text', () => {
    let r = emptyRoom();
    // As the server stores them (cleaned on the way in) and, should anything slip past, cleaned again when drawn.
    r = applyRecord(r, { t: 'join', at: T0, id: 'e1', name: '\x1b]0;pwned\x07mallory\x1b[2J', tokenHash: 'x' });
    const s = dashReducer(initialDash(5), { type: 'room', room: roomView(r, T0) });
    const out = render(<Dashboard state={s} server="http://x" width={80} height={20} theme={theme} />);
    unmounts.push(out.unmount);
    const f = out.lastFrame()!;
    expect(f).toContain('mallory');
    expect(f).not.toMatch(/\x1b|\x07|pwned\x07/);
  });
});

describe('classroom in the learner’s TUI', () => {
  function recorder() {
    const calls: { call: string; arg: any }[] = [];
    const reporter: Reporter = {
      stepStarted: (arg) => calls.push({ call: 'stepStarted', arg }),
      checkResult: (arg) => calls.push({ call: 'checkResult', arg }),
      labFinished: (arg) => calls.push({ call: 'labFinished', arg }),
      handRaised: (arg) => calls.push({ call: 'handRaised', arg }),
    };
    return { calls, reporter };
  }

  it('! raises a hand with a message; the indicator says connected or queued', async () => {
    const { calls, reporter } = recorder();
    const link = { connection: 'offline' as const, queued: 3, name: 'ann' };
    const t = await mount('up', { classroom: { reporter, status: () => link, onStatus: () => () => undefined } });
    t.store.dispatch({ type: 'classroom', link });
    await tick(10);
    expect(t.lastFrame()).toContain('○ classroom: offline, 3 queued · ! raises your hand');
    await t.press(ENTER); // open the lab
    await t.press('!');
    expect(t.lastFrame()).toContain('✋ raise hand, message (optional) ›');
    await t.press('cni0?');
    await t.press(ENTER);
    expect(calls.filter((c) => c.call === 'handRaised')).toEqual([{ call: 'handRaised', arg: { message: 'cni0?', lab: 'mini', step: 0 } }]);
    expect(t.lastFrame()).toContain('✋ hand raised');
    t.store.dispatch({ type: 'classroom', link: { connection: 'connected', queued: 0, name: 'ann' } });
    await tick(10);
    expect(t.lastFrame()).toContain('● classroom: connected · ! raises your hand');
  });

  it('without a classroom, ! says how to join', async () => {
    const t = await mount('up');
    await t.press('!');
    expect(t.lastFrame()).toContain("not in a classroom: 'hoplab join URL --code CODE --as NAME' first");
  });

  it('reports the step opened, checks shown by hoplab (Enter) or passed by the learner (c), and the lab finished', async () => {
    const { calls, reporter } = recorder();
    const t = await mount('up', { classroom: { reporter, status: () => ({ connection: 'connected', queued: 0, name: 'ann' }), onStatus: () => () => undefined } });
    watchForClassroom(t.store, reporter);
    await t.press(ENTER); // open the lab: step 1 started
    await t.press(ENTER); // hoplab runs step 1
    await t.press('n');
    await t.press('c');
    await t.press('veth1');
    await t.press(ENTER);
    const seen = calls.map((c) => (c.call === 'checkResult' ? `check ${c.arg.step} ${c.arg.check.id} ${c.arg.by}` : c.call === 'stepStarted' ? `step ${c.arg.step}` : c.call));
    expect(seen).toEqual(['step 0', 'check 0 trace hoplab', 'step 1', 'check 1 veth learner', 'labFinished']);
  });
});
