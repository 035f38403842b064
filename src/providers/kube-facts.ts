// Reads ClusterFacts from what the Kubernetes API says about a real cluster:
// `kubectl get nodes,pods,services,endpointslices -A -o json` (one List or
// separate ones). Pure functions over parsed JSON, shared by the vagrant and
// kubeconfig providers. What the API does not say (interface names, the
// default route) is merged in from node-side listings when a provider has them.
import { CNI_MODE_INFO, modeFromBackend } from '../core/cni-modes.js';
import { type ClusterFacts, type IfaceFacts, type NodeFacts, type PodFacts, type ServiceFacts } from '../core/facts.js';

type Obj = Record<string, unknown>;

const FLANNEL = 'flannel.alpha.coreos.com/';
const CALICO = 'projectcalico.org/';

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Items of a `kubectl get ... -o json` answer: a List, a single object, or an array of either. */
export function kubeItems(json: unknown): Obj[] {
  if (Array.isArray(json)) return json.flatMap(kubeItems);
  const o = obj(json);
  if (Array.isArray(o.items)) return o.items.map(obj);
  return o.kind ? [o] : [];
}

export interface KubeObjects {
  nodes: Obj[];
  pods: Obj[];
  services: Obj[];
  endpointSlices: Obj[];
  endpoints: Obj[];
}

/** Sorts a mixed List (`kubectl get nodes,pods,services -o json`) by kind. */
export function splitByKind(...answers: unknown[]): KubeObjects {
  const out: KubeObjects = { nodes: [], pods: [], services: [], endpointSlices: [], endpoints: [] };
  for (const item of answers.flatMap(kubeItems)) {
    switch (item.kind) {
      case 'Node': out.nodes.push(item); break;
      case 'Pod': out.pods.push(item); break;
      case 'Service': out.services.push(item); break;
      case 'EndpointSlice': out.endpointSlices.push(item); break;
      case 'Endpoints': out.endpoints.push(item); break;
    }
  }
  return out;
}

export interface CniAnnotations {
  flannel?: { backendType?: string; publicIP?: string; vni?: number; vtepMAC?: string };
  calico?: { ipv4Address?: string; ipipTunnelAddr?: string; vxlanTunnelAddr?: string };
}

/** The flannel and calico annotations a node carries (absent when it carries none). */
export function readCniAnnotations(node: Obj): CniAnnotations {
  const a = obj(obj(node.metadata).annotations);
  const out: CniAnnotations = {};
  if (Object.keys(a).some((k) => k.startsWith(FLANNEL))) {
    let data: Obj = {};
    try {
      data = obj(JSON.parse(String(a[`${FLANNEL}backend-data`] ?? 'null')));
    } catch {
      // host-gw writes "null"; anything unparsable just carries no VTEP data.
    }
    out.flannel = {
      backendType: str(a[`${FLANNEL}backend-type`]),
      publicIP: str(a[`${FLANNEL}public-ip`]),
      vni: typeof data.VNI === 'number' ? data.VNI : undefined,
      vtepMAC: str(data.VtepMAC),
    };
  }
  if (Object.keys(a).some((k) => k.startsWith(CALICO))) {
    out.calico = {
      ipv4Address: str(a[`${CALICO}IPv4Address`]),
      ipipTunnelAddr: str(a[`${CALICO}IPv4IPIPTunnelAddr`]),
      vxlanTunnelAddr: str(a[`${CALICO}IPv4VXLANTunnelAddr`]),
    };
  }
  return out;
}

export function nodeInternalIP(node: Obj): string | undefined {
  const addrs = arr(obj(node.status).addresses).map(obj);
  return str(addrs.find((a) => a.type === 'InternalIP')?.address);
}

/** `node-role.kubernetes.io/<role>` labels, the way `kubectl get nodes` shows ROLES. */
export function nodeRoles(node: Obj): string[] {
  const labels = obj(obj(node.metadata).labels);
  return Object.keys(labels)
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '')
    .sort();
}

function networkAddress(cidr: string): string | undefined {
  return /^(\d+\.\d+\.\d+\.\d+)\/\d+$/.exec(cidr)?.[1];
}

function splitCidr(value: string): { address: string; prefixLength?: number } {
  const [address, len] = value.split('/');
  return len === undefined ? { address: address! } : { address: address!, prefixLength: Number(len) };
}

