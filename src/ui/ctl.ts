// What the controller hands the action modules (cluster-actions, lab-actions):
// the store, the ports, the labs and progress, and the few effects they share.
// Its own module so the actions do not import the controller that imports them.
import type { Lab } from '../labs/model.js';
import type { ProgressFile, StepDone } from '../labs/progress.js';
import type { AppAction, AppState } from './app-state.js';
import type { UiDeps } from './ports.js';
import type { Store } from './store.js';

export interface Ctl {
  store: Store<AppState, AppAction>;
  deps: UiDeps;
  labs: Lab[];
  progress: ProgressFile;
  upAbort?: AbortController;
  stepAbort?: AbortController;
  exitAfterAbort?: boolean;
  track(p: Promise<unknown>): void;
  refreshFacts(): Promise<void>;
  saveProgress(step: number, done?: StepDone): void;
  /** What the learner's shells of each step printed (by step index), bounded: the evidence `c` grades. */
  transcripts: Map<number, string>;
  userError(err: unknown): { message: string; hint?: string };
  /** A UI string in the language shown now. */
  t(text: string, vars?: Record<string, string | number>): string;
}
