// Commands on a node of an existing cluster: through a privileged debug pod
// on that node's network (see debug-pod.ts), started on first use, reused
// while it has time left, deleted at `down` (and ending by itself anyway).
import { MachineError } from '../../core/errors.js';
import { kubectlProgram, type RunOptions, type RunResult } from '../../core/exec.js';
import type { SpawnSpec } from '../provider.js';
import { KUBECONFIG_DEFAULTS, type NodeExecMode } from './defaults.js';
import { debugPod, INTERACTIVE_SHELL, nodeExecArgv, readDebugPod, reusable, STUCK_REASONS, stripExecTrailer, type DebugPodState } from './debug-pod.js';
import { namespacedPath, readOnePod, type ApiReader } from './api-reader.js';
import type { PodRef } from '../../kube/exec-client.js';
import { kubectlFailure, kubectlMessage, type Kubectl } from './kubectl.js';

export interface NodeShellContext {
  /** kubectl on the lab's kubeconfig (its namespace is the lab's). */
  k: Kubectl;
  /** hoplab's own HTTPS reads, when the lab's kubeconfig allows them: finding and polling debug pods then starts no kubectl. */
  api?: ApiReader;
  env: Record<string, string>;
  lab: string;
  /** The cluster's version, when known: the kubectl gcloud's dispatcher would pick runs without it. */
  serverVersion?: string;
  namespace: string;
  image: string;
  mode: NodeExecMode;
  /** Set when access checks at `up` found node commands impossible: refused at once, with this reason. */
  refusal?: string;
}

const T = KUBECONFIG_DEFAULTS.timeoutsMs;

/** Explains a refused debug pod: Pod Security, a policy, RBAC. */
export function debugPodRefusal(namespace: string, message: string): string {
  const psa = /violates PodSecurity "([^"]+)"(?::\s*(.*))?/.exec(message);
  if (psa) {
    return (
      `Pod Security admission (level ${psa[1]}) refuses privileged host-network pods in namespace ${namespace}` +
      `${psa[2] ? `: ${psa[2].trim()}` : ''}; a cluster admin can allow them with ` +
      `'kubectl label namespace ${namespace} pod-security.kubernetes.io/enforce=privileged --overwrite'`
    );
  }
  if (/unable to validate against any security context constraint|securitycontextconstraints/i.test(message)) {
    return `OpenShift's security context constraints refuse privileged host-network pods in ${namespace}: ${message}; an admin can grant the 'privileged' SCC to your user for that namespace`;
  }
  return `the cluster refuses the node debug pod in ${namespace}: ${message}`;
}

/** Admission or authorization said no (as opposed to a client or transport failure). */
export function isRefusal(message: string): boolean {
  return /\(Forbidden\)|is forbidden|violates PodSecurity|denied the request|security context constraint/i.test(message);
}

/** Appended to a refusal: what a lab can still do. */
export const STILL_RUNS = 'steps that only use kubectl and commands in pods still run; steps with commands on nodes do not';

async function listDebugPods(ctx: NodeShellContext): Promise<DebugPodState[]> {
  const what = 'listing the node debug pods';
  const label = KUBECONFIG_DEFAULTS.labels.nodeShell;
  if (ctx.api) return (await ctx.api.list(what, `${namespacedPath(ctx.namespace, 'pods')}?labelSelector=${encodeURIComponent(label)}`, 'Pod')).map(readDebugPod);
  const json = (await ctx.k.json(what, ['get', 'pods', '-n', ctx.namespace, '-l', label, '-o', 'json'])) as { items?: unknown[] };
  return (json.items ?? []).map((p) => readDebugPod(p as Record<string, unknown>));
}

async function deletePods(ctx: NodeShellContext, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await ctx.k.run(['delete', 'pod', '-n', ctx.namespace, '--ignore-not-found', '--wait=false', ...names]);
}

async function waitReady(ctx: NodeShellContext, name: string, node: string, signal?: AbortSignal): Promise<void> {
  const end = Date.now() + T.podStart;
  let last = 'Pending';
  while (Date.now() < end) {
    if (signal?.aborted) throw new MachineError('cancelled');
    const got = await readOnePod(ctx, ctx.namespace, name, `waiting for the debug pod on ${node}`);
    if (got) {
      const p = readDebugPod(got);
      if (p.phase === 'Running' && p.ready) return;
      if (p.phase === 'Succeeded' || p.phase === 'Failed') throw new MachineError(`the debug pod ${name} on ${node} ended (${p.phase}) before it could be used`);
      if (p.waitingReason && STUCK_REASONS.includes(p.waitingReason)) {
        await deletePods(ctx, [name]);
        throw new MachineError(
          `the debug pod on ${node} cannot start: ${p.waitingReason}${p.waitingMessage ? `: ${p.waitingMessage}` : ''}`,
          `the image ${ctx.image} must be pullable on the nodes; choose another with 'hoplab up --provider kubeconfig --debug-image IMAGE'`,
        );
      }
      last = `${p.phase}${p.waitingReason ? ` (${p.waitingReason})` : ''}`;
    }
    await new Promise((res) => setTimeout(res, T.pollInterval));
  }
  await deletePods(ctx, [name]);
  throw new MachineError(`the debug pod on ${node} was not running after ${T.podStart / 1000} s (last: ${last})`, `is the image ${ctx.image} slow to pull? 'kubectl describe pod ${name} -n ${ctx.namespace}' tells`);
}

