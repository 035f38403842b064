// What the bring-up screen knows, folded from the provider's ProgressEvents.
// Pure: the screen, the tests and the headless printer see the same events.
import type { ProgressEvent } from '../providers/provider.js';

export interface PhaseRow {
  phase: string;
  node?: string;
  state: 'start' | 'done' | 'failed';
  detail?: string;
  startedAt: number;
  endedAt?: number;
}

export type BringUpStatus = 'running' | 'aborting' | 'done' | 'failed';

export interface BringUpState {
  /** What is coming up, for the title: the lab name, CNI mode, node count. */
  what: string;
  status: BringUpStatus;
  startedAt: number;
  now: number;
  phases: PhaseRow[];
  /** The last lines of output, oldest first. */
  log: string[];
  error?: { message: string; hint?: string };
}

export type BringUpAction =
  | { type: 'progress'; event: ProgressEvent; at: number }
  | { type: 'tick'; at: number }
  | { type: 'abort' }
  | { type: 'done'; at: number }
  | { type: 'failed'; message: string; hint?: string; at: number };

export const LOG_LINES = 6;

export function startBringUp(what: string, at: number): BringUpState {
  return { what, status: 'running', startedAt: at, now: at, phases: [], log: [] };
}

function pushLog(log: string[], line: string): string[] {
  const next = [...log, line];
  return next.length > LOG_LINES ? next.slice(next.length - LOG_LINES) : next;
}

export function bringUpReducer(s: BringUpState, a: BringUpAction): BringUpState {
  switch (a.type) {
    case 'progress': {
      const e = a.event;
      if (e.type === 'log') return { ...s, now: a.at, log: pushLog(s.log, e.line) };
      const i = s.phases.findIndex((p) => p.phase === e.phase && p.node === e.node);
      const prev = i >= 0 ? s.phases[i] : undefined;
      const row: PhaseRow = {
        phase: e.phase,
        ...(e.node ? { node: e.node } : {}),
        state: e.state,
        ...(e.detail ?? prev?.detail ? { detail: e.detail ?? prev?.detail } : {}),
        startedAt: prev?.startedAt ?? a.at,
        ...(e.state !== 'start' ? { endedAt: a.at } : {}),
      };
      const phases = i >= 0 ? s.phases.map((p, k) => (k === i ? row : p)) : [...s.phases, row];
      const log = e.state === 'failed' ? pushLog(s.log, `${e.phase}${e.node ? ` ${e.node}` : ''} failed${e.detail ? `: ${e.detail}` : ''}`) : s.log;
      return { ...s, now: a.at, phases, log };
    }
    case 'tick':
      return s.status === 'running' || s.status === 'aborting' ? { ...s, now: a.at } : s;
    case 'abort':
      return s.status === 'running' ? { ...s, status: 'aborting' } : s;
    case 'done':
      return { ...s, status: 'done', now: a.at };
    case 'failed':
      return { ...s, status: 'failed', now: a.at, error: { message: a.message, ...(a.hint ? { hint: a.hint } : {}) } };
  }
}

/** Phases grouped by node, in the order nodes first appeared; lab-wide phases under ''. */
export function phasesByNode(s: BringUpState): { node: string; phases: PhaseRow[] }[] {
  const groups = new Map<string, PhaseRow[]>();
  for (const p of s.phases) {
    const key = p.node ?? '';
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups].map(([node, phases]) => ({ node, phases }));
}

export function elapsed(s: { startedAt: number; now: number }): string {
  return `${((s.now - s.startedAt) / 1000).toFixed(1)}s`;
}
