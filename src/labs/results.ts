// What running a lab produces: plain JSON-able results per command, check and
// step, and the events the runner emits while it works (the headless printer
// and the TUI subscribe to the same events).
import type { Evidence } from '../check/evidence.js';
import type { ExpectedHop, TraceVerdict } from '../path/types.js';
import type { LabCheck } from './model.js';
import type { RouteLookup } from '../providers/route-parse.js';

export interface WaitResult {
  /** e.g. "pod httpd Running" */
  condition: string;
  ok: boolean;
  detail: string;
  durationMs: number;
}

export interface CommandResult {
  /** The command as run, templates resolved: `kubectl logs traceroute`, `ip route`. */
  display: string;
  /** kubectl, node-1, pod/httpd, host/registry */
  where: string;
  exitCode: number;
  /** Exit 0 and every wait met (or the command may fail). */
  ok: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  waits: WaitResult[];
  /** Why it could not run at all: an unresolvable template, a pod that does not exist, a timeout. */
  error?: string;
}

export interface HopsDetail {
  from: string;
  to: string;
  /** Expected hops (engine or the lab's list); null when there is no prediction. */
  expected: ExpectedHop[] | null;
  /** `engine` or `lab` (an explicit expect list). */
  expectedFrom: 'engine' | 'lab';
  notes: string[];
  verdict?: TraceVerdict;
  /** Trace format the parser recognised and what it could not read. */
  format?: string;
  traceWarnings: string[];
  /** What the commands on the machine where the path went wrong show (a failed trace only). */
  evidence?: Evidence;
}

/**
 * Who made a check or step pass: the learner ('passed'), or hoplab running the
 * solution ('shown': Enter, `a`, `hoplab run`); 'failed' when it did not pass.
 * Progress, the TUI, `run --json` and the classroom reports keep them apart.
 */
export type Outcome = 'passed' | 'shown' | 'failed';

/** Who did the work a result grades. */
export type DoneBy = 'learner' | 'hoplab';

export function outcomeOf(passed: boolean, by: DoneBy): Outcome {
  return !passed ? 'failed' : by === 'hoplab' ? 'shown' : 'passed';
}

export interface CheckResult {
  id: string;
  kind: LabCheck['kind'];
  title: string;
  passed: boolean;
  outcome: Outcome;
  /** Not evaluated (an earlier command of the step failed). */
  skipped?: boolean;
  /** One line: what was seen, or why it failed. */
  summary: string;
  /** The command that was observed or run. */
  command?: CommandResult;
  hops?: HopsDetail;
  answer?: { question: string; given?: string; expected?: string };
  /** What the machine's route lookup said (route checks). */
  route?: RouteLookup;
  error?: string;
}

export interface StepResult {
  index: number;
  id: string;
  title: string;
  passed: boolean;
  outcome: Outcome;
  commands: CommandResult[];
  checks: CheckResult[];
  /** Why the step failed outside its checks (a command failed). */
  error?: string;
  /** Why the step was not run (it is for another provider); such a step counts as passed. */
  skipped?: string;
  durationMs: number;
}

/** One earlier step whose solution catch-up ran (its commands, never its checks). */
export interface CatchUpStep {
  index: number;
  id: string;
  title: string;
  commands: CommandResult[];
  durationMs: number;
  error?: string;
}

export interface CatchUpResult {
  /** The steps caught up to. */
  targets: number[];
  steps: CatchUpStep[];
  ok: boolean;
  durationMs: number;
  error?: string;
}

export interface LabResult {
  lab: string;
  title: string;
  provider: string;
  cni: string;
  passed: boolean;
  steps: StepResult[];
  durationMs: number;
  /** Set when the run stopped early (cancelled). */
  error?: string;
  /** The earlier steps' solutions run first (`--from`, `--step`). */
  catchUp?: CatchUpResult;
}

export type CommandPhase = 'reset' | 'run' | 'check' | 'answer';

/** What a check kind's evaluate returns; the dispatcher adds who did it. */
export type CheckVerdict = Omit<CheckResult, 'outcome'>;

export type RunEvent =
  | { type: 'lab-start'; lab: string; title: string; steps: number; provider: string; cni: string }
  | { type: 'step-start'; step: number; id: string; title: string }
  | { type: 'command-start'; step: number; phase: CommandPhase; display: string; where: string }
  | { type: 'output'; step: number; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'wait'; step: number; condition: string; state: 'start' | 'done' | 'failed'; detail?: string }
  | { type: 'command-end'; step: number; phase: CommandPhase; result: CommandResult }
  | { type: 'check'; step: number; result: CheckResult }
  | { type: 'step-end'; step: number; result: StepResult }
  | { type: 'lab-end'; result: LabResult }
  | { type: 'catch-up-start'; targets: number[]; steps: number[] }
  | { type: 'catch-up-step'; step: number; id: string; title: string }
  | { type: 'catch-up-end'; result: CatchUpResult };

export type EventSink = (event: RunEvent) => void;
