// The instructor's dashboard as pure data: the state (the last room the
// server sent, the cursor, which lab is shown) with its reducer, and the
// derived views the Ink screen draws: the attendee × step grid, who is stuck,
// and per step the wrong hops the room makes most.
import type { Outcome } from './protocol.js';
import type { AttendeeView, CheckRecord, RoomView } from './room.js';
import { cleanText } from './sanitize.js';

export type Cell = Outcome | 'current' | 'todo';

export const CELL_SYMBOL: Record<Cell, string> = { passed: '✓', shown: '◎', failed: '✗', current: '◔', todo: '○' };
export const CELL_WORD: Record<Cell, string> = { passed: 'passed by the learner', shown: 'shown by hoplab', failed: 'failed', current: 'on it', todo: 'not started' };

export interface DashState {
  room?: RoomView;
  /** The last poll's failure; the last room stays on screen. */
  error?: string;
  /** The lab shown; undefined: the one most attendees are on. */
  lab?: string;
  cursor: number;
  detail: boolean;
  stuckMinutes: number;
}

export type DashAction =
  | { type: 'room'; room: RoomView }
  | { type: 'error'; error?: string }
  | { type: 'move'; by: number }
  | { type: 'lab'; by: number }
  | { type: 'detail'; open?: boolean };

export function initialDash(stuckMinutes = 5): DashState {
  return { cursor: 0, detail: false, stuckMinutes };
}

/** Lab ids in the room, the one most attendees are on first. */
export function labsIn(room: RoomView | undefined): string[] {
  if (!room) return [];
  const count = new Map<string, number>();
  for (const a of room.attendees) {
    for (const l of Object.keys(a.labs)) count.set(l, (count.get(l) ?? 0) + (a.current?.lab === l ? 1000 : 1));
  }
  return [...count.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([l]) => l);
}

export function shownLab(s: DashState): string | undefined {
  const labs = labsIn(s.room);
  return s.lab && labs.includes(s.lab) ? s.lab : labs[0];
}

export function dashReducer(s: DashState, a: DashAction): DashState {
  switch (a.type) {
    case 'room': {
      const n = a.room.attendees.length;
      return { ...s, room: a.room, error: undefined, cursor: Math.min(s.cursor, Math.max(0, n - 1)) };
    }
    case 'error':
      return { ...s, error: a.error };
    case 'move': {
      const n = s.room?.attendees.length ?? 0;
      return n ? { ...s, cursor: Math.min(n - 1, Math.max(0, s.cursor + a.by)) } : s;
    }
    case 'lab': {
      const labs = labsIn(s.room);
      if (!labs.length) return s;
      const at = Math.max(0, labs.indexOf(shownLab(s)!));
      return { ...s, lab: labs[(at + a.by + labs.length) % labs.length] };
    }
    case 'detail':
      return { ...s, detail: a.open ?? !s.detail };
  }
}

export interface StepColumn {
  index: number;
  id?: string;
  title?: string;
}

export interface GridRow {
  id: string;
  name: string;
  cells: Cell[];
  /** On this lab now: the step, and for how long (ms). */
  at?: { step: number; ms: number };
  stuck: boolean;
  hand: boolean;
  finished?: boolean;
}

export function stepColumns(room: RoomView, lab: string): StepColumn[] {
  let n = 0;
  const cols = new Map<number, StepColumn>();
  for (const a of room.attendees) {
    const l = a.labs[lab];
    if (!l) continue;
    n = Math.max(n, l.steps);
    for (const r of l.results) if (!cols.has(r.index) || !cols.get(r.index)!.title) cols.set(r.index, { index: r.index, id: r.id, ...(r.title ? { title: cleanText(r.title, 160) } : {}) });
    if (a.current?.lab === lab && !cols.get(a.current.step)?.title) cols.set(a.current.step, { index: a.current.step, id: a.current.stepId, title: cleanText(a.current.title, 160) });
  }
  return Array.from({ length: n }, (_, i) => cols.get(i) ?? { index: i });
}

function cellOf(a: AttendeeView, lab: string, step: number): Cell {
  const r = a.labs[lab]?.results.find((x) => x.index === step);
  if (r?.outcome) return r.outcome;
  if (a.current?.lab === lab && a.current.step === step) return 'current';
  return 'todo';
}

export function gridRows(room: RoomView, lab: string, stuckMinutes: number): GridRow[] {
  const cols = stepColumns(room, lab).length;
  const hands = new Set(room.hands.map((h) => h.attendee));
  return room.attendees.map((a) => {
    const cells = Array.from({ length: cols }, (_, i) => cellOf(a, lab, i));
    const here = a.current?.lab === lab ? a.current : undefined;
    const ms = here ? Math.max(0, room.now - here.since) : 0;
    const done = here ? cells[here.step] === 'passed' || cells[here.step] === 'shown' : true;
    const finished = a.labs[lab]?.finished?.passed;
    return {
      id: a.id,
      name: cleanText(a.name, 40),
      cells,
      ...(here ? { at: { step: here.step, ms } } : {}),
      stuck: Boolean(here) && !done && ms > stuckMinutes * 60_000,
      hand: hands.has(a.id),
      ...(finished !== undefined ? { finished } : {}),
    };
  });
}

export interface WrongHop {
  step: number;
  /** "hop 2 is 10.0.2.15" */
  what: string;
  diagnosis?: string;
  count: number;
  /** Attendees with a result on this lab. */
  of: number;
  names: string[];
}

/** Per step, the first wrong hops attendees' latest failed checks show, commonest first. */
export function commonWrongHops(room: RoomView, lab: string, perStep = 3): WrongHop[] {
  const on = room.attendees.filter((a) => a.labs[lab]);
  const groups = new Map<string, WrongHop>();
  for (const a of on) {
    const seen = new Set<string>();
    for (const r of a.labs[lab]!.results) {
      for (const c of r.checks) {
        if (c.outcome !== 'failed' || !c.wrongHop) continue;
        const what = `hop ${c.wrongHop.ttl} is ${c.wrongHop.observed.length ? c.wrongHop.observed.map((o) => cleanText(o, 64)).join(', ') : '*'}`;
        const key = `${r.index}\u0000${what}\u0000${c.diagnosis ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const g = groups.get(key) ?? { step: r.index, what, ...(c.diagnosis ? { diagnosis: cleanText(c.diagnosis, 500) } : {}), count: 0, of: on.length, names: [] };
        g.count++;
        g.names.push(cleanText(a.name, 40));
        groups.set(key, g);
      }
    }
  }
  const byStep = new Map<number, WrongHop[]>();
  for (const g of groups.values()) byStep.set(g.step, [...(byStep.get(g.step) ?? []), g]);
  return [...byStep.entries()].sort((x, y) => x[0] - y[0]).flatMap(([, gs]) => gs.sort((x, y) => y.count - x.count || x.what.localeCompare(y.what)).slice(0, perStep));
}

/** "7 of 20: hop 2 is 10.0.2.15 — the packet left through the NAT interface" */
export function wrongHopLine(w: WrongHop): string {
  return `${w.count} of ${w.of}: ${w.what}${w.diagnosis ? ` — ${w.diagnosis}` : ''}`;
}

export function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}` : `${m}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** The selected attendee's last check, for the detail view, with every text cleaned. */
export function lastCheckOf(room: RoomView, cursor: number): { name: string; check?: CheckRecord & { lab: string; step: number } } | undefined {
  const a = room.attendees[cursor];
  if (!a) return undefined;
  return { name: cleanText(a.name, 40), ...(a.lastCheck ? { check: a.lastCheck } : {}) };
}
