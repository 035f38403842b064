// resolveEndpoint: what a user types for --from/--to (`httpd`, `pod/httpd`,
// `pod/kube-system/coredns-x`, `node/node-1`, `node-1`, `vbox-host`,
// `10.244.1.3`) to an EndpointRef. Unknown or ambiguous names are usage
// errors that list what exists.
import type { ClusterFacts } from '../core/facts.js';
import { UsageError } from '../core/errors.js';
import { isIPv4 } from './cidr.js';
import { findHost, findNode, findPod, list } from './endpoints.js';
import type { EndpointRef } from './types.js';

const KINDS: Record<string, 'pod' | 'node' | 'host'> = {
  pod: 'pod', pods: 'pod', po: 'pod',
  node: 'node', nodes: 'node', no: 'node',
  host: 'host', hosts: 'host',
};

export function resolveEndpoint(facts: ClusterFacts, text: string): EndpointRef {
  const t = text.trim();
  if (t === '') throw new UsageError(`an endpoint is empty: expected a pod, node or host name, or an IPv4 address.\n${existing(facts)}`);

  const typed = /^([a-z]+)\/(.+)$/.exec(t);
  if (typed && (typed[1] === 'svc' || typed[1] === 'service')) return serviceAddress(facts, typed[2]!, t);
  if (typed && KINDS[typed[1]!]) return byKind(facts, KINDS[typed[1]!]!, typed[2]!, t);

  if (isIPv4(t)) {
    // A pod's or a node's own address names that pod or node; any other address stays an address.
    const node = facts.nodes.find((n) => n.internalIP === t);
    if (node) return { kind: 'node', name: node.name };
    const pods = facts.pods.filter((p) => p.ip === t);
    if (pods.length === 1) return { kind: 'pod', name: pods[0]!.name, namespace: pods[0]!.namespace };
    return { kind: 'address', ip: t };
  }

  const slash = /^([^/]+)\/([^/]+)$/.exec(t); // namespace/pod
  if (slash && facts.pods.some((p) => p.namespace === slash[1] && p.name === slash[2])) {
    return { kind: 'pod', name: slash[2]!, namespace: slash[1]! };
  }

  const kinds: ('pod' | 'node' | 'host' | 'svc')[] = [];
  if (facts.pods.some((p) => p.name === t)) kinds.push('pod');
  if (facts.nodes.some((n) => n.name === t)) kinds.push('node');
  if (facts.hosts.some((h) => h.name === t)) kinds.push('host');
  // A Service by its bare name (`--to web`), as kubectl and the lab texts name it.
  if ((facts.services ?? []).some((s) => s.name === t && s.clusterIP && s.clusterIP !== 'None')) kinds.push('svc');
  if (kinds.length > 1) {
    throw new UsageError(`"${t}" names a ${kinds.map((k) => (k === 'svc' ? 'Service' : k)).join(' and a ')}: write ${kinds.map((k) => `${k}/${t}`).join(' or ')}`);
  }
  if (kinds[0] === 'svc') return serviceAddress(facts, t, t);
  if (kinds.length === 1) return byKind(facts, kinds[0]!, t, t);
  throw new UsageError(`unknown endpoint "${t}": expected a pod, node, host or Service name, or an IPv4 address.\n${existing(facts)}`);
}

function byKind(facts: ClusterFacts, kind: 'pod' | 'node' | 'host', name: string, text: string): EndpointRef {
  if (kind === 'pod') {
    const parts = name.split('/');
    const [namespace, podName] = parts.length === 2 ? [parts[0], parts[1]!] : [undefined, name];
    const pod = findPod(facts, podName, namespace);
    if (!pod.ok) throw new UsageError(`${pod.ambiguous ? 'ambiguous' : 'unknown'} endpoint "${text}": ${pod.reason}`);
    return { kind: 'pod', name: pod.value.name, namespace: pod.value.namespace };
  }
  const found = kind === 'node' ? findNode(facts, name) : findHost(facts, name);
  if (!found.ok) throw new UsageError(`unknown endpoint "${text}": ${found.reason}`);
  return { kind, name };
}

/** svc/NAME or svc/NAMESPACE/NAME: the Service's ClusterIP, which the engine traces through kube-proxy. */
function serviceAddress(facts: ClusterFacts, name: string, text: string): EndpointRef {
  const [namespace, svcName] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [undefined, name];
  const all = facts.services.filter((s) => s.name === svcName && (namespace === undefined || s.namespace === namespace));
  const svc = all.find((s) => s.namespace === 'default') ?? all[0];
  if (!svc || !svc.clusterIP || svc.clusterIP === 'None') {
    const have = facts.services.map((s) => `${s.namespace}/${s.name}`);
    throw new UsageError(`unknown endpoint "${text}": no Service ${name} with a ClusterIP in the cluster facts (services: ${list(have)})`);
  }
  return { kind: 'address', ip: svc.clusterIP };
}

function existing(facts: ClusterFacts): string {
  const pods = facts.pods.map((p) => `${p.name} (${p.ip || 'no IP'}${p.namespace === 'default' ? '' : `, ${p.namespace}`})`);
  const nodes = facts.nodes.map((n) => `${n.name} (${n.internalIP})`);
  const hosts = facts.hosts.map((h) => h.name);
  const services = (facts.services ?? []).map((s) => (s.namespace === 'default' ? s.name : `${s.namespace}/${s.name}`));
  return `pods: ${list(pods)}\nnodes: ${list(nodes)}\nhosts: ${list(hosts)}\nservices: ${list(services)}`;
}
