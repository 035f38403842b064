// From an EndpointRef to what the engine walks: the place a trace starts on,
// and the address it is sent to. Failures are reasons, not exceptions: the
// engine reports them as a prediction that could not be made.
import type { ClusterFacts, HostFacts, NodeFacts, PodFacts } from '../core/facts.js';
import { isIPv4 } from './cidr.js';
import { type Place, describePlace, holderNear, linkTo } from './places.js';
import type { EndpointRef } from './types.js';

type Found<T> = { ok: true; value: T } | { ok: false; reason: string; ambiguous?: boolean };

export function findPod(facts: ClusterFacts, name: string, namespace?: string): Found<PodFacts> {
  const named = facts.pods.filter((p) => p.name === name && (namespace === undefined || p.namespace === namespace));
  if (named.length === 1) return { ok: true, value: named[0]! };
  if (named.length > 1) {
    return {
      ok: false,
      ambiguous: true,
      reason: `pod ${name} exists in namespaces ${named.map((p) => p.namespace).join(', ')}: name one, as pod/<namespace>/${name}`,
    };
  }
  const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
  return { ok: false, reason: `no pod ${name}${where} in the cluster facts (pods: ${list(facts.pods.map((p) => p.name))})` };
}

export function findNode(facts: ClusterFacts, name: string): Found<NodeFacts> {
  const node = facts.nodes.find((n) => n.name === name);
  return node ? { ok: true, value: node } : { ok: false, reason: `no node ${name} in the cluster facts (nodes: ${list(facts.nodes.map((n) => n.name))})` };
}

export function findHost(facts: ClusterFacts, name: string): Found<HostFacts> {
  const host = facts.hosts.find((h) => h.name === name);
  return host ? { ok: true, value: host } : { ok: false, reason: `no host ${name} in the cluster facts (hosts: ${list(facts.hosts.map((h) => h.name))})` };
}

export function list(names: string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/** Where a trace from `ref` starts. A hostNetwork pod (its IP is its node's) starts on the node. */
export function sourcePlace(facts: ClusterFacts, ref: EndpointRef): Found<Place> {
  switch (ref.kind) {
    case 'pod': {
      const pod = findPod(facts, ref.name, ref.namespace);
      if (!pod.ok) return pod;
      return podPlace(facts, pod.value);
    }
    case 'node': {
      const node = findNode(facts, ref.name);
      return node.ok ? { ok: true, value: { kind: 'node', node: node.value } } : node;
    }
    case 'host': {
      const host = findHost(facts, ref.name);
      return host.ok ? { ok: true, value: { kind: 'host', host: host.value } } : host;
    }
    case 'address': {
      if (!isIPv4(ref.ip)) return { ok: false, reason: `${JSON.stringify(ref.ip)} is not an IPv4 address` };
      const holder = holderNear(facts, ref.ip);
      if (!holder) return { ok: false, reason: `no single pod, node or host in the cluster facts holds ${ref.ip}: name the source instead` };
      return holder.place.kind === 'pod' ? podPlace(facts, holder.place.pod) : { ok: true, value: holder.place };
    }
  }
}

function podPlace(facts: ClusterFacts, pod: PodFacts): Found<Place> {
  const node = facts.nodes.find((n) => n.name === pod.node);
  if (!node) return { ok: false, reason: `pod ${pod.name} runs on ${pod.node || 'no node'}, which is not among the nodes (${list(facts.nodes.map((n) => n.name))})` };
  if (!pod.ip) return { ok: false, reason: `pod ${pod.name} has no IP address yet${pod.phase ? ` (phase ${pod.phase})` : ''}` };
  const hostNetwork = pod.ip === node.internalIP || node.interfaces.some((i) => i.address === pod.ip);
  return { ok: true, value: hostNetwork ? { kind: 'node', node } : { kind: 'pod', pod, node } };
}

/** The address a trace to `ref` is sent to. A host is traced at its address on a link the source shares, if any. */
export function destinationAddress(facts: ClusterFacts, ref: EndpointRef, source: Place): Found<string> {
  switch (ref.kind) {
    case 'pod': {
      const pod = findPod(facts, ref.name, ref.namespace);
      if (!pod.ok) return pod;
      if (!pod.value.ip) return { ok: false, reason: `pod ${ref.name} has no IP address yet${pod.value.phase ? ` (phase ${pod.value.phase})` : ''}` };
      return { ok: true, value: pod.value.ip };
    }
    case 'node': {
      const node = findNode(facts, ref.name);
      return node.ok ? { ok: true, value: node.value.internalIP } : node;
    }
    case 'host': {
      const host = findHost(facts, ref.name);
      if (!host.ok) return host;
      const addrs = host.value.interfaces.flatMap((i) => (i.address ? [i.address] : []));
      const from: Place = source.kind === 'pod' ? { kind: 'node', node: source.node } : source;
      const shared = addrs.find((a) => linkTo(from, a) !== undefined);
      const chosen = shared ?? addrs[0];
      return chosen ? { ok: true, value: chosen } : { ok: false, reason: `host ${ref.name} has no address in the cluster facts` };
    }
    case 'address':
      return isIPv4(ref.ip) ? { ok: true, value: ref.ip } : { ok: false, reason: `${JSON.stringify(ref.ip)} is not an IPv4 address` };
  }
}

export function describeTarget(facts: ClusterFacts, address: string, source: Place): string {
  const holder = holderNear(facts, address, source);
  return holder ? `${describePlace(holder.place)} (${address})` : address;
}

export { describePlace };
