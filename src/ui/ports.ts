// What the UI needs from the rest of hoplab, as one object the `ui` command
// fills with the real provider, catalog, runner and progress store, and the
// tests fill with fakes. The UI calls these; it never re-implements them.
import type { CniMode } from '../core/facts.js';
import type { Catalog } from '../labs/catalog.js';
import type { CheckOptions } from '../labs/checks.js';
import type { Lab } from '../labs/model.js';
import type { ProgressFile } from '../labs/progress.js';
import type { CheckResult, CommandResult, EventSink, LabResult } from '../labs/results.js';
import type { RunLabOptions } from '../labs/runner.js';
import type { Provider, SpawnSpec } from '../providers/provider.js';
import type { OutputStore } from './output-store.js';
import type { ShellResult } from './shell-handover.js';

export interface UiDeps {
  provider: Provider;
  /** --cni given on the command line: bring clusters up with this mode. */
  cni?: CniMode;
  /** --workers, else what the lab asks for, else 2. */
  workers?: number;
  loadCatalog(): Promise<Catalog>;
  progress: { load(): Promise<{ progress: ProgressFile; warning?: string }>; save(p: ProgressFile): Promise<void> };
  runLab(lab: Lab, provider: Provider, opts: RunLabOptions): Promise<LabResult>;
  checkStep(lab: Lab, step: number, provider: Provider, answers: Record<string, string>, opts: CheckOptions): Promise<CheckResult[]>;
  /** Runs a step's `reset` commands (the clean slate the runner makes before a run). */
  resetStep(lab: Lab, step: number, provider: Provider, opts: { onEvent: EventSink; signal: AbortSignal }): Promise<CommandResult[]>;
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
}
