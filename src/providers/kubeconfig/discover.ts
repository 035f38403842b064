// What an existing cluster is: its nodes, its CNI and mode, the pod and
// Service ranges and the cluster DNS, read from whatever the user may see:
// through kubectl in the user's context, or over HTTPS in the same context
// where reader-plan.ts allows it (the same objects, without a kubectl
// process per read). Only the nodes are indispensable; every other source
// is tried in turn and its absence said plainly. The CNI rules live in
// kube-facts.ts (shared with the vagrant provider); this file gathers the
// inputs and summarises.
import ipaddr from 'ipaddr.js';
import { detectCni, kubeItems, readControlPlaneCidrs } from '../kube-facts.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';
import { isForbidden, isNotFound, isUnknownResource, kubectlMessage, type Kubectl } from './kubectl.js';
import { namespacedPath, withKinds, type ApiReader } from './api-reader.js';

type Obj = Record<string, any>;

export interface Discovery {
  /** A CniMode hoplab models, or another name ('cilium', 'kindnet', 'unknown'). */
  cni: string;
  modelled: boolean;
  evidence: string[];
  clusterCIDR: string;
  clusterCIDRSource: string;
  serviceCIDR?: string;
  serviceCIDRSource?: string;
  clusterDns?: { ip: string; service: string };
  serverVersion?: string;
  /** What could not be found out, and why. */
  notes: string[];
}

/** Extra sources beside nodes and pods, each optional. */
export interface DiscoveryExtras {
  flannelNetConf?: { network?: string; backend?: string; source: string };
  calicoPools?: { cidr: string; ipipMode?: string; vxlanMode?: string }[];
  serviceCidrs?: string[];
  dnsService?: Obj;
  serverVersion?: string;
  podsScope: 'all' | 'kube-system' | 'none';
  notes: string[];
}

/** The smallest network holding every CIDR (the nodes' pod CIDRs when nothing publishes the cluster's). */
export function coveringCidr(cidrs: string[]): string | undefined {
  const nets = cidrs.flatMap((c) => {
    try {
      const [addr, len] = ipaddr.IPv4.parseCIDR(c);
      return [{ n: addr.toByteArray().reduce((a, b) => a * 256 + b, 0), len }];
    } catch {
      return [];
    }
  });
  if (nets.length === 0) return undefined;
  let len = Math.min(...nets.map((x) => x.len));
  const mask = (l: number) => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);
  while (len > 0 && new Set(nets.map((x) => (x.n & mask(len)) >>> 0)).size > 1) len--;
  const base = (nets[0]!.n & mask(len)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${len}`;
}

/** Pure: the discovery summary from the API objects and the optional extras. */
export function summarise(nodes: Obj[], pods: Obj[], extras: DiscoveryExtras): Discovery {
  const cni = detectCni(nodes, pods);
  const notes = [...extras.notes];
  const evidence = [...cni.evidence];
  if (extras.podsScope !== 'all') {
    notes.push(
      extras.podsScope === 'kube-system'
        ? 'pods were read in kube-system only (no permission to list pods in every namespace): a CNI agent elsewhere would be missed'
        : 'pods could not be read: the CNI is judged from node annotations alone',
    );
  }
  if (extras.flannelNetConf?.backend) evidence.push(`${extras.flannelNetConf.source}: Backend ${extras.flannelNetConf.backend}`);
  for (const p of extras.calicoPools ?? []) evidence.push(`calico IP pool ${p.cidr}: ipipMode ${p.ipipMode ?? 'Never'}, vxlanMode ${p.vxlanMode ?? 'Never'}`);

  const flags = readControlPlaneCidrs(pods);
  const podCidrs = nodes.map((n) => n.spec?.podCIDR ?? n.spec?.podCIDRs?.[0]).filter((c): c is string => typeof c === 'string' && c !== '');
  let clusterCIDR = '';
  let clusterCIDRSource = 'unknown';
  if (flags.clusterCIDR) [clusterCIDR, clusterCIDRSource] = [flags.clusterCIDR, 'kube-controller-manager --cluster-cidr'];
  else if (extras.flannelNetConf?.network) [clusterCIDR, clusterCIDRSource] = [extras.flannelNetConf.network, `${extras.flannelNetConf.source} Network`];
  else if (cni.cni.startsWith('calico') && extras.calicoPools?.length) [clusterCIDR, clusterCIDRSource] = [extras.calicoPools[0]!.cidr, 'calico IP pool'];
  else {
    const cover = coveringCidr(podCidrs);
    if (cover) [clusterCIDR, clusterCIDRSource] = [cover, "the smallest range holding the nodes' pod CIDRs (the cluster's own is not published)"];
    else notes.push('the cluster CIDR is unknown: no control-plane flags, CNI configuration or node pod CIDRs to read it from');
  }

  const out: Discovery = { cni: cni.cni, modelled: cni.modelled, evidence, clusterCIDR, clusterCIDRSource, notes };
  if (flags.serviceCIDR) [out.serviceCIDR, out.serviceCIDRSource] = [flags.serviceCIDR, 'kube-apiserver --service-cluster-ip-range'];
  else if (extras.serviceCidrs?.length) [out.serviceCIDR, out.serviceCIDRSource] = [extras.serviceCidrs.join(','), 'ServiceCIDR objects'];
  const dnsIP = extras.dnsService?.spec?.clusterIP;
  if (typeof dnsIP === 'string' && dnsIP && dnsIP !== 'None') {
    out.clusterDns = { ip: dnsIP, service: `${extras.dnsService!.metadata?.namespace}/${extras.dnsService!.metadata?.name}` };
  }
  if (extras.serverVersion) out.serverVersion = extras.serverVersion;
  if (!cni.modelled) {
    notes.push(`CNI ${cni.cni} is not one hoplab's path engine models: labs still run, and their hop checks report "no prediction for CNI ${cni.cni}"`);
  }
  return out;
}

