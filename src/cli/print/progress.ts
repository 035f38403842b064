// Headless rendering of ProgressEvents: one line per finished phase, so a
// log or CI output reads like a checklist.
import type { Writable } from 'node:stream';
import type { ProgressEvent } from '../../providers/provider.js';

export function progressPrinter(out: Writable, started = Date.now()): (e: ProgressEvent) => void {
  return (e) => {
    const t = `${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(7);
    if (e.type === 'log') {
      out.write(`${t}  ${e.line}\n`);
      return;
    }
    if (e.state === 'start') return;
    const mark = e.state === 'done' ? '✓' : '✗';
    const what = e.node ? `${e.phase} ${e.node}` : e.phase;
    out.write(`${t}  ${mark} ${what}${e.detail ? `  (${e.detail})` : ''}\n`);
  };
}
