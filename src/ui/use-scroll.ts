// A pane's own scroll position: PgUp/PgDn move it a page, it starts at the
// top again when what it shows changes. View state, so it stays in the view.
import { useInput } from 'ink';
import { useEffect, useState } from 'react';
import { commandFor, type KeyContext } from './keymap.js';

export function useScroll(opts: { isActive: boolean; page: number; max: number; resetKey: unknown; context?: KeyContext }): number {
  const [offset, setOffset] = useState(0);
  const { page, max } = opts;
  useEffect(() => setOffset(0), [opts.resetKey]);
  useInput(
    (input, key) => {
      const cmd = commandFor(input, key, opts.context ?? 'lab');
      if (cmd === 'textDown') setOffset((o) => Math.min(Math.max(0, max), o + Math.max(1, page)));
      if (cmd === 'textUp') setOffset((o) => Math.max(0, o - Math.max(1, page)));
    },
    { isActive: opts.isActive },
  );
  return Math.min(offset, Math.max(0, max));
}
