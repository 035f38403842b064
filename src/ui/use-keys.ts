// The one input handler: a question on screen takes every key; otherwise the
// keymap turns the key into a command for the screen or overlay in front.
import { useInput } from 'ink';
import type { AppAction, AppState } from './app-state.js';
import { keyContext } from './app-state.js';
import type { Controller } from './controller.js';
import { commandFor } from './keymap.js';
import type { Store } from './store.js';

export function useKeys(store: Store<AppState, AppAction>, controller: Controller, isActive = true): void {
  useInput(
    (input, key) => {
      const s = store.get();
      if (s.hand !== undefined) return controller.handKey(input, key);
      if (s.screen === 'lab' && s.lab?.answer && !s.overlay) return controller.answerKey(input, key);
      if (s.screen === 'lab' && s.lab?.paste && !s.overlay) return controller.pasteKey(input, key);
      const cmd = commandFor(input, key, keyContext(s));
      if (cmd) controller.command(cmd);
    },
    { isActive },
  );
}
