// The Provider contract: the one way labs, the runner and the UI reach a
// cluster. Labs never name a provider; they name a node, a pod or kubectl,
// and the provider maps that to a namespace, a VM or a debug pod.
import type { ClusterFacts, CniMode } from '../core/facts.js';
import type { RunOptions, RunResult } from '../core/exec.js';
import type { RouteLookup } from './route-parse.js';

export const PROVIDER_NAMES = ['netns', 'vagrant', 'kubeconfig'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Where a command runs. `host` is a non-node machine of the lab (office PC, NAT router, the VirtualBox host). */
export type Target =
  | { kind: 'node'; name: string }
  | { kind: 'pod'; name: string; namespace?: string }
  | { kind: 'host'; name: string };

export interface UpOptions {
  cni: CniMode;
  workers: number;
  /** Add the office LAN (office-pc, office-gw, branch-pc, branch-gw, corp-gw), where the provider builds one (netns). */
  lan?: boolean;
  /** kube-proxy's mode, where the provider runs kube-proxy itself (netns): iptables (default) or ipvs. */
  proxyMode?: 'iptables' | 'ipvs';
  signal?: AbortSignal;
  onEvent?: (event: ProgressEvent) => void;
  /**
   * Lines saying which labs' steps still run where the cluster refuses some
   * commands (an existing cluster): given by the caller, who knows the labs.
   */
  stepsThatRun?: (why: Refusals) => Promise<string[]>;
}

/** Why each kind of lab command cannot reach the cluster (RBAC, Pod Security, no lab hosts); absent kinds work. */
export interface Refusals {
  kubectl?: string;
  pods?: string;
  nodes?: string;
  hosts?: string;
}

/** A cluster hoplab did not build (kubeconfig): `up` reports what it found, not what was asked. */
export interface ExistingCluster {
  /** The CNI found and a one-line summary (nodes with lab roles, namespace), or undefined when not up. */
  found(): Promise<{ cni: string; summary: string } | undefined>;
}

/** What this machine lacks to build the lab itself. */
export interface MachineNeeds {
  missing: string[];
  install?: string;
}

/** Progress of `up`/`down`, one event per node and phase, for the TUI and the headless printer. */
export type ProgressEvent =
  | { type: 'phase'; phase: string; node?: string; state: 'start' | 'done' | 'failed'; detail?: string }
  | { type: 'log'; line: string };

export type LabState = 'down' | 'up' | 'partial';

export interface LabStatus {
  lab: string;
  provider: ProviderName;
  state: LabState;
  cni?: string;
  kubeconfig?: string;
  /** Present when state is up: what the cluster looks like now. */
  facts?: ClusterFacts;
  /** Human-readable remarks: a dead daemon, leftovers from a crash. */
  notes: string[];
}

/** A command to start with a terminal attached: node-pty in the TUI, inherited stdio in the CLI. */
export interface SpawnSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
}

// What probes.ts answers for any Linux machine, and a provider may answer its own way.
export interface HttpProbe {
  /** An HTTP server answered (any status). */
  ok: boolean;
  /** The HTTP status, when the tool reports it. */
  status?: number;
  /** One line: what happened. */
  detail: string;
}

export interface NetworkProbes {
  /** How `target` routes `ip`, as its own route lookup answers. */
  route(target: Target, ip: string): Promise<RouteLookup>;
  /** An HTTP GET of `url` from `target`, given up after `timeoutMs`. */
  http(target: Target, url: string, timeoutMs: number): Promise<HttpProbe>;
}

export interface Provider {
  readonly name: ProviderName;
  readonly lab: string;
  up(opts: UpOptions): Promise<void>;
  down(opts?: { onEvent?: (event: ProgressEvent) => void }): Promise<void>;
  status(): Promise<LabStatus>;
  /** Runs argv on a node, pod or host of the lab and waits for it. */
  run(target: Target, argv: string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs the real kubectl against the lab's cluster. */
  kubectl(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** How to open an interactive shell (or one command with a terminal) on a target. */
  shell(target: Target, argv?: string[]): Promise<SpawnSpec>;
  /** Environment that points kubectl at the lab (KUBECONFIG). */
  kubeEnv(): Promise<Record<string, string>>;
  /** The API server's version, where the provider knows it without asking (it picks the kubectl, see kubectlProgram). */
  readonly kubeVersion?: string;
  facts(): Promise<ClusterFacts>;
  /**
   * One pod as the API has it (undefined: there is no such pod), for a provider that reads it
   * without starting kubectl. Absent: waits ask `kubectl get pod -o json`. Throws when the API
   * cannot be asked.
   */
  readPod?(namespace: string, name: string): Promise<unknown | undefined>;
  /** Back to the state right after `up` without rebuilding, where the provider can (vagrant: a VM snapshot). */
  reset?(opts?: { onEvent?: (event: ProgressEvent) => void }): Promise<void>;
  /**
   * Read-only network questions (route lookup, HTTP reachability) answered
   * where the machine is, for machines `run` cannot reach the Linux way (the
   * vagrant lab's host is the learner's own computer). Absent: probes.ts asks
   * through `run`.
   */
  probes?: NetworkProbes;

  // Capabilities: optional, so callers ask what a provider can do rather than which one it is.
  /** Builds the office LAN itself, and adds it to a running lab (`up --lan`). */
  readonly buildsOfficeLan?: boolean;
  /** Present for a cluster hoplab did not build; its `up` options beyond the contract are accepted only then. */
  readonly existing?: ExistingCluster;
  /** The CNI modes this machine's kernel can build; undefined when it cannot tell (not root). */
  workingModes?(): Promise<CniMode[] | undefined>;
  /** What this machine lacks to bring the lab up (packages, root). */
  machineNeeds?(): Promise<MachineNeeds>;
}
