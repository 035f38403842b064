// What the UI needs from the rest of hoplab, as one object the `ui` command
// fills with the real provider, catalog, runner and progress store, and the
// tests fill with fakes. The UI calls these; it never re-implements them.
import type { CniMode } from '../core/facts.js';
import type { Lang } from '../core/lang.js';
import type { Catalog } from '../labs/catalog.js';
import type { CheckOptions } from '../labs/checks/types.js';
import type { Lab } from '../labs/model.js';
import type { ProgressFile } from '../labs/progress.js';
import type { CatchUpResult, CheckResult, CommandResult, EventSink, LabResult } from '../labs/results.js';
import type { RunLabOptions } from '../labs/runner.js';
import type { Provider, SpawnSpec } from '../providers/provider.js';
import type { OutputStore } from './output-store.js';
import type { ShellResult } from './shell-handover.js';
import type { Reporter } from '../labs/reporter.js';

/** The classroom this learner reports to, as the UI sees it: where things stand, and the reporter. */
export interface ClassroomLink {
  connection: 'connected' | 'offline' | 'refused';
  queued: number;
  name: string;
}

export interface UiDeps {
  provider: Provider;
  /** --cni given on the command line: bring clusters up with this mode. */
  cni?: CniMode;
  /** --workers, else what the lab asks for, else 2. */
  workers?: number;
  /** The language the UI starts in (--lang, else the locale); the l key switches. */
  lang?: Lang;
  /** The labs, their prose in `lang` (English when absent). */
  loadCatalog(lang?: Lang): Promise<Catalog>;
  progress: { load(): Promise<{ progress: ProgressFile; warning?: string }>; save(p: ProgressFile): Promise<void> };
  runLab(lab: Lab, provider: Provider, opts: RunLabOptions): Promise<LabResult>;
  checkStep(lab: Lab, step: number, provider: Provider, answers: Record<string, string>, opts: CheckOptions): Promise<CheckResult[]>;
  /** Runs a step's `reset` commands (the clean slate the runner makes before a run). */
  resetStep(lab: Lab, step: number, provider: Provider, opts: { onEvent: EventSink; signal: AbortSignal }): Promise<CommandResult[]>;
  /** Runs the solutions of the earlier steps `targets` depend on (labs/catch-up.ts); absent: `u` says it cannot. */
  catchUp?(lab: Lab, targets: number[], provider: Provider, opts: { onEvent: EventSink; signal: AbortSignal }): Promise<CatchUpResult>;
  /** Every step's reset, last step first: "start the lab over". */
  resetLab(lab: Lab, provider: Provider, opts: { onEvent: EventSink; signal: AbortSignal }): Promise<CommandResult[]>;
  /** The CNI modes this machine can build (netns: a kernel probe); undefined when it cannot tell. */
  workingModes?(): Promise<string[] | undefined>;
  /** What the machine lacks for this provider, and the command that installs it. */
  missing(): Promise<{ missing: string[]; install?: string }>;
  /** Gives the terminal to a program (Ink steps aside) and returns when it exits. */
  handover(spec: SpawnSpec, banner: string): Promise<ShellResult>;
  output: OutputStore;
  now(): number;
  /** Set when the learner joined a classroom (hoplab join): steps, checks and raised hands are reported there. */
  classroom?: { reporter: Reporter; status(): ClassroomLink; onStatus(fn: (s: ClassroomLink) => void): () => void };
}