/** The `--service-cluster-ip-range` as the apiserver states it when refusing an address outside it (a dry run: nothing is created). */
export function serviceRangeFromRefusal(message: string): string | undefined {
  return /range of valid IPs is ([0-9a-f.:/,]+)/i.exec(message)?.[1];
}

/** Where discovery reads: kubectl in the user's context, and the same context over HTTPS when it may. */
export interface DiscoveryVia {
  k: Kubectl;
  api?: ApiReader;
}

/** One optional source: kubectl's arguments, and the API paths that hold it (the first one answered 200 wins, as kubectl takes a group's preferred version). */
interface Source {
  args: string[];
  paths: string[];
  /** A list's items' kind, which the API leaves out of them and kubectl puts in; a list's 404 means the server has no such resource, not a missing object. */
  list?: { kind: string };
}

type Optional = { json?: Obj; why?: string };
const POD = { kind: 'Pod' };

async function optionalJson(via: DiscoveryVia, src: Source): Promise<Optional> {
  if (!via.api) return optionalKubectl(via.k, src.args);
  let last: { status: number; body?: Obj } = { status: 404 };
  for (const path of src.paths) {
    last = await via.api.read(`reading ${path}`, path);
    if (last.status === 200 && last.body) {
      if (!src.list) return { json: last.body };
      // The version that answered, as kubectl prints the group's preferred one.
      return { json: withKinds(last.body, src.list.kind, /^\/apis\/([^/]+\/[^/]+)\//.exec(path)?.[1] ?? 'v1') };
    }
    if (last.status !== 404) break;
  }
  if (last.status === 403) return { why: 'forbidden' };
  if (last.status === 404) return { why: src.list ? 'no such resource' : 'not found' };
  return { why: `the API server answered ${last.status}${typeof last.body?.message === 'string' ? `: ${last.body.message}` : ''}` };
}

async function optionalKubectl(k: Kubectl, args: string[]): Promise<Optional> {
  const r = await k.run(args);
  if (r.exitCode === 0) {
    try {
      return { json: JSON.parse(r.stdout) as Obj };
    } catch {
      return { why: 'not JSON' };
    }
  }
  return { why: isForbidden(r) ? 'forbidden' : isUnknownResource(r) ? 'no such resource' : isNotFound(r) ? 'not found' : kubectlMessage(r) };
}

export interface ClusterRead {
  nodes: Obj[];
  pods: Obj[];
  discovery: Discovery;
}

/**
 * Reads the cluster through kubectl (the user's context), with the server's version asked before it
 * (askServerVersion: the kubectl that runs here depends on it). Throws MachineError only when the nodes cannot be read.
 */
export async function discoverCluster(via: DiscoveryVia, serverVersion: string | undefined): Promise<ClusterRead> {
  const nodes = via.api
    ? await via.api.list('reading the nodes', '/api/v1/nodes', 'Node')
    : kubeItems(await via.k.json('reading the nodes (kubectl get nodes)', ['get', 'nodes', '-o', 'json']));
  const notes: string[] = [];
  let podsScope: DiscoveryExtras['podsScope'] = 'all';
  const sys = KUBECONFIG_DEFAULTS.systemNamespace;
  let pods = await optionalJson(via, { args: ['get', 'pods', '--all-namespaces', '-o', 'json'], paths: ['/api/v1/pods'], list: POD });
  if (!pods.json) {
    podsScope = 'kube-system';
    pods = await optionalJson(via, { args: ['get', 'pods', '-n', sys, '-o', 'json'], paths: [namespacedPath(sys, 'pods')], list: POD });
    if (!pods.json) podsScope = 'none';
  }
  const podItems = pods.json ? kubeItems(pods.json) : [];
  const extras: DiscoveryExtras = { podsScope, notes };

  if (serverVersion) extras.serverVersion = serverVersion;
  const [flannel, pools, svcCidrs, dns] = await Promise.all([
    (async () => {
      for (const cm of KUBECONFIG_DEFAULTS.flannelConfigMaps) {
        const r = await optionalJson(via, { args: ['get', 'configmap', cm.name, '-n', cm.namespace, '-o', 'json'], paths: [namespacedPath(cm.namespace, 'configmaps', cm.name)] });
        const text = r.json?.data?.['net-conf.json'];
        if (typeof text !== 'string') continue;
        try {
          const conf = JSON.parse(text) as Obj;
          return { network: conf.Network, backend: conf.Backend?.Type, source: `configmap ${cm.namespace}/${cm.name}` };
        } catch {
          notes.push(`configmap ${cm.namespace}/${cm.name} holds no readable net-conf.json`);
        }
      }
      return undefined;
    })(),
    optionalJson(via, { args: ['get', 'ippools.crd.projectcalico.org', '-o', 'json'], paths: ['/apis/crd.projectcalico.org/v1/ippools'], list: { kind: 'IPPool' } }),
    // ServiceCIDR is GA in 1.33, beta (off by default) in 1.31, alpha before.
    optionalJson(via, { args: ['get', 'servicecidrs', '-o', 'json'], paths: ['v1', 'v1beta1', 'v1alpha1'].map((v) => `/apis/networking.k8s.io/${v}/servicecidrs`), list: { kind: 'ServiceCIDR' } }),
    optionalJson(via, {
      args: ['get', 'service', KUBECONFIG_DEFAULTS.clusterDns.service, '-n', KUBECONFIG_DEFAULTS.clusterDns.namespace, '-o', 'json'],
      paths: [namespacedPath(KUBECONFIG_DEFAULTS.clusterDns.namespace, 'services', KUBECONFIG_DEFAULTS.clusterDns.service)],
    }),
  ]);
  if (flannel) extras.flannelNetConf = flannel;
  if (pools.json) {
    extras.calicoPools = (kubeItems(pools.json) as Obj[]).map((p) => ({ cidr: String(p.spec?.cidr ?? ''), ipipMode: p.spec?.ipipMode, vxlanMode: p.spec?.vxlanMode }));
  }
  if (svcCidrs.json) extras.serviceCidrs = (kubeItems(svcCidrs.json) as Obj[]).flatMap((s) => (Array.isArray(s.spec?.cidrs) ? s.spec.cidrs : []));
  if (dns.json) extras.dnsService = dns.json;
  else notes.push(`cluster DNS: no Service ${KUBECONFIG_DEFAULTS.clusterDns.namespace}/${KUBECONFIG_DEFAULTS.clusterDns.service} (${dns.why})`);
  return { nodes, pods: podItems, discovery: summarise(nodes, podItems, extras) };
}

/** The API server's version (`kubectl version`'s gitVersion), or undefined when it does not say. */
export async function askServerVersion(k: Kubectl, api?: ApiReader): Promise<string | undefined> {
  if (api) {
    const v = (await api.read('reading the server version', '/version').catch(() => undefined))?.body?.gitVersion;
    return typeof v === 'string' ? v : undefined;
  }
  const r = await k.run(['version', '-o', 'json']);
  if (r.exitCode !== 0) return undefined;
  try {
    const v = (JSON.parse(r.stdout) as { serverVersion?: { gitVersion?: unknown } }).serverVersion?.gitVersion;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Last resort for the Service range: a server-side dry run of a Service at a documentation address (203.0.113.1, never a Service range), in the lab's namespace. */
export async function probeServiceRange(k: Kubectl, namespace: string): Promise<string | undefined> {
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'hoplab-service-range-probe', namespace },
    spec: { clusterIP: '203.0.113.1', ports: [{ port: 80 }] },
  };
  const r = await k.run(['create', '--dry-run=server', '-f', '-', '-o', 'name'], { input: JSON.stringify(svc) });
  return r.exitCode === 0 ? undefined : serviceRangeFromRefusal(r.stderr);
}
