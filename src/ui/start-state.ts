// The start screen's data: the labs, the cluster, what the machine lacks.
// Filled by the controller from the lab loader, provider.status() and the
// doctor's requirement list; the reducer only moves the cursor and stores.
import { DEFAULT_CNI } from '../core/cni-modes.js';
import { labMode } from '../labs/model.js';

export interface LabEntry {
  id: string;
  title: string;
  summary: string;
  cni: 'any' | string[];
  minutes: number;
  steps: number;
  /** From the progress store: steps passed and the step to resume at. */
  passed: number;
  /** Steps hoplab showed (ran the solution) that the learner has not passed. */
  shown?: number;
  resumeAt?: number;
}

export type ClusterState = 'unknown' | 'down' | 'coming-up' | 'up' | 'partial';

export interface ClusterView {
  provider: string;
  lab: string;
  state: ClusterState;
  cni?: string;
  notes: string[];
}

export interface StartState {
  labs: LabEntry[];
  /** Lab files that did not load: `file:line:col: ...`. */
  labErrors: string[];
  selected: number;
  cluster: ClusterView;
  /** What doctor found missing, and the command that installs it. */
  missing: string[];
  install?: string;
  /** CNI modes this machine can build, when the provider can tell. */
  modes?: string[];
  loading: boolean;
}

export type StartAction =
  /** `preferred`: where the cursor starts on the first load (the lab last worked on). */
  | { type: 'labs'; labs: LabEntry[]; errors: string[]; preferred?: number }
  | { type: 'modes'; modes?: string[] }
  | { type: 'cluster'; cluster: ClusterView }
  | { type: 'missing'; missing: string[]; install?: string }
  | { type: 'move'; by: number }
  | { type: 'loaded' };

export function initialStart(provider: string, lab: string): StartState {
  return { labs: [], labErrors: [], selected: 0, cluster: { provider, lab, state: 'unknown', notes: [] }, missing: [], loading: true };
}

export function startReducer(s: StartState, a: StartAction): StartState {
  switch (a.type) {
    case 'labs': {
      const at = s.loading && a.preferred !== undefined ? a.preferred : s.selected;
      return { ...s, labs: a.labs, labErrors: a.errors, selected: Math.min(at, Math.max(0, a.labs.length - 1)) };
    }
    case 'modes':
      return { ...s, ...(a.modes ? { modes: a.modes } : { modes: undefined }) };
    case 'cluster':
      return { ...s, cluster: a.cluster };
    case 'missing':
      return { ...s, missing: a.missing, ...(a.install ? { install: a.install } : { install: undefined }) };
    case 'move': {
      if (!s.labs.length) return s;
      const n = s.labs.length;
      return { ...s, selected: (s.selected + a.by + n) % n };
    }
    case 'loaded':
      return { ...s, loading: false };
  }
}

export function selectedLab(s: StartState): LabEntry | undefined {
  return s.labs[s.selected];
}

/**
 * The CNI mode to bring a lab up with: the running cluster's if the lab takes
 * it, else the lab's first mode this machine can build, else its first.
 */
export function modeFor(lab: LabEntry, cluster: ClusterView, modes?: string[], fallback: string = DEFAULT_CNI): string {
  if (lab.cni === 'any') return cluster.cni ?? fallback;
  if (cluster.cni && lab.cni.includes(cluster.cni)) return cluster.cni;
  return labMode(lab, modes, fallback);
}

/** The lab modes this machine cannot build (empty when it can build them all, or cannot tell). */
export function unbuildable(lab: LabEntry, modes?: string[]): string[] {
  if (!modes || lab.cni === 'any') return [];
  return lab.cni.filter((m) => !modes.includes(m));
}