async function createDebugPod(ctx: NodeShellContext, node: string, role: string | undefined, signal?: AbortSignal): Promise<string> {
  const manifest = debugPod({ lab: ctx.lab, namespace: ctx.namespace, node, image: ctx.image, ...(role ? { role } : {}) });
  const name = (manifest.metadata as { name: string }).name;
  const r = await ctx.k.run(['create', '-f', '-', '-o', 'name'], { input: JSON.stringify(manifest) });
  if (r.exitCode !== 0) {
    const msg = kubectlMessage(r);
    if (isRefusal(msg)) throw new MachineError(`${debugPodRefusal(ctx.namespace, msg)}; ${STILL_RUNS}`);
    throw kubectlFailure(`creating the debug pod on ${node}`, r);
  }
  await waitReady(ctx, name, node, signal);
  return name;
}

// One creation at a time per node in this process: parallel callers share it.
const pending = new Map<string, Promise<string>>();

/** The name of a running debug pod on `node` (real name), created if there is none to reuse. */
export async function ensureDebugPod(ctx: NodeShellContext, node: string, role?: string, signal?: AbortSignal): Promise<string> {
  if (ctx.refusal) throw new MachineError(`commands on nodes cannot run on this cluster: ${ctx.refusal}; ${STILL_RUNS}`);
  const key = `${ctx.namespace}/${node}/${ctx.image}`;
  const inFlight = pending.get(key);
  if (inFlight) return inFlight;
  const p = (async () => {
    const pods = (await listDebugPods(ctx)).filter((x) => x.node === node);
    const now = Date.now();
    const use = pods.find((x) => reusable(x, node, ctx.image, now));
    if (use) return use.name;
    // Finished or nearly finished ones go; a new one takes over.
    await deletePods(ctx, pods.filter((x) => !x.deleting && !(x.phase === 'Pending' && now - x.createdAt < T.podStart)).map((x) => x.name));
    return createDebugPod(ctx, node, role, signal);
  })();
  pending.set(key, p);
  try {
    return await p;
  } finally {
    pending.delete(key);
  }
}

/** Runs argv on the node and waits: exit code, stdout and stderr as if it ran there. */
export async function runOnNode(ctx: NodeShellContext, node: string, role: string | undefined, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const pod = await ensureDebugPod(ctx, node, role, opts.signal);
  const r = await execInPod(ctx, { namespace: ctx.namespace, name: pod, container: KUBECONFIG_DEFAULTS.debugContainer }, nodeExecArgv(ctx.mode, argv), { timeoutMs: T.nodeCommand, ...opts });
  return { ...r, stderr: stripExecTrailer(r.stderr) };
}

/** `kubectl exec` (not interactive): over the API when the reader allows it, else kubectl. */
export async function execInPod(via: { k: Kubectl; api?: ApiReader }, pod: PodRef, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const direct = await via.api?.exec(pod, argv, opts);
  if (direct) return direct;
  const container = pod.container ? ['-c', pod.container] : [];
  return via.k.run(['exec', ...(opts.input !== undefined ? ['-i'] : []), '-n', pod.namespace, pod.name, ...container, '--', ...argv], opts);
}

/** -it with a terminal on both ends; -i alone when piped (kubectl would warn "Unable to use a TTY"). */
export function ttyFlags(): string[] {
  return process.stdin.isTTY && process.stdout.isTTY ? ['-it'] : ['-i'];
}

/** kubectl exec -it into the node's debug pod: a shell, or one command with a terminal. */
export async function nodeShellSpec(ctx: NodeShellContext, node: string, role: string | undefined, argv?: string[]): Promise<SpawnSpec> {
  const pod = await ensureDebugPod(ctx, node, role);
  const inner = argv && argv.length ? argv : INTERACTIVE_SHELL;
  return {
    file: kubectlProgram(ctx.serverVersion),
    args: ['exec', ...ttyFlags(), '-n', ctx.namespace, pod, '-c', KUBECONFIG_DEFAULTS.debugContainer, '--', ...nodeExecArgv(ctx.mode, inner)],
    env: { ...ctx.env, TERM: process.env.TERM ?? 'xterm-256color' },
  };
}

/** Removes every debug pod of the lab (down; also when its namespace stays). */
export async function deleteDebugPods(ctx: NodeShellContext): Promise<void> {
  await ctx.k.run(['delete', 'pods', '-n', ctx.namespace, '-l', `${KUBECONFIG_DEFAULTS.labels.nodeShell},${KUBECONFIG_DEFAULTS.labels.lab}=${ctx.lab}`, '--ignore-not-found', '--wait=false']);
}
