// Colour is decoration only: every state the UI shows is also carried by a
// symbol or a word, so NO_COLOR, TERM=dumb and a washed-out projector still
// show what passed and what failed.

import type { Tone } from '../topology/text.js';
export type { Tone };

const COLORS: Record<Tone, string> = {
  ok: 'green',
  bad: 'red',
  busy: 'yellow',
  dim: 'gray',
  accent: 'cyan',
  path: 'magentaBright',
  warn: 'yellow',
  code: 'cyan',
};

export interface Theme {
  color: boolean;
  /** An Ink colour name for a tone, or undefined when colour is off. */
  tone(t: Tone | undefined): string | undefined;
}

/** https://no-color.org: NO_COLOR set to anything non-empty turns colour off. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

export function makeTheme(color: boolean): Theme {
  return { color, tone: (t) => (color && t ? COLORS[t] : undefined) };
}

/** passed: the learner's own work passed its checks; shown: hoplab ran the solution. */
export type StepState = 'todo' | 'running' | 'passed' | 'shown' | 'failed';

export const STATE_SYMBOL: Record<StepState, string> = {
  todo: '○',
  running: '◔',
  passed: '✓',
  shown: '◇',
  failed: '✗',
};

export const STATE_TONE: Record<StepState, Tone | undefined> = {
  todo: undefined,
  running: 'busy',
  passed: 'ok',
  shown: 'accent',
  failed: 'bad',
};

/** The marker before the selected row: visible without colour or inverse video. */
export const CURSOR = '›';
