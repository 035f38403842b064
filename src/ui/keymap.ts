// Keybindings as data: one table drives the input handling, the footer and
// the `?` help, so what the screen says is what the keys do.
import type { Key } from 'ink';

export type UiCommand =
  | 'up'
  | 'down'
  | 'open'
  | 'run'
  | 'shell'
  | 'check'
  | 'paste'
  | 'hint'
  | 'solution'
  | 'topology'
  | 'reset'
  | 'catchUp'
  | 'startOver'
  | 'yes'
  | 'next'
  | 'pane'
  | 'textUp'
  | 'textDown'
  | 'scrollUp'
  | 'scrollDown'
  | 'bringUp'
  | 'takeDown'
  | 'refresh'
  | 'back'
  | 'help'
  | 'language'
  | 'quit'
  | 'quitKeep'
  | 'quitDown'
  | 'raiseHand'
  | 'interrupt';

/** Where a binding applies: the screen in front, or an overlay over it. */
export type KeyContext = 'start' | 'bringup' | 'lab' | 'topology' | 'help' | 'confirm' | 'pick' | 'ask';

export type KeySpec = { input: string } | { key: 'upArrow' | 'downArrow' | 'return' | 'escape' | 'pageUp' | 'pageDown' | 'tab' } | { ctrl: string };

export interface KeyBinding {
  command: UiCommand;
  keys: KeySpec[];
  /** How the footer and help write the keys. */
  label: string;
  /** One word for the footer. */
  short: string;
  description: string;
  contexts: KeyContext[];
  /** Shown in the footer (the help lists every binding). */
  footer: boolean;
  /** Left out of the footer in these contexts, where room is short (still in the help). */
  notInFooter?: KeyContext[];
}

const ALL: KeyContext[] = ['start', 'bringup', 'lab', 'topology', 'help', 'confirm', 'pick', 'ask'];

