// The lab model after loading: what the runner, the checker and the TUI use.
// Plain data; every string may still hold {{ templates }}, resolved against
// ClusterFacts when a command or check runs.
import type { CniMode } from '../core/facts.js';
import type { ProviderName, Target } from '../providers/provider.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export type WaitCondition =
  | { kind: 'pod-phase'; pod: string; namespace?: string; phases: PodPhase[]; timeoutSec: number }
  | { kind: 'pod-gone'; pod: string; namespace?: string; timeoutSec: number }
  | { kind: 'logs-contain'; pod: string; namespace?: string; text: string; timeoutSec: number };

/** Where a command runs: the real kubectl against the lab, or a shell on a node, pod or lab host. */
export type CommandWhere = { kind: 'kubectl' } | Target;

export interface LabCommand {
  /** Set when the lab names it, so checks can refer to it with `ref`. */
  id?: string;
  where: CommandWhere;
  /** kubectl arguments (without "kubectl"), or a shell command line for `sh -c`. */
  text: string;
  /** What a learner types, e.g. `kubectl logs traceroute` or `ip route` (templates unresolved). */
  display: string;
  wait: WaitCondition[];
  timeoutSec: number;
  /** A failing exit status does not fail the step (a warm-up ping). */
  mayFail: boolean;
  /** file:line:col of the command in the lab, for run-time errors. */
  at: string;
}

export type AnswerRule =
  | { kind: 'value'; text: string }
  /** A field of hop N of the path the engine predicts between two endpoints. */
  | { kind: 'hop'; from: string; to: string; hop: number; field: 'address' | 'node' | 'interface' };

interface CheckBase {
  /** Unique within the step; given in the lab or `check-N` (1-based). */
  id: string;
  /** One line for lists and reports. */
  title: string;
  at: string;
}

export type LabCheck =
  | (CheckBase & {
      kind: 'hops';
      /** Endpoint text: pod/NAME, node/NAME, host/NAME, an address, or a template of one. */
      from: string;
      to: string;
      /** The command whose output is the trace. */
      observe: LabCommand;
      /** Explicit expected hop addresses (templates allowed, `*` = any); absent: the path engine predicts. */
      expect?: string[];
    })
  | (CheckBase & { kind: 'succeeds'; command: LabCommand })
  | (CheckBase & { kind: 'fails'; command: LabCommand })
  | (CheckBase & { kind: 'output'; command: LabCommand; matches?: string; contains?: string })
  | (CheckBase & { kind: 'answer'; question: string; expect: AnswerRule })
  /** How a machine routes an address (its own route lookup): passes when there is a route, via `via` when given, else via any node. */
  | (CheckBase & { kind: 'route'; on: MachineTarget; to: string; via?: string })
  /** An HTTP server at `to`:`port` answers from the machine. */
  | (CheckBase & { kind: 'reach'; on: MachineTarget; to: string; port: number });

/** A node or a lab host: where route and reach checks ask. */
export type MachineTarget = Extract<Target, { kind: 'node' | 'host' }>;

export type AnswerSource =
  | { kind: 'value'; text: string }
  /** The answer is what this command prints (trimmed), or the first group of `match` in it. */
  | { kind: 'command'; command: LabCommand; match?: string };

export interface LabSolution {
  /** Markdown: what to do, what to answer. */
  text: string;
  /** By answer-check id: what the headless runner answers. */
  answers: Record<string, AnswerSource>;
  /** The repair: what the headless runner runs after the step's own commands (a troubleshooting step's fix). */
  run: LabCommand[];
}

/** A troubleshooting step's fault (src/faults): injected when the step starts, graded gone with its checks. */
export interface StepFault {
  name: string;
  node?: string;
  peer?: string;
  service?: string;
}

/** A pod on a node, or a pod on another node than another pod (client and backend apart). */
export type Precondition = { pod: string; on: string } | { pod: string; apartFrom: string };

export interface LabStep {
  id: string;
  title: string;
  text: string;
  /** Only for these providers (the vagrant lab's host is the learner's own machine); absent: every provider. */
  providers?: ProviderName[];
  /** Run before `run` to start the step from a clean slate (deleting pods an earlier try left); not shown as instructions. */
  reset: LabCommand[];
  /** The commands the step asks for, in order; the headless runner runs them. */
  run: LabCommand[];
  checks: LabCheck[];
  /** What must hold for the step's checks to mean what their titles say, checked first. */
  requires: Precondition[];
  hints: string[];
  solution?: LabSolution;
  /** The earlier steps this one depends on (what they create, or the lab's `needs`): catch-up runs their solutions. */
  needs?: StepNeed[];
  /** Only on clusters of these modes (a fault of one mode); skipped elsewhere. Absent: every mode the lab claims. */
  cni?: CniMode[];
  fault?: StepFault;
}

export interface Lab {
  id: string;
  title: string;
  summary: string;
  cni: 'any' | CniMode[];
  minutes: number;
  /** Place in the lab list (lower first): the articles' order, not the alphabet's. */
  order: number;
  /** `lan`: the lab uses the netns provider's office LAN (hoplab up --lan). */
  cluster: { workers?: number; lan?: boolean };
  steps: LabStep[];
  /** The file it was loaded from. */
  file: string;
}

/** Whether a step is meant for this provider. */
export function stepRunsOn(step: Pick<LabStep, 'providers'>, provider: string): boolean {
  return !step.providers || (step.providers as string[]).includes(provider);
}

export function labSupports(lab: Lab, mode: string): boolean {
  return lab.cni === 'any' || (lab.cni as string[]).includes(mode);
}

/** The first step whose commands create pod `name` (`kubectl run NAME`), for "step N creates it". */
export function stepCreatingPod(lab: Lab, name: string): { index: number; title: string } | undefined {
  const creates = new RegExp(`^run\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`);
  const index = lab.steps.findIndex((s) => s.run.some((c) => c.where.kind === 'kubectl' && creates.test(c.text.trim())));
  return index < 0 ? undefined : { index, title: lab.steps[index]!.title };
}

/**
 * The CNI mode to bring a cluster up in for a lab: the first mode the lab
 * names that this machine can build (`working`; every mode when it cannot
 * tell), else the lab's first, which is then refused with the reason.
 */
export function labMode(lab: { cni: 'any' | readonly string[] }, working?: readonly string[], fallback = 'flannel-host-gw'): string {
  if (lab.cni === 'any') return fallback;
  return lab.cni.find((m) => !working || working.includes(m)) ?? lab.cni[0] ?? fallback;
}

/** A load error: `file:line:col: path: message`. */
export interface LabError {
  file: string;
  line: number;
  column: number;
  /** steps[2].checks[0].from; empty for the whole file. */
  path: string;
  message: string;
}

export function formatLabError(e: LabError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

/** What a step's commands create or name (labs/needs.ts derives them). */
export type ObjectKind = 'pod' | 'service' | 'deployment';

export interface ObjectRef {
  kind: ObjectKind;
  name: string;
}

/** Why a step depends on another: the objects it needs from it, or the lab's explicit `needs`. */
export interface StepNeed {
  step: number;
  /** pod/httpd, service/web: what the earlier step creates that this one names. */
  objects: string[];
  /** Named in the lab's `needs`: everything the earlier step does counts. */
  explicit?: boolean;
  why: string;
}

/** How many checks grade a step: its own, and "the cause is repaired" for a step with a fault. */
export function gradedChecks(step: LabStep): number {
  return step.checks.length + (step.fault ? 1 : 0);
}
