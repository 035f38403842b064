// Cluster facts of a kubeconfig lab, as the labs and the path engine see
// them: nodes, pods and Services read live through kubectl (the lab's
// namespace and kube-system, never the user's other namespaces), the CNI
// and ranges found at `up`, node interfaces read on the nodes, and the
// mapped nodes under their lab role names.
import type { ClusterFacts } from '../../core/facts.js';
import { kubeItems, readClusterFacts } from '../kube-facts.js';
import { namespacedPath, type ApiReader } from './api-reader.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';
import type { Kubectl } from './kubectl.js';
import { findHostVeths, readNodeSide, type PodOnNode } from './node-side.js';
import type { NodeShellContext } from './node-exec.js';
import { renameFacts, roleOf } from './roles.js';
import type { KubeconfigLabRecord, NodeSide } from './state.js';

type Obj = Record<string, any>;

export interface FactsDeps {
  k: Kubectl;
  /** hoplab's own HTTPS reads, when the lab's kubeconfig allows them; else the reads are kubectl's. */
  api?: ApiReader;
  record: KubeconfigLabRecord;
  /** Undefined when commands on nodes are refused here: facts then come from the API alone. */
  node?: NodeShellContext;
  veths: Record<string, string>;
  /** Persists what was learned (node readings, veths) for the next command. */
  save(record: KubeconfigLabRecord, veths: Record<string, string>): Promise<void>;
}

const isDebugPod = (p: Obj) => p.metadata?.labels?.[KUBECONFIG_DEFAULTS.labels.nodeShell] !== undefined;
const onPodNetwork = (p: Obj) => p.spec?.hostNetwork !== true;

async function optional(k: Kubectl, args: string[]): Promise<unknown[]> {
  const r = await k.run(args);
  if (r.exitCode !== 0) return [];
  try {
    return [JSON.parse(r.stdout)];
  } catch {
    return [];
  }
}

/** Pods that got an address on the pod network, per node: the "first pod brings the bridge" rule. */
export function podCounts(pods: Obj[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n && onPodNetwork(p) && p.status?.podIP) out[n] = (out[n] ?? 0) + 1;
  }
  return out;
}

/**
 * Node readings to refresh: a mapped node read while it ran no pods may
 * have gained its CNI bridge (cni0) with its first pod since.
 */
export function staleNodes(nodes: Record<string, NodeSide>, counts: Record<string, number>, mapped: string[]): string[] {
  return mapped.filter((n) => !nodes[n] || (nodes[n]!.podsAtRead === 0 && (counts[n] ?? 0) > 0));
}

/** Lab pods whose host-side veth is not known yet, by node. */
export function podsNeedingVeth(pods: Obj[], namespace: string, known: Record<string, string>): Map<string, PodOnNode[]> {
  const out = new Map<string, PodOnNode[]>();
  for (const p of pods) {
    const uid = p.metadata?.uid;
    if (!uid || known[uid] || p.metadata?.namespace !== namespace || isDebugPod(p) || !onPodNetwork(p)) continue;
    if (p.status?.phase !== 'Running' || !p.spec?.nodeName) continue;
    const list = out.get(p.spec.nodeName) ?? [];
    list.push({ uid, name: p.metadata.name, namespace });
    out.set(p.spec.nodeName, list);
  }
  return out;
}

/** What the API reads of kubectlAnswers give, as the same mixed Lists (items carrying their kind). */
async function apiAnswers(api: ApiReader, ns: string, sys: string): Promise<unknown[]> {
  const asList = (parts: Obj[][]) => ({ kind: 'List', apiVersion: 'v1', items: parts.flat() });
  // As with kubectl: a mixed read that fails in any part gives nothing (kubectl exits non-zero and optional drops it).
  const optionalList = async (reads: Promise<Obj[]>[]) => {
    const got = await Promise.allSettled(reads);
    return got.every((g) => g.status === 'fulfilled') ? [asList(got.map((g) => (g as PromiseFulfilledResult<Obj[]>).value))] : [];
  };
  const what = 'reading the nodes and the lab pods';
  const [main, system, services] = await Promise.all([
    Promise.all([api.list(what, '/api/v1/nodes', 'Node'), api.list(what, namespacedPath(ns, 'pods'), 'Pod')]).then(asList),
    optionalList([api.list(`reading ${sys}`, namespacedPath(sys, 'pods'), 'Pod'), api.list(`reading ${sys}`, namespacedPath(sys, 'services'), 'Service')]),
    optionalList([api.list("reading the lab's Services", namespacedPath(ns, 'services'), 'Service'), api.list("reading the lab's Services", namespacedPath(ns, 'endpoints'), 'Endpoints')]),
  ]);
  return [main, ...system, ...services];
}