export const KEYMAP: KeyBinding[] = [
  { command: 'up', keys: [{ key: 'upArrow' }, { input: 'k' }], label: '↑↓/jk', short: 'move', description: 'move the cursor (labs, steps, places)', contexts: ['start', 'lab', 'pick'], footer: true },
  { command: 'down', keys: [{ key: 'downArrow' }, { input: 'j' }], label: '↓/j', short: 'down', description: 'move down', contexts: ['start', 'lab', 'pick'], footer: false },
  { command: 'open', keys: [{ key: 'return' }], label: 'Enter', short: 'open', description: 'open the lab (brings the cluster up first when it is down); in a list, pick', contexts: ['start', 'pick'], footer: true },
  { command: 'run', keys: [{ key: 'return' }], label: 'Enter', short: 'run', description: "let hoplab run the step's commands, then check", contexts: ['lab'], footer: true },
  { command: 'shell', keys: [{ input: 's' }], label: 's', short: 'shell', description: 'open a shell where the step runs (node or pod); type exit to come back', contexts: ['lab'], footer: true },
  { command: 'check', keys: [{ input: 'c' }], label: 'c', short: 'check', description: 'check what you did in the shell', contexts: ['lab'], footer: true },
  { command: 'paste', keys: [{ input: 'p' }], label: 'p', short: 'paste', description: 'paste what you ran in your own terminal (commands and their output): checked like a shell hoplab opened', contexts: ['lab'], footer: false },
  { command: 'hint', keys: [{ input: 'h' }], label: 'h', short: 'hint', description: 'show the next hint', contexts: ['lab'], footer: true },
  { command: 'solution', keys: [{ input: 'a' }], label: 'a', short: 'answer', description: 'show the answer (the solution)', contexts: ['lab'], footer: true },
  { command: 'next', keys: [{ input: 'n' }], label: 'n', short: 'next', description: 'go to the next step', contexts: ['lab'], footer: false },
  { command: 'topology', keys: [{ input: 't' }], label: 't', short: 'topology', description: 'topology: the cluster drawn, with the last traced path lit', contexts: ['lab', 'start', 'topology'], footer: true },
  { command: 'catchUp', keys: [{ input: 'u' }], label: 'u', short: 'catch up', description: "catch up: run the solutions of the earlier steps this one depends on (not checked), then stay on it", contexts: ['lab'], footer: false },
  { command: 'reset', keys: [{ input: 'r' }], label: 'r', short: 'reset', description: 'reset this step: todo again, and the cluster back to how the step starts', contexts: ['lab'], footer: true },
  { command: 'startOver', keys: [{ input: 'R' }], label: 'R', short: 'start over', description: 'start the lab over: every step todo, what the lab made removed (asks first)', contexts: ['lab'], footer: false },
  { command: 'pane', keys: [{ key: 'tab' }], label: 'Tab', short: 'output/check', description: 'switch the lower pane between the output and the check table', contexts: ['lab'], footer: false },
  { command: 'textUp', keys: [{ key: 'pageUp' }], label: 'PgUp', short: 'text', description: "scroll the step's text up", contexts: ['lab'], footer: false },
  { command: 'textDown', keys: [{ key: 'pageDown' }], label: 'PgDn', short: 'text', description: "scroll the step's text down (when it says more below)", contexts: ['lab'], footer: false },
  { command: 'scrollUp', keys: [{ input: 'K' }], label: 'K', short: 'output', description: 'scroll the lower pane (output or check table) up', contexts: ['lab'], footer: false },
  { command: 'scrollDown', keys: [{ input: 'J' }], label: 'J', short: 'output', description: 'scroll the lower pane down (output: to the end, it follows again)', contexts: ['lab'], footer: false },
  { command: 'scrollUp', keys: [{ key: 'pageUp' }, { input: 'K' }], label: 'PgUp/K', short: 'scroll', description: 'scroll the drawing up', contexts: ['topology'], footer: false },
  { command: 'scrollDown', keys: [{ key: 'pageDown' }, { input: 'J' }], label: 'PgDn/J', short: 'scroll', description: 'scroll the drawing down', contexts: ['topology'], footer: false },
  { command: 'bringUp', keys: [{ input: 'u' }], label: 'u', short: 'up', description: 'bring the lab cluster up', contexts: ['start'], footer: true },
  { command: 'takeDown', keys: [{ input: 'd' }], label: 'd', short: 'down', description: 'take the lab cluster down (asks first)', contexts: ['start'], footer: true },
  { command: 'refresh', keys: [{ input: 'g' }], label: 'g', short: 'refresh', description: 'look again at the cluster and the machine', contexts: ['start'], footer: false },
  { command: 'language', keys: [{ input: 'l' }], label: 'l', short: 'language', description: 'switch the language (English, Русский, 中文, Português)', contexts: ['start', 'lab'], footer: true, notInFooter: ['lab'] },
  { command: 'back', keys: [{ key: 'escape' }], label: 'Esc', short: 'back', description: 'back / close', contexts: ['lab', 'bringup', 'topology', 'help', 'confirm', 'pick', 'ask'], footer: true, notInFooter: ['lab'] },
  { command: 'help', keys: [{ input: '?' }], label: '?', short: 'help', description: 'help: every key', contexts: ['start', 'bringup', 'lab', 'topology', 'help'], footer: true },
  { command: 'quit', keys: [{ input: 'q' }], label: 'q', short: 'quit', description: 'quit (asks when the lab cluster is up)', contexts: ['start', 'bringup', 'lab', 'topology', 'help'], footer: true },
  { command: 'quitKeep', keys: [{ input: 'y' }], label: 'y', short: 'quit, keep it up', description: 'quit; the lab cluster stays up for next time', contexts: ['confirm'], footer: true },
  { command: 'quitDown', keys: [{ input: 'd' }], label: 'd', short: 'take it down and quit', description: 'take the lab cluster down, then quit', contexts: ['confirm'], footer: true },
  { command: 'back', keys: [{ input: 'n' }], label: 'n', short: 'stay', description: 'stay in hoplab', contexts: ['confirm'], footer: true },
  { command: 'raiseHand', keys: [{ input: '!' }], label: '!', short: 'raise hand', description: 'raise your hand in the classroom (hoplab join), with an optional one-line message', contexts: ['start', 'lab'], footer: false },
  { command: 'yes', keys: [{ input: 'y' }], label: 'y', short: 'yes', description: 'yes, do it', contexts: ['ask'], footer: true },
  { command: 'back', keys: [{ input: 'n' }], label: 'n', short: 'no', description: 'no, leave it as it is', contexts: ['ask'], footer: true },
  { command: 'interrupt', keys: [{ ctrl: 'c' }], label: 'Ctrl-C', short: 'stop', description: 'stop what is running (bring-up is undone); again to leave', contexts: ALL, footer: false },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if ('ctrl' in spec) return key.ctrl && input === spec.ctrl;
  if ('key' in spec) return key[spec.key];
  return !key.ctrl && !key.meta && input === spec.input;
}

export function commandFor(input: string, key: Key, context: KeyContext, keymap: KeyBinding[] = KEYMAP): UiCommand | undefined {
  return keymap.find((b) => b.contexts.includes(context) && b.keys.some((s) => matches(s, input, key)))?.command;
}

export function bindingsFor(context: KeyContext, keymap: KeyBinding[] = KEYMAP): KeyBinding[] {
  return keymap.filter((b) => b.contexts.includes(context));
}