export interface NodeReadOptions {
  /**
   * Name given to the InternalIP's interface when no node-side listing is
   * available (the API does not name interfaces). Default 'eth0'.
   */
  internalIface?: string;
  /** Real interfaces per node (e.g. parsed `ip -j addr`); replaces what annotations suggest. */
  interfaces?: Record<string, IfaceFacts[]>;
  defaultRoutes?: Record<string, { via: string; dev: string }>;
}

/**
 * Interfaces the API implies: the InternalIP, and the tunnel device each CNI
 * names itself (flannel.<VNI> holding the pod CIDR's network address, calico's
 * tunl0 / vxlan.calico holding the annotated tunnel address).
 */
function impliedInterfaces(node: Obj, internalIP: string | undefined, podCIDR: string, iface: string): IfaceFacts[] {
  const out: IfaceFacts[] = [];
  const ann = readCniAnnotations(node);
  const calicoAddr = ann.calico?.ipv4Address ? splitCidr(ann.calico.ipv4Address) : undefined;
  if (internalIP) {
    const prefix = calicoAddr?.address === internalIP ? calicoAddr.prefixLength : undefined;
    out.push(prefix === undefined ? { name: iface, address: internalIP } : { name: iface, address: internalIP, prefixLength: prefix });
  }
  if (ann.flannel?.backendType === 'vxlan') {
    const net = networkAddress(podCIDR);
    if (net) out.push({ name: `flannel.${ann.flannel.vni ?? 1}`, address: net, prefixLength: 32 });
  }
  if (ann.calico?.ipipTunnelAddr) out.push({ name: CNI_MODE_INFO['calico-ipip'].tunnel!.device, address: ann.calico.ipipTunnelAddr, prefixLength: 32 });
  if (ann.calico?.vxlanTunnelAddr) out.push({ name: CNI_MODE_INFO['calico-vxlan'].tunnel!.device, address: ann.calico.vxlanTunnelAddr, prefixLength: 32 });
  return out;
}