/** The nodes and pods (must answer), kube-system's pods and Services, the lab's Services and Endpoints (may be refused). */
async function kubectlAnswers(k: Kubectl, ns: string, sys: string): Promise<unknown[]> {
  const [main, system, services] = await Promise.all([
    k.json('reading the nodes and the lab pods', ['get', 'nodes,pods', '-n', ns, '-o', 'json']),
    optional(k, ['get', 'pods,services', '-n', sys, '-o', 'json']),
    optional(k, ['get', 'services,endpoints', '-n', ns, '-o', 'json']),
  ]);
  return [main, ...system, ...services];
}

export async function readFacts(deps: FactsDeps): Promise<ClusterFacts> {
  const { k, record } = deps;
  const ns = record.namespace;
  const sys = KUBECONFIG_DEFAULTS.systemNamespace;
  const answers = deps.api ? await apiAnswers(deps.api, ns, sys) : await kubectlAnswers(k, ns, sys);
  const all = answers.flatMap(kubeItems) as Obj[];
  const pods = all.filter((o) => o.kind === 'Pod');
  const visible = answers.map((a) => ({ ...(a as Obj), items: kubeItems(a).filter((o) => !(o.kind === 'Pod' && isDebugPod(o))) }));

  let nodes = record.nodes;
  let veths = deps.veths;
  let changed = false;
  if (deps.node) {
    const nodeCtx = deps.node;
    const counts = podCounts(pods);
    const mapped = Object.values(record.roles);
    const stale = staleNodes(nodes, counts, mapped);
    if (stale.length) {
      const fresh = await Promise.all(stale.map(async (n) => [n, await readNodeSide(nodeCtx, n, roleOf(record.roles, n), counts[n] ?? 0)] as const));
      nodes = { ...nodes, ...Object.fromEntries(fresh) };
      changed = true;
    }
    const needing = podsNeedingVeth(pods, ns, veths);
    if (needing.size) {
      const found = await Promise.all([...needing].map(([n, list]) => findHostVeths(nodeCtx, n, roleOf(record.roles, n), list)));
      veths = { ...veths, ...Object.assign({}, ...found) };
      changed = true;
    }
  }
  if (changed) await deps.save({ ...record, nodes }, veths);

  const interfaces = Object.fromEntries(Object.entries(nodes).map(([n, s]) => [n, s.interfaces]));
  const defaultRoutes = Object.fromEntries(Object.entries(nodes).flatMap(([n, s]) => (s.defaultRoute ? [[n, s.defaultRoute]] : [])));
  const { cniEvidence: _evidence, ...facts } = readClusterFacts(visible, {
    provider: 'kubeconfig',
    interfaces,
    defaultRoutes,
    clusterCIDR: record.discovery.clusterCIDR,
    ...(record.discovery.serviceCIDR ? { serviceCIDR: record.discovery.serviceCIDR } : {}),
  });
  // The CNI was judged at `up` from every namespace's agents; this read sees two namespaces only.
  facts.cni = record.discovery.cni;
  const uidOf = new Map(pods.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, String(p.metadata?.uid ?? '')]));
  facts.pods = facts.pods.map((p) => {
    const veth = veths[uidOf.get(`${p.namespace}/${p.name}`) ?? ''];
    return veth ? { ...p, hostVeth: veth } : p;
  });
  // Labs name their namespace as {{ lab.namespace }}: kube-proxy's comments and DNS names carry it.
  return { ...renameFacts(facts, record.roles), namespace: ns };
}
