// The node debug pod, as `kubectl debug node/NAME` makes it: bound to the
// node by nodeName (no scheduler, so taints that only keep the scheduler
// away do not matter), on the node's network and PID namespaces, privileged,
// with the node's root filesystem at /host. Its process is a `sleep` with an
// end, so a pod hoplab forgets about still stops by itself. Pure.
import { randomBytes } from 'node:crypto';
import { KUBECONFIG_DEFAULTS, type NodeExecMode } from './defaults.js';

export interface DebugPodSpec {
  lab: string;
  namespace: string;
  /** The real node name. */
  node: string;
  /** The lab role it plays, for a readable pod name. */
  role?: string;
  image: string;
  lifetimeSeconds?: number;
  /** Random suffix; given in tests. */
  suffix?: string;
}

const L = KUBECONFIG_DEFAULTS.labels;

/** hoplab-shell-<role or node>-<5 random>, within the 63 characters a pod's hostname may have. */
export function debugPodName(spec: Pick<DebugPodSpec, 'node' | 'role' | 'suffix'>): string {
  const base = (spec.role ?? spec.node).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  const suffix = spec.suffix ?? randomBytes(4).toString('hex').slice(0, 5);
  return `hoplab-shell-${base || 'node'}-${suffix}`;
}

export function debugPod(spec: DebugPodSpec): Record<string, unknown> {
  const lifetime = spec.lifetimeSeconds ?? KUBECONFIG_DEFAULTS.debugPodLifetimeSeconds;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: debugPodName(spec),
      namespace: spec.namespace,
      labels: { [L.managedBy]: KUBECONFIG_DEFAULTS.managedByValue, [L.lab]: spec.lab, [L.nodeShell]: 'true' },
      annotations: { 'hoplab.dev/node': spec.node },
    },
    spec: {
      nodeName: spec.node,
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      restartPolicy: 'Never',
      // Bound by nodeName: the kubelet admits it whatever the node's taints; these keep NoExecute taints from evicting it.
      tolerations: [{ operator: 'Exists' }],
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: lifetime + 60,
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      containers: [
        {
          name: KUBECONFIG_DEFAULTS.debugContainer,
          image: spec.image,
          command: ['sleep', String(lifetime)],
          stdin: true,
          tty: false,
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
    },
  };
}

/**
 * The argv `kubectl exec` runs in the debug pod. `image`: the debug image's
 * tools, in the node's network and PID namespaces, which is what the labs
 * look at. `chroot`: the node's own tools, from its root at /host, for a
 * minimal debug image.
 */
export function nodeExecArgv(mode: NodeExecMode, argv: string[]): string[] {
  return mode === 'chroot' ? ['chroot', '/host', ...argv] : argv;
}

/** An interactive shell: bash where the image (or node) has it, else sh. */
export const INTERACTIVE_SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -i; else exec sh -i; fi'];

/** kubectl exec appends this line for a non-zero exit; a node command run locally would not print it. */
export function stripExecTrailer(stderr: string): string {
  return stderr.replace(/(^|\n)command terminated with exit code \d+\n?$/, '$1');
}

type Obj = Record<string, any>;

export interface DebugPodState {
  name: string;
  node: string;
  image: string;
  phase: string;
  ready: boolean;
  deleting: boolean;
  createdAt: number;
  /** Why it cannot start (ErrImagePull, ...), when it is stuck. */
  waitingReason?: string;
  waitingMessage?: string;
}

export function readDebugPod(pod: Obj): DebugPodState {
  const cs: Obj = (pod.status?.containerStatuses ?? [])[0] ?? {};
  const waiting = cs.state?.waiting;
  return {
    name: String(pod.metadata?.name ?? ''),
    node: String(pod.spec?.nodeName ?? ''),
    image: String(pod.spec?.containers?.[0]?.image ?? ''),
    phase: String(pod.status?.phase ?? 'Pending'),
    ready: cs.ready === true,
    deleting: Boolean(pod.metadata?.deletionTimestamp),
    createdAt: Date.parse(pod.metadata?.creationTimestamp ?? '') || 0,
    ...(waiting?.reason ? { waitingReason: String(waiting.reason) } : {}),
    ...(waiting?.message ? { waitingMessage: String(waiting.message) } : {}),
  };
}

/** A debug pod worth reusing for a command on `node` now. */
export function reusable(p: DebugPodState, node: string, image: string, now: number, lifetimeSeconds = KUBECONFIG_DEFAULTS.debugPodLifetimeSeconds): boolean {
  const left = lifetimeSeconds - (now - p.createdAt) / 1000;
  return p.node === node && p.image === image && p.phase === 'Running' && p.ready && !p.deleting && left > KUBECONFIG_DEFAULTS.debugPodReuseMarginSeconds;
}

/** Waiting reasons that will not clear by waiting (ErrImagePull may: the kubelet retries it, then says ImagePullBackOff). */
export const STUCK_REASONS = ['ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError'];