export function readNodes(nodes: Obj[], opts: NodeReadOptions = {}): NodeFacts[] {
  return nodes
    .map((node): NodeFacts => {
      const name = String(obj(node.metadata).name ?? '');
      const spec = obj(node.spec);
      const podCIDR = str(spec.podCIDR) ?? str(arr(spec.podCIDRs)[0]) ?? '';
      const internalIP = nodeInternalIP(node);
      const facts: NodeFacts = {
        name,
        roles: nodeRoles(node),
        internalIP: internalIP ?? '',
        podCIDR,
        interfaces: opts.interfaces?.[name] ?? impliedInterfaces(node, internalIP, podCIDR, opts.internalIface ?? 'eth0'),
      };
      const route = opts.defaultRoutes?.[name];
      if (route) facts.defaultRoute = route;
      return facts;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Pods that have an address; a pod still waiting for one has nothing the path engine can use. */
export function readPods(pods: Obj[]): PodFacts[] {
  const out: PodFacts[] = [];
  for (const pod of pods) {
    const meta = obj(pod.metadata);
    const status = obj(pod.status);
    const ip = str(status.podIP);
    if (!ip) continue;
    const p: PodFacts = {
      name: String(meta.name ?? ''),
      namespace: String(meta.namespace ?? 'default'),
      node: String(obj(pod.spec).nodeName ?? ''),
      ip,
    };
    const phase = str(status.phase);
    if (phase) p.phase = phase;
    out.push(p);
  }
  return out;
}

/** Services with their ready endpoint addresses, from EndpointSlices or (older clusters) Endpoints. */
export function readServices(services: Obj[], endpointSlices: Obj[] = [], endpoints: Obj[] = []): ServiceFacts[] {
  const key = (ns: unknown, name: unknown) => `${String(ns ?? 'default')}/${String(name ?? '')}`;
  const ready = new Map<string, Set<string>>();
  const add = (k: string, ip: string) => {
    if (!ready.has(k)) ready.set(k, new Set());
    ready.get(k)!.add(ip);
  };
  for (const slice of endpointSlices) {
    const meta = obj(slice.metadata);
    const svc = str(obj(meta.labels)['kubernetes.io/service-name']);
    if (!svc) continue;
    for (const ep of arr(slice.endpoints).map(obj)) {
      if (obj(ep.conditions).ready === false) continue;
      for (const ip of arr(ep.addresses)) if (typeof ip === 'string') add(key(meta.namespace, svc), ip);
    }
  }
  for (const e of endpoints) {
    const meta = obj(e.metadata);
    for (const subset of arr(e.subsets).map(obj)) {
      for (const a of arr(subset.addresses).map(obj)) {
        const ip = str(a.ip);
        if (ip) add(key(meta.namespace, meta.name), ip);
      }
    }
  }
  // The port the endpoints listen on, per service port name, from the slices.
  const slicePorts = new Map<string, number>();
  for (const slice of endpointSlices) {
    const meta = obj(slice.metadata);
    const svc = str(obj(meta.labels)['kubernetes.io/service-name']);
    for (const p of arr(slice.ports).map(obj)) {
      if (svc && typeof p.port === 'number') slicePorts.set(`${key(meta.namespace, svc)}/${str(p.name) ?? ''}`, p.port);
    }
  }
  return services.map((svc) => {
    const meta = obj(svc.metadata);
    const spec = obj(svc.spec);
    const facts: ServiceFacts = {
      name: String(meta.name ?? ''),
      namespace: String(meta.namespace ?? 'default'),
      clusterIP: String(spec.clusterIP ?? ''),
      ports: arr(spec.ports).map(obj).map((p) => {
        const port: ServiceFacts['ports'][number] = { port: Number(p.port), protocol: String(p.protocol ?? 'TCP') };
        if (typeof p.nodePort === 'number') port.nodePort = p.nodePort;
        if (typeof p.name === 'string' && p.name) port.name = p.name;
        const target = slicePorts.get(`${key(meta.namespace, meta.name)}/${typeof p.name === 'string' ? p.name : ''}`);
        if (target !== undefined) port.targetPort = target;
        return port;
      }),
      endpoints: [...(ready.get(key(meta.namespace, meta.name)) ?? [])].sort(),
    };
    if (typeof spec.type === 'string') facts.type = spec.type;
    return facts;
  });
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return args[i + 1];
  }
  return undefined;
}

/**
 * The cluster and Service CIDRs as the control plane was started with them:
 * kubeadm's static pods carry `--cluster-cidr` (kube-controller-manager) and
 * `--service-cluster-ip-range` (kube-apiserver) on their command lines.
 */
export function readControlPlaneCidrs(pods: Obj[]): { clusterCIDR?: string; serviceCIDR?: string } {
  const out: { clusterCIDR?: string; serviceCIDR?: string } = {};
  for (const pod of pods) {
    for (const c of arr(obj(pod.spec).containers).map(obj)) {
      const argv = [...arr(c.command), ...arr(c.args)].filter((x): x is string => typeof x === 'string');
      out.clusterCIDR ??= flagValue(argv, '--cluster-cidr');
      out.serviceCIDR ??= flagValue(argv, '--service-cluster-ip-range');
    }
  }
  return out;
}

export interface CniDetection {
  /** A CniMode ('flannel-vxlan', ...) when hoplab models it; otherwise a plain name ('cilium', 'flannel', 'unknown'). */
  cni: string;
  modelled: boolean;
  /** Why: which pods and annotations led here, for `status` and error messages. */
  evidence: string[];
}

/** Plugins recognised by their node agents' pod names (DaemonSet pods are `<ds>-xxxxx`). */
const AGENT_PODS: [plugin: string, pattern: RegExp][] = [
  ['canal', /^canal-/],
  ['flannel', /^(kube-flannel-ds|kube-flannel)-/],
  ['calico', /^calico-node-/],
  ['cilium', /^cilium-(?!operator)/],
  ['weave', /^weave-net-/],
  ['kindnet', /^kindnet-/],
  ['kube-router', /^kube-router-/],
  ['antrea', /^antrea-agent-/],
];

/**
 * Which CNI runs and in which mode. The plugin comes from its node agent's
 * pods when pods are given (annotations can outlive a plugin that was
 * replaced), else from the node annotations; the mode always from the
 * annotations: flannel's backend-type; for calico a VXLAN tunnel address
 * means VXLAN, else an IPIP tunnel address means IPIP, else plain BGP.
 */
export function detectCni(nodes: Obj[], pods: Obj[] = []): CniDetection {
  const evidence: string[] = [];
  const agents = new Set<string>();
  for (const pod of pods) {
    const name = String(obj(pod.metadata).name ?? '');
    const hit = AGENT_PODS.find(([, re]) => re.test(name));
    if (hit) {
      if (!agents.has(hit[0])) evidence.push(`pod ${String(obj(pod.metadata).namespace ?? '')}/${name}`);
      agents.add(hit[0]);
    }
  }
  const anns = nodes.map((n) => ({ name: String(obj(n.metadata).name ?? ''), ...readCniAnnotations(n) }));
  const flannelNodes = anns.filter((a) => a.flannel);
  const calicoNodes = anns.filter((a) => a.calico);

  let plugin: string;
  if (agents.size > 0) {
    if (agents.size > 1) evidence.push(`several CNI agents run: ${[...agents].sort().join(', ')}`);
    plugin = agents.size === 1 ? [...agents][0]! : [...agents].sort().join('+');
  } else if (flannelNodes.length > 0 && calicoNodes.length > 0) {
    evidence.push('nodes carry both flannel and calico annotations');
    plugin = 'flannel+calico';
  } else if (flannelNodes.length > 0) {
    plugin = 'flannel';
  } else if (calicoNodes.length > 0) {
    plugin = 'calico';
  } else {
    evidence.push('no CNI agent pods and no flannel/calico node annotations');
    return { cni: 'unknown', modelled: false, evidence };
  }

  if (plugin === 'flannel') {
    const types = [...new Set(flannelNodes.map((a) => a.flannel!.backendType ?? '?'))];
    for (const a of flannelNodes) evidence.push(`node ${a.name}: backend-type ${a.flannel!.backendType ?? '(none)'}`);
    const mode = types.length === 1 ? modeFromBackend('flannel', types[0]!) : undefined;
    if (mode) return { cni: mode, modelled: true, evidence };
    if (types.length > 1) evidence.push(`nodes disagree on the flannel backend: ${types.join(', ')}`);
    return { cni: types.length === 1 && flannelNodes.length > 0 ? `flannel-${types[0]}` : 'flannel', modelled: false, evidence };
  }
  if (plugin === 'calico') {
    if (calicoNodes.length === 0) {
      evidence.push('calico runs but no node carries projectcalico.org annotations yet');
      return { cni: 'calico', modelled: false, evidence };
    }
    const modes = new Set(
      calicoNodes.map((a) => (a.calico!.vxlanTunnelAddr ? 'vxlan' : a.calico!.ipipTunnelAddr ? 'ipip' : 'bgp')),
    );
    for (const a of calicoNodes) {
      const c = a.calico!;
      evidence.push(
        `node ${a.name}: IPv4Address ${c.ipv4Address ?? '(none)'}` +
          (c.ipipTunnelAddr ? `, IPIP tunnel ${c.ipipTunnelAddr}` : '') +
          (c.vxlanTunnelAddr ? `, VXLAN tunnel ${c.vxlanTunnelAddr}` : ''),
      );
    }
    const mode = modes.size === 1 ? modeFromBackend('calico', [...modes][0]!) : undefined;
    if (mode) return { cni: mode, modelled: true, evidence };
    evidence.push(`nodes disagree on calico's encapsulation: ${[...modes].sort().join(', ')}`);
    return { cni: 'calico', modelled: false, evidence };
  }
  return { cni: plugin, modelled: false, evidence };
}

export interface ClusterFactsOptions extends NodeReadOptions {
  provider: string;
  /** Used when the control plane's pods do not say (`--cluster-cidr`). */
  clusterCIDR?: string;
  serviceCIDR?: string;
  hosts?: ClusterFacts['hosts'];
}

/** All of it at once, from one or more `kubectl get ... -o json` answers. */
export function readClusterFacts(answers: unknown[], opts: ClusterFactsOptions): ClusterFacts & { cniEvidence: string[] } {
  const k = splitByKind(...answers);
  const cidrs = readControlPlaneCidrs(k.pods);
  const cni = detectCni(k.nodes, k.pods);
  const facts: ClusterFacts & { cniEvidence: string[] } = {
    provider: opts.provider,
    cni: cni.cni,
    clusterCIDR: cidrs.clusterCIDR ?? opts.clusterCIDR ?? '',
    nodes: readNodes(k.nodes, opts),
    pods: readPods(k.pods),
    hosts: opts.hosts ?? [],
    services: readServices(k.services, k.endpointSlices, k.endpoints),
    cniEvidence: cni.evidence,
  };
  const serviceCIDR = cidrs.serviceCIDR ?? opts.serviceCIDR;
  if (serviceCIDR) facts.serviceCIDR = serviceCIDR;
  return facts;
}
