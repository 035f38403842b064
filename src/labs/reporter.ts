// The one seam between running a lab and anyone who wants to hear about it
// (the classroom, today): four plain calls, no transport. The runner and the
// TUI call these; how they travel (HTTP, a queue on disk) is the reporter's.
import type { CheckResult, EventSink, RunEvent } from './results.js';

/** Who ran what a check looked at: hoplab (its solution: `hoplab run`, Enter in the TUI) or the learner (`c` after a shell). */
export type RanBy = 'hoplab' | 'learner';

export interface StepStarted {
  lab: string;
  labTitle?: string;
  steps: number;
  step: number;
  stepId: string;
  title: string;
}

export interface Reporter {
  stepStarted(s: StepStarted): void;
  checkResult(c: { lab: string; step: number; stepId: string; stepTitle?: string; check: CheckResult; by: RanBy }): void;
  labFinished(l: { lab: string; passed: boolean; steps: number }): void;
  handRaised(h: { message?: string; lab?: string; step?: number }): void;
}

/** The runner's events, told to a reporter. */
export function reportRunEvents(reporter: Reporter, by: RanBy, lab: { id: string; title: string; steps: { id: string; title: string }[] }): EventSink {
  return (e: RunEvent) => {
    switch (e.type) {
      case 'step-start':
        return reporter.stepStarted({ lab: lab.id, labTitle: lab.title, steps: lab.steps.length, step: e.step, stepId: e.id, title: e.title });
      case 'check': {
        const step = lab.steps[e.step];
        if (step) reporter.checkResult({ lab: lab.id, step: e.step, stepId: step.id, stepTitle: step.title, check: e.result, by });
        return;
      }
      case 'lab-end':
        return reporter.labFinished({ lab: lab.id, passed: e.result.passed, steps: e.result.steps.length });
      default:
        return;
    }
  };
}

/** Several sinks as one. */
export function teeSinks(...sinks: (EventSink | undefined)[]): EventSink {
  const list = sinks.filter((s): s is EventSink => Boolean(s));
  return (e) => {
    for (const s of list) s(e);
  };
}
