// What a check kind is: one module (checks/<kind>.ts) holding its YAML
// schema, how a parsed check loads into the model, the cross-field rules it
// adds to validate.ts, how it is evaluated, and how its result is rendered in
// the text report. index.ts lists every kind in a map typed by LabCheck['kind'],
// so a kind without a module is a compile error, not a silently skipped check.
import type { z } from 'zod';
import type { LabCheck, LabCommand, MachineTarget } from '../model.js';
import type { RunContext } from '../context.js';
import type { CheckResult, CheckVerdict, CommandResult, DoneBy, EventSink } from '../results.js';
import type { RawCommand } from '../schema-parts.js';
import type { PathSegment } from '../yaml-positions.js';

export type CheckOf<K extends LabCheck['kind']> = Extract<LabCheck, { kind: K }>;

export interface CheckOptions {
  signal?: AbortSignal;
  onEvent?: EventSink;
  /** Trace text a learner pasted, by hop-check id: used instead of running the observe command. */
  traces?: Record<string, string>;
  /** Why an answer could not be given, by answer-check id (the runner's solution answers). */
  answerErrors?: Record<string, string>;
  pollMs?: number;
  /**
   * Results of commands that already ran in this step (the runner's solution
   * run): a check observing the same command grades that output instead of
   * running it again.
   */
  previous?: Map<LabCommand, CommandResult>;
  /**
   * The learner's shell sessions of this step (the TUI's pty shells, or text
   * pasted or piped into `hoplab check`). When given, a check of a command on
   * a node, pod or host grades what the learner ran there instead of running
   * it again; kubectl commands (cluster state the learner made) still run.
   */
  transcript?: string;
  /** Who did what the checks grade: the learner (default), or hoplab running the solution. */
  by?: DoneBy;
}

/** What the loader lends a kind to turn its raw YAML into the model (paths relative to the check). */
export interface LoadContext {
  command(raw: RawCommand, path: PathSegment[]): LabCommand;
  machine(on: string): MachineTarget;
}

/** What validate.ts lends a kind for the rules that need the whole lab. */
export interface ValidateContext {
  command(raw: RawCommand, path: PathSegment[]): void;
  endpoint(text: string, path: PathSegment[]): void;
  regex(pattern: string | undefined, path: PathSegment[]): void;
  /** A node name or host/NAME the check runs on. */
  machine(on: string, path: PathSegment[]): void;
  issue(path: PathSegment[], message: string): void;
  /** An answer check: the solution must answer it. */
  answer(id: string): void;
}

export interface EvaluateContext {
  ctx: RunContext;
  opts: CheckOptions;
  /** What the learner answered, by answer-check id. */
  answers: Record<string, string>;
}

// Methods (not function properties) so each kind's narrower raw type fits the registry.
export interface CheckKind<C extends LabCheck, S extends z.ZodType = z.ZodType> {
  schema: S;
  load(raw: z.infer<S>, base: { id: string; at: string }, l: LoadContext): C;
  validate(raw: z.infer<S>, path: PathSegment[], v: ValidateContext): void;
  /** The commands a check runs itself (kubeconfig access, step previews). */
  commands(check: C): LabCommand[];
  evaluate(check: C, e: EvaluateContext): Promise<CheckVerdict>;
  /** Detail lines under the check's PASS/FAIL line in the text report. */
  render(result: CheckResult): string[];
}
