// What the endpoints and endpointslice controllers compute for one Service:
// the pods its selector picks, which of them are ready, serving or
// terminating, and the port each service port resolves to on each pod
// (a number, or a container port looked up by name). Pure.
import type { KubeObject } from './runtime.js';
import { mapSelectorMatches } from './label-selector.js';

export interface ResolvedPort {
  name: string;
  port: number;
  protocol: string;
}

export interface PodEndpoint {
  ip: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** One group of endpoints sharing the same resolved ports: an Endpoints subset, an EndpointSlice. */
export interface EndpointGroup {
  ports: ResolvedPort[];
  endpoints: PodEndpoint[];
}

function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

function resolvePort(pod: KubeObject, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  }
  return undefined;
}

/** The pods a Service selects that can be endpoints at all: scheduled, with an IP, not finished. */
export function candidatePods(service: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const ns = service.metadata.namespace;
  return pods.filter(
    (p) =>
      p.metadata.namespace === ns &&
      mapSelectorMatches(service.spec?.selector, p.metadata.labels) &&
      p.status?.podIP &&
      p.status.phase !== 'Succeeded' &&
      p.status.phase !== 'Failed',
  );
}

const byIP = (a: PodEndpoint, b: PodEndpoint) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);

export function endpointGroups(service: KubeObject, pods: readonly KubeObject[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  const svcPorts: any[] = service.spec?.ports ?? [];
  for (const pod of candidatePods(service, pods)) {
    const ports: ResolvedPort[] = [];
    for (const sp of svcPorts) {
      const port = resolvePort(pod, sp.targetPort ?? sp.port);
      if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' });
    }
    if (svcPorts.length && ports.length === 0) continue;
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const ready = isReady(pod);
    const ep: PodEndpoint = {
      ip: pod.status.podIP,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      ready: ready && !terminating,
      serving: ready,
      terminating,
    };
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  return [...groups.values()].map((g) => ({ ports: g.ports, endpoints: g.endpoints.sort(byIP) }));
}

function address(ep: PodEndpoint): Record<string, unknown> {
  return { ip: ep.ip, ...(ep.nodeName ? { nodeName: ep.nodeName } : {}), targetRef: ep.targetRef };
}

/**
 * Endpoints.subsets: ready pods in addresses, unready ones in
 * notReadyAddresses, terminating ones left out (as the endpoints controller
 * does without publishNotReadyAddresses).
 */
export function endpointSubsets(groups: EndpointGroup[]): Record<string, unknown>[] {
  const subsets: Record<string, unknown>[] = [];
  for (const g of groups) {
    const live = g.endpoints.filter((e) => !e.terminating);
    if (live.length === 0) continue;
    const ready = live.filter((e) => e.ready).map(address);
    const notReady = live.filter((e) => !e.ready).map(address);
    subsets.push({
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ports: g.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol })),
    });
  }
  return subsets;
}

/** discovery.k8s.io/v1 EndpointSlice endpoints and ports for one group. */
export function sliceBody(g: EndpointGroup): { endpoints: Record<string, unknown>[]; ports: Record<string, unknown>[] } {
  return {
    endpoints: g.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      targetRef: e.targetRef,
    })),
    ports: g.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
  };
}
