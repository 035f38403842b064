// `hoplab up --provider kubeconfig`: nothing is built; an existing cluster is
// read, the lab's roles are given to its nodes, the lab gets its namespace,
// and what the user's credentials allow is found out before any lab runs.
import { nameFlag } from '../../core/lab-name.js';
import { errorMessage, InterruptedError, UsageError } from '../../core/errors.js';
import type { ProgressEvent, UpOptions } from '../provider.js';
import { readNodes } from '../kube-facts.js';
import { readerFromKubeconfig } from './api-reader.js';
import { askAccess, nodeRefusal, refusalsOf, type AccessReport } from './access.js';
import { debugPod } from './debug-pod.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';
import { askServerVersion, discoverCluster, probeServiceRange, type Discovery } from './discover.js';
import { kubectlMessage, kubectlWith } from './kubectl.js';
import { readUserContext } from './lab-kubeconfig.js';
import { enforcedLevel, ensureNamespace, releaseNamespace } from './namespace.js';
import { debugPodRefusal, isRefusal, STILL_RUNS, type NodeShellContext } from './node-exec.js';
import { readNodeSide } from './node-side.js';
import { podCounts } from './facts.js';
import { defaultNamespace, userKubeconfigFiles, type KubeconfigProviderOptions } from './options.js';
import { mapRoles } from './roles.js';
import { forgetLab, readRecord, writePrivate, writeRecord, type KubeconfigLabRecord, type LabFiles, type NodeSide } from './state.js';

export interface BringUpInput {
  opts: KubeconfigProviderOptions;
  files: LabFiles;
  up: UpOptions;
}

function describeCni(d: Discovery): string {
  return d.modelled ? `${d.cni} (hoplab predicts its paths)` : `${d.cni}: not modelled, hop checks will say "no prediction for CNI ${d.cni}"`;
}

/**
 * A server-side dry run of the node debug pod: Pod Security and policy
 * webhooks answer without anything being created. Only a refusal counts; a
 * kubectl that cannot dry-run (1.20 asks the OpenAPI document first) or any
 * other failure leaves the question open, and the first node command answers it.
 */
async function dryRunDebugPod(k: ReturnType<typeof kubectlWith>, lab: string, namespace: string, node: string, image: string): Promise<{ refusal?: string; unchecked?: string }> {
  const r = await k.run(['create', '--dry-run=server', '-f', '-', '-o', 'name'], { input: JSON.stringify(debugPod({ lab, namespace, node, image })) });
  if (r.exitCode === 0) return {};
  const msg = kubectlMessage(r);
  return isRefusal(msg) ? { refusal: debugPodRefusal(namespace, msg) } : { unchecked: msg };
}


/** Which steps of the labs still run when node commands cannot: said up front, by the caller who knows the labs. */
async function stepsThatRun(access: AccessReport, up: UpOptions, emit: (e: ProgressEvent) => void): Promise<void> {
  try {
    for (const line of (await up.stepsThatRun?.(refusalsOf(access))) ?? []) emit({ type: 'log', line: `  ${line}` });
  } catch (err) {
    emit({ type: 'log', line: `  (the labs could not be listed: ${errorMessage(err)})` });
  }
}

