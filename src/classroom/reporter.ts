// The classroom's Reporter: lab events become wire events in the client's
// queue. Nothing here waits for the network.
import type { Reporter } from '../labs/reporter.js';
import type { ClassroomClient } from './client.js';
import { checkEvent, stepStartedEvent } from './events.js';
import { outcomeOf } from './outcome.js';

export function classroomReporter(client: ClassroomClient): Reporter {
  return {
    stepStarted: (s) => client.send(stepStartedEvent(s)),
    checkResult: (c) => client.send(checkEvent(c, outcomeOf(c.check, c.by))),
    labFinished: (l) => client.send({ type: 'lab-finished', lab: l.lab, passed: l.passed, steps: Math.min(200, l.steps) }),
    handRaised: (h) => client.send({ type: 'hand', ...(h.message ? { message: h.message } : {}), ...(h.lab ? { lab: h.lab } : {}), ...(h.step !== undefined ? { step: h.step } : {}) }),
  };
}
