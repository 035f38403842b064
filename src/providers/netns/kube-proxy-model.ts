// What kube-proxy knows before it writes rules: every service port with its
// ClusterIP, NodePort and the endpoints its EndpointSlices list (merged
// across slices, deduplicated, sorted by "ip:port" as the endpoints map is),
// and which of them take new connections. Pure; input is API objects.
import type { KubeObject } from '../../kube/runtime.js';
import { servicePortName } from '../../kube/proxy-chains.js';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** "10.244.1.3:80" */
  address: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
}

export interface ProxyServicePort {
  namespace: string;
  service: string;
  /** "default/web" or "default/web:http" */
  name: string;
  protocol: string; // TCP, UDP, SCTP
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalIPs: string[];
  /** Every endpoint the slices list for this port, sorted by address. */
  endpoints: ProxyEndpoint[];
}

const SERVICE_NAME = 'kubernetes.io/service-name';

function condition(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** Endpoints of one service port from the service's slices (a slice port matches by name and protocol). */
function endpointsFor(slices: KubeObject[], portName: string, protocol: string): ProxyEndpoint[] {
  const byAddress = new Map<string, ProxyEndpoint>();
  for (const slice of slices) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find((p: any) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!sp || typeof sp.port !== 'number') continue;
    for (const ep of slice.endpoints ?? []) {
      const ready = condition(ep.conditions?.ready, true);
      for (const ip of ep.addresses ?? []) {
        const address = `${ip}:${sp.port}`;
        if (byAddress.has(address)) continue;
        byAddress.set(address, {
          ip,
          port: sp.port,
          address,
          ready,
          serving: condition(ep.conditions?.serving, ready),
          terminating: condition(ep.conditions?.terminating, false),
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
        });
      }
    }
  }
  return [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Services kube-proxy programs: those with a ClusterIP (not headless, not ExternalName). */
export function proxyServicePorts(services: readonly KubeObject[], slices: readonly KubeObject[]): ProxyServicePort[] {
  const out: ProxyServicePort[] = [];
  for (const svc of services) {
    const spec = svc.spec ?? {};
    const ip = spec.clusterIP;
    if (!ip || ip === 'None' || spec.type === 'ExternalName') continue;
    const { namespace, name } = svc.metadata;
    const own = slices.filter((s) => s.metadata?.namespace === namespace && s.metadata?.labels?.[SERVICE_NAME] === name);
    for (const p of spec.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      out.push({
        namespace,
        service: name,
        name: servicePortName(namespace, name, p.name ?? ''),
        protocol,
        clusterIP: ip,
        port: p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
        externalIPs: spec.externalIPs ?? [],
        endpoints: endpointsFor(own, p.name ?? '', protocol),
      });
    }
  }
  return out.sort((a, b) => (a.name + a.protocol < b.name + b.protocol ? -1 : 1));
}

/**
 * The endpoints new connections go to (CategorizeEndpoints with Cluster
 * traffic policy): the ready ones; when none is ready, those still serving
 * while they terminate.
 */
export function usableEndpoints(port: ProxyServicePort): ProxyEndpoint[] {
  const ready = port.endpoints.filter((e) => e.ready);
  if (ready.length) return ready;
  return port.endpoints.filter((e) => e.serving && e.terminating);
}