export async function bringUp({ opts, files, up }: BringUpInput): Promise<KubeconfigLabRecord> {
  const emit = up.onEvent ?? (() => undefined);
  const env = opts.env ?? process.env;
  const phase = async <T>(name: string, fn: () => Promise<T>, detail?: (v: T) => string | undefined, node?: string): Promise<T> => {
    if (up.signal?.aborted) throw new InterruptedError('up was interrupted');
    emit({ type: 'phase', phase: name, state: 'start', ...(node ? { node } : {}) });
    try {
      const v = await fn();
      const d = detail?.(v);
      emit({ type: 'phase', phase: name, state: 'done', ...(node ? { node } : {}), ...(d ? { detail: d } : {}) });
      return v;
    } catch (err) {
      emit({ type: 'phase', phase: name, state: 'failed', ...(node ? { node } : {}), detail: errorMessage(err) });
      throw err;
    }
  };

  const namespace = opts.namespace ?? defaultNamespace(opts.lab, env);
  const kubeconfigFiles = userKubeconfigFiles(opts.kubeconfig, env);
  const previous = await readRecord(files);
  const ctxInfo = await phase(
    'kubeconfig',
    () => readUserContext(kubeconfigFiles, opts.context, `hoplab-${opts.lab}`, namespace),
    (c) => `context ${c.context}, ${c.server}`,
  );
  if (previous && (previous.context !== ctxInfo.context || previous.server !== ctxInfo.server || previous.namespace !== namespace)) {
    throw new UsageError(
      `lab '${opts.lab}' is up on context ${previous.context} (${previous.server}), namespace ${previous.namespace}`,
      `run 'hoplab down${nameFlag(opts.lab)}' first, or pick another --name`,
    );
  }
  // The same context, flattened: where node:https can follow it, discovery and the node reads start no kubectl.
  const api = readerFromKubeconfig(ctxInfo.text, env);
  try {
    return await discoverAndPrepare();
  } finally {
    api?.close();
  }

  async function discoverAndPrepare(): Promise<KubeconfigLabRecord> {
    // gcloud's kubectl dispatcher asks the server its version on every call: asked once here, the
    // discovery's many calls (and everything after) run the kubectl it would pick, directly.
    const serverVersion = await askServerVersion(kubectlWith({ KUBECONFIG: kubeconfigFiles.join(':') }, ['--context', ctxInfo.context]), api);
    const userK = kubectlWith({ KUBECONFIG: kubeconfigFiles.join(':') }, ['--context', ctxInfo.context], serverVersion);

    const cluster = await phase('discover', () => discoverCluster({ k: userK, ...(api ? { api } : {}) }, serverVersion), (c) => `${c.nodes.length} nodes${c.discovery.serverVersion ? `, Kubernetes ${c.discovery.serverVersion}` : ''}`);
    const d = cluster.discovery;
    emit({ type: 'phase', phase: 'cni', state: d.modelled ? 'done' : 'failed', detail: describeCni(d) });
    for (const e of d.evidence) emit({ type: 'log', line: `  cni evidence: ${e}` });
    emit({ type: 'log', line: `  pod range ${d.clusterCIDR || 'unknown'} (${d.clusterCIDRSource})` });

    const nodeFacts = readNodes(cluster.nodes);
    const mapping = await phase('roles', async () => mapRoles(nodeFacts, opts.nodes), (m) => Object.entries(m.roles).map(([r, n]) => (r === n ? r : `${r}=${n}`)).join(', '));
    for (const n of mapping.notes) emit({ type: 'log', line: `  ${n}` });
    const workers = Object.keys(mapping.roles).length - 1;
    if (up.workers > workers) emit({ type: 'log', line: `  ${up.workers} workers were asked for; this cluster gives the labs ${Math.max(0, workers)} (an existing cluster is used as it is)` });

    let access = await phase('access', () => askAccess(userK, namespace), (a) => (a.reviewed ? 'checked with access reviews' : 'the cluster answers no access reviews: hoplab will just try'));
    const denied = Object.entries(access.allowed).filter(([, ok]) => !ok).map(([id]) => id);
    if (denied.length) emit({ type: 'log', line: `  not allowed: ${denied.join(', ')}` });

    const ns = await phase('namespace', () => ensureNamespace(userK, namespace, opts.lab, opts.namespace !== undefined), (u) => u.notes.join('; '));
    const image = opts.debugImage ?? KUBECONFIG_DEFAULTS.debugImage;
    const record: KubeconfigLabRecord = {
      version: 1,
      lab: opts.lab,
      kubeconfigFiles,
      context: ctxInfo.context,
      server: ctxInfo.server,
      namespace,
      createdNamespace: ns.created,
      debugImage: image,
      nodeExec: opts.nodeExec ?? KUBECONFIG_DEFAULTS.nodeExec,
      roles: mapping.roles,
      discovery: d,
      access,
      nodes: {},
      createdAt: new Date().toISOString(),
    };
    try {
      // From here on the lab exists: written first so that `down` can remove it even if what follows fails.
      await writePrivate(files, files.kubeconfig, ctxInfo.text);
      await writeRecord(files, record);
      const labK = kubectlWith({ KUBECONFIG: files.kubeconfig }, [], d.serverVersion);

      if (!d.serviceCIDR) {
        const range = await probeServiceRange(labK, namespace);
        if (range) [d.serviceCIDR, d.serviceCIDRSource] = [range, "the apiserver's answer to a dry-run Service outside its range"];
        else d.notes.push('the Service range is unknown: not on the control plane command line, no ServiceCIDR objects, no dry-run answer');
      }
      emit({ type: 'log', line: `  Service range ${d.serviceCIDR ?? 'unknown'}${d.serviceCIDRSource ? ` (${d.serviceCIDRSource})` : ''}; cluster DNS ${d.clusterDns ? `${d.clusterDns.ip} (${d.clusterDns.service})` : 'not found'}` });

      const level = enforcedLevel(ns.object);
      const firstNode = Object.values(mapping.roles)[0];
      if (!nodeRefusal(access) && firstNode) {
        const dry = await dryRunDebugPod(labK, opts.lab, namespace, firstNode, image);
        if (dry.unchecked) emit({ type: 'log', line: `  the node debug pod could not be checked with a dry run (${dry.unchecked}): node commands will tell` });
        if (dry.refusal) access = { ...access, nodePodRefusal: dry.refusal };
        else if (level && level !== 'privileged') access = { ...access, nodePodRefusal: debugPodRefusal(namespace, `violates PodSecurity "${level}:latest"`) };
      }
      record.access = access;
      const refusal = nodeRefusal(access);
      if (refusal) {
        emit({ type: 'phase', phase: 'node access', state: 'failed', detail: refusal });
        emit({ type: 'log', line: `  ${STILL_RUNS}:` });
        await stepsThatRun(access, up, emit);
      } else {
        const nodeCtx: NodeShellContext = { k: labK, ...(api ? { api } : {}), env: { KUBECONFIG: files.kubeconfig }, lab: opts.lab, namespace, image, mode: record.nodeExec };
        const counts = podCounts(cluster.pods);
        const readings = await Promise.all(
          Object.entries(mapping.roles).map(async ([role, node]) => {
            try {
              const side = await phase('node', () => readNodeSide(nodeCtx, node, role, counts[node] ?? 0, up.signal), (s) => s.interfaces.filter((i) => i.address).map((i) => `${i.name} ${i.address}`).join(', '), role);
              return [node, side] as const;
            } catch {
              return undefined; // said by the phase line; node commands will say it again when a lab needs them
            }
          }),
        );
        if (up.signal?.aborted) throw new InterruptedError('up was interrupted');
        record.nodes = Object.fromEntries(readings.filter((x): x is readonly [string, NodeSide] => x !== undefined));
      }
      await writeRecord(files, record);
      return record;
    } catch (err) {
      // Never leave half a lab in someone's cluster.
      if (ns.created && !previous) await releaseNamespace(userK, namespace, opts.lab).catch(() => undefined);
      if (!previous) await forgetLab(files);
      if (up.signal?.aborted) throw new InterruptedError('up was interrupted; the lab namespace was removed again');
      throw err;
    }
  }
}
