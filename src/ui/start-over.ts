// "Start the lab over" (R, after a question): the lab's progress is
// forgotten, every step is todo again, and every step's reset runs, last step
// first, so what the lab made (pods, Services, routes) is gone.
import { withoutLab } from '../labs/progress.js';
import type { Ctl } from './ctl.js';
import { sink, stepJob } from './lab-actions.js';

export function startOver(ctl: Ctl): void {
  const { deps, store } = ctl;
  const lab = store.get().lab;
  if (!lab || lab.busy) return;
  const d = store.dispatch;
  ctl.progress = withoutLab(ctl.progress, lab.lab.id);
  d({ type: 'lab', action: { type: 'start-over' } });
  ctl.saveProgress(0);
  deps.output.clear();
  deps.output.line(`── starting '${lab.lab.title}' over: removing what its steps made`, 'info');
  stepJob(
    ctl,
    { kind: 'reset', step: 0 },
    async (signal) => {
      const bad = (await deps.resetLab(lab.lab, deps.provider, { onEvent: sink(ctl), signal })).find((r) => !r.ok);
      return bad ? (bad.error ?? `${bad.display} exited ${bad.exitCode}`) : undefined;
    },
    async (error) => {
      d({ type: 'lab', action: { type: 'idle' } });
      d({ type: 'notice', text: error ? `clean-up failed: ${error}` : `'${lab.lab.title}' starts over: every step is todo`, tone: error ? 'bad' : 'accent' });
      await ctl.refreshFacts();
    },
  );
}
