// The contract between the embedded API server (src/kube) and whatever runs
// pods behind it (the netns runtime in src/providers/netns, or a test double). The API
// server owns the objects; the runtime owns processes and network wiring and
// reports back through `report`.
import type { Readable, Writable } from 'node:stream';

/** A Kubernetes object as JSON (apiVersion, kind, metadata, spec, status). */
export type KubeObject = Record<string, any>;

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string; // Scheduled, Pulling, Pulled, Created, Started, Failed, BackOff, Killing
  message: string;
  /** The container the event is about; describe shows it as spec.containers{name}. */
  container?: string;
}

export interface PodReport {
  /** Merged into pod.status (phase, podIP, podIPs, hostIP, containerStatuses, conditions, startTime). */
  status?: Record<string, any>;
  event?: PodEvent;
}

export interface ExecSession {
  stdin: Writable | null;
  stdout: Readable;
  /** null when a TTY was asked for (stderr is merged into the terminal). */
  stderr: Readable | null;
  resize(cols: number, rows: number): void;
  /** Resolves with the exit code once the command ends. */
  exited: Promise<number>;
  kill(): void;
}

export interface LogOptions {
  follow: boolean;
  tailLines?: number;
  previous?: boolean;
  /** Each line prefixed with its RFC 3339 time (--timestamps). */
  timestamps?: boolean;
  /** Only lines that arrived at or after this time, in nanoseconds since the epoch (--since, --since-time). */
  sinceNs?: bigint;
  signal: AbortSignal;
}

export interface PodRuntime {
  /**
   * Pod is bound to spec.nodeName: pull, wire, start. Progress and failures go through report().
   * `config` is where kubelet reads ConfigMaps, Secrets and service links, at every container start.
   */
  startPod(pod: KubeObject, report: (r: PodReport) => void, config?: ConfigSource): void;
  /** Stop processes and release the pod's network. Resolves when nothing of the pod is left. */
  deletePod(pod: KubeObject): Promise<void>;
  /** The container's output; with follow, stays open until the container ends or the signal aborts. */
  logs(pod: KubeObject, container: string, opts: LogOptions): Readable;
  exec(pod: KubeObject, container: string, command: string[], opts: { tty: boolean; stdin: boolean }): ExecSession;
  /**
   * `kubectl attach`: the running container's main process. Its output from now on (all of it for
   * the first attach to a container started with stdin and stdinOnce, so `kubectl run -i` loses
   * nothing), its stdin when the container keeps one open. `exited` resolves once the container
   * has ended and its output is drained; `kill` detaches and leaves the container running.
   */
  attach(pod: KubeObject, container: string, opts: { tty: boolean; stdin: boolean }): ExecSession;
  /** `kubectl port-forward`: one TCP connection to `port` on the pod's localhost, made inside the pod's network namespace. */
  portForward(pod: KubeObject, port: number): PortForwardConnection;
}

export interface PortForwardConnection {
  /** Bytes for the pod's port; end() half-closes. */
  input: Writable;
  /** Bytes from the pod's port; ends when the pod's side closes. */
  output: Readable;
  /** Resolves with why the connection failed (kubelet's words), or undefined when it ended normally. */
  failed: Promise<string | undefined>;
  close(): void;
}

/** Where kubelet finds the ConfigMaps, Secrets and Services a container's environment and volumes name. */
export interface ConfigSource {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  /** Services whose links a pod of `namespace` gets: its own namespace's and default/kubernetes. */
  services(namespace: string): KubeObject[];
}
