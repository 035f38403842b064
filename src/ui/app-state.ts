// The whole UI's state and the reducer that composes the screens' reducers.
// Navigation, overlays, the journal (finished lines, drawn once in <Static>)
// and a one-line notice live here; each screen's data in its own module.
import type { ClusterFacts } from '../core/facts.js';
import type { Lang } from '../core/lang.js';
import type { Lab } from '../labs/model.js';
import { bringUpReducer, startBringUp, type BringUpAction, type BringUpState } from './bring-up-state.js';
import type { KeyContext } from './keymap.js';
import { initialLab, labUiReducer, type LabUiAction, type LabUiState } from './lab-state.js';
import { initialStart, startReducer, type StartAction, type StartState } from './start-state.js';
import type { Tone } from './theme.js';
import type { ClassroomLink } from './ports.js';

export type Screen = 'start' | 'bringup' | 'lab';
export type Overlay = 'help' | 'topology' | 'confirm-quit' | 'ask';

/** What `y` does on a question (the `ask` overlay). */
export type AskAct = { kind: 'take-down' } | { kind: 'start-over' } | { kind: 'add-lan'; labId: string };

/** A yes/no question before something that cannot be undone or changes the cluster. */
export interface Ask {
  title: string;
  lines: string[];
  /** What `y` says it does. */
  yes: string;
  act: AskAct;
}

export interface JournalEntry {
  id: number;
  text: string;
  tone?: Tone;
}

export interface AppState {
  screen: Screen;
  /** The language the UI and the labs' prose are shown in. */
  lang: Lang;
  overlay?: Overlay;
  start: StartState;
  bringUp?: BringUpState;
  lab?: LabUiState;
  facts?: ClusterFacts;
  journal: JournalEntry[];
  notice?: { text: string; tone?: Tone };
  ask?: Ask;
  topologyScroll: number;
  /** The classroom link, when the learner joined one. */
  classroom?: ClassroomLink;
  /** The raise-hand prompt while it is open: the one-line message typed so far. */
  hand?: string;
  /** Set when the UI should leave, with the exit code. */
  exit?: number;
}

export type AppAction =
  | { type: 'start'; action: StartAction }
  | { type: 'bringup-begin'; what: string; at: number }
  | { type: 'bringup'; action: BringUpAction }
  | { type: 'lab-open'; lab: Lab }
  | { type: 'lab'; action: LabUiAction }
  /** The open lab in another language: same steps, so where the learner is stays. */
  | { type: 'lab-text'; lab: Lab }
  | { type: 'lang'; lang: Lang }
  | { type: 'facts'; facts?: ClusterFacts }
  | { type: 'screen'; screen: Screen }
  | { type: 'overlay'; overlay?: Overlay }
  | { type: 'ask'; ask: Ask }
  | { type: 'journal'; text: string; tone?: Tone }
  | { type: 'notice'; text?: string; tone?: Tone }
  | { type: 'topology-scroll'; by: number }
  | { type: 'classroom'; link: ClassroomLink }
  | { type: 'hand'; value?: string }
  | { type: 'exit'; code: number };

export function initialApp(provider: string, lab: string, lang: Lang = 'en'): AppState {
  return { screen: 'start', lang, start: initialStart(provider, lab), journal: [], topologyScroll: 0 };
}

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case 'start':
      return { ...s, start: startReducer(s.start, a.action) };
    case 'bringup-begin':
      return { ...s, screen: 'bringup', overlay: undefined, bringUp: startBringUp(a.what, a.at) };
    case 'bringup':
      return s.bringUp ? { ...s, bringUp: bringUpReducer(s.bringUp, a.action) } : s;
    case 'lab-open':
      return { ...s, screen: 'lab', overlay: undefined, lab: initialLab(a.lab), notice: undefined };
    case 'lab':
      return s.lab ? { ...s, lab: labUiReducer(s.lab, a.action) } : s;
    case 'lab-text':
      return s.lab && s.lab.lab.id === a.lab.id ? { ...s, lab: { ...s.lab, lab: a.lab } } : s;
    case 'lang':
      return { ...s, lang: a.lang };
    case 'facts':
      return { ...s, facts: a.facts };
    case 'screen':
      return { ...s, screen: a.screen, overlay: undefined };
    case 'overlay':
      return { ...s, overlay: a.overlay, ...(a.overlay === 'topology' ? { topologyScroll: 0 } : {}), ...(a.overlay !== 'ask' ? { ask: undefined } : {}) };
    case 'ask':
      return { ...s, overlay: 'ask', ask: a.ask };
    case 'journal': {
      const id = (s.journal[s.journal.length - 1]?.id ?? 0) + 1;
      return { ...s, journal: [...s.journal, { id, text: a.text, ...(a.tone ? { tone: a.tone } : {}) }] };
    }
    case 'notice':
      return { ...s, notice: a.text ? { text: a.text, ...(a.tone ? { tone: a.tone } : {}) } : undefined };
    case 'topology-scroll':
      return { ...s, topologyScroll: Math.max(0, s.topologyScroll + a.by) };
    case 'classroom':
      return { ...s, classroom: a.link };
    case 'hand':
      return { ...s, hand: a.value };
    case 'exit':
      return { ...s, exit: a.code };
  }
}

/** Which keys apply now: the overlay in front, else the screen. */
export function keyContext(s: AppState): KeyContext {
  if (s.overlay === 'confirm-quit') return 'confirm';
  if (s.overlay === 'ask') return 'ask';
  if (s.overlay === 'help') return 'help';
  if (s.overlay === 'topology') return 'topology';
  if (s.screen === 'lab' && s.lab?.pick) return 'pick';
  return s.screen;
}

/** Is the lab cluster up (or coming up), so quitting should ask? */
export function clusterIsUp(s: AppState): boolean {
  return s.start.cluster.state === 'up' || s.start.cluster.state === 'coming-up';
}
