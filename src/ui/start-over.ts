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
  deps.output.line(ctl.t("── starting '{title}' over: removing what its steps made", { title: lab.lab.title }), 'info');
  stepJob(
    ctl,
    { kind: 'reset', step: 0 },
    async (signal) => {
      const bad = (await deps.resetLab(lab.lab, deps.provider, { onEvent: sink(ctl), signal })).find((r) => !r.ok);
      return bad ? (bad.error ?? `${bad.display} exited ${bad.exitCode}`) : undefined;
    },
    async (error) => {
      d({ type: 'lab', action: { type: 'idle' } });
      d({ type: 'notice', text: error ? ctl.t('clean-up failed: {error}', { error }) : ctl.t("'{title}' starts over: every step is todo", { title: lab.lab.title }), tone: error ? 'bad' : 'accent' });
      await ctl.refreshFacts();
    },
  );
}
