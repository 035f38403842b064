// Services, Endpoints and EndpointSlices as resource definitions: the
// apiserver's Service validation and defaults (ports, protocols, target
// ports), ClusterIP allocation from the service CIDR and NodePort allocation
// from 30000-32767, and the tables `kubectl get svc,ep,endpointslices` print.
import type { KubeObject } from './runtime.js';
import { ALL_VERBS, type CreateContext, type ResourceDef } from './resources.js';
import { invalid, invalidValue, required, duplicate, unsupportedValue, type StatusCause } from './status.js';
import { checkObjectName, requireValidName } from './validation.js';
import { allocateClusterIP, allocateNodePort, SERVICE_CIDR } from './ip-allocator.js';
import { endpointSliceTable, endpointsTable, serviceTable } from './service-tables.js';
import { intOrString, SERVICE } from './protobuf-apps.js';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function serviceName(obj: KubeObject): StatusCause[] {
  const name = obj.metadata?.name;
  if (!name) return checkObjectName(obj);
  if (name.length > 63 || !DNS1035.test(name)) return [invalidValue('metadata.name', name, DNS1035_MSG)];
  return [];
}

function usesNodePorts(spec: KubeObject): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function validatePorts(spec: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') causes.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p?.name) causes.push(required(`${path}.name`));
    if (p?.name) {
      if (names.has(p.name)) causes.push(duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) {
      causes.push(p?.port === undefined ? required(`${path}.port`) : invalidValue(`${path}.port`, p.port, 'must be between 1 and 65535, inclusive'));
    }
    if (p?.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(unsupportedValue(`${path}.protocol`, p.protocol, PROTOCOLS));
    if (p?.nodePort !== undefined && !usesNodePorts(spec)) {
      causes.push({ reason: 'FieldValueForbidden', field: `${path}.nodePort`, message: 'Forbidden: may not be used when `type` is \'ClusterIP\'' });
    }
  });
  return causes;
}

function usedClusterIPs(ctx: CreateContext, except?: string): Set<string> {
  const used = new Set<string>();
  for (const s of ctx.store?.list(services).items ?? []) {
    if (s.metadata.uid === except) continue;
    for (const ip of s.spec?.clusterIPs ?? [s.spec?.clusterIP]) if (ip && ip !== 'None') used.add(ip);
  }
  return used;
}

function usedNodePorts(ctx: CreateContext, except?: string): Set<number> {
  const used = new Set<number>();
  for (const s of ctx.store?.list(services).items ?? []) {
    if (s.metadata.uid === except) continue;
    for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
  }
  return used;
}

/** Ports with protocol and targetPort defaulted, and NodePorts allocated where the type needs them. */
function preparePorts(name: string, spec: KubeObject, ctx: CreateContext, uid?: string): any[] {
  const used = usedNodePorts(ctx, uid);
  const causes: StatusCause[] = [];
  const ports = (spec.ports ?? []).map((p: any, i: number) => {
    const target = intOrString(p.targetPort);
    const out: any = { ...p, protocol: p.protocol ?? 'TCP', targetPort: target === undefined || target === 0 || target === '' ? p.port : target };
    if (!usesNodePorts(spec)) {
      delete out.nodePort;
      return out;
    }
    const got = allocateNodePort(used, p.nodePort || undefined);
    if (!got.ok) {
      causes.push({ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${p.nodePort}: ${got.message}` });
      return out;
    }
    used.add(got.value);
    return { ...out, nodePort: got.value };
  });
  if (causes.length) throw invalid('Service', name, causes);
  return ports;
}

function prepareService(obj: KubeObject, ctx: CreateContext): KubeObject {
  const name = obj.metadata?.name ?? '';
  const spec: KubeObject = { ...(obj.spec ?? {}) };
  spec.type ??= 'ClusterIP';
  const causes = [...serviceName(obj)];
  if (!TYPES.includes(spec.type)) causes.push(unsupportedValue('spec.type', spec.type, TYPES));
  causes.push(...validatePorts(spec));
  if (causes.length) throw invalid('Service', name, causes);

  const requested: string | undefined = spec.clusterIP || spec.clusterIPs?.[0] || undefined;
  if (spec.type !== 'ExternalName') {
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else {
      const ip = allocateClusterIP(SERVICE_CIDR, usedClusterIPs(ctx), requested);
      if (!ip.ok) {
        throw invalid('Service', name, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{"${requested}"}: ${ip.message}` }]);
      }
      spec.clusterIP = ip.value;
      spec.clusterIPs = [ip.value];
    }
    spec.ipFamilies = ['IPv4'];
    spec.ipFamilyPolicy = 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  spec.ports = preparePorts(name, spec, ctx);
  spec.sessionAffinity ??= 'None';
  if (usesNodePorts(spec)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  return { ...obj, spec, status: { loadBalancer: {} } };
}

function validateServiceUpdate(next: KubeObject, old: KubeObject): void {
  const ip = next.spec?.clusterIP;
  if (ip && old.spec?.clusterIP && ip !== old.spec.clusterIP) {
    throw invalid('Service', old.metadata.name, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: ${JSON.stringify(ip)}: may not change once set` }]);
  }
  const causes = validatePorts({ ...old.spec, ...next.spec });
  if (causes.length) throw invalid('Service', old.metadata.name, causes);
}

function prepareServiceUpdate(next: KubeObject, old: KubeObject, ctx: CreateContext): KubeObject {
  const spec: KubeObject = { ...old.spec, ...next.spec, clusterIP: old.spec?.clusterIP, clusterIPs: old.spec?.clusterIPs };
  spec.ports = preparePorts(old.metadata.name, spec, ctx, old.metadata.uid);
  if (usesNodePorts(spec)) spec.externalTrafficPolicy ??= 'Cluster';
  else delete spec.externalTrafficPolicy;
  return { ...next, spec };
}

export const services: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'services',
  singular: 'service',
  kind: 'Service',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: [
    { name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    { name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] },
  ],
  table: serviceTable,
  protobuf: SERVICE,
  prepareCreate: prepareService,
  validateUpdate: validateServiceUpdate,
  prepareUpdate: prepareServiceUpdate,
};

function named(kind: string) {
  return (obj: KubeObject): KubeObject => {
    requireValidName(kind, obj);
    return obj;
  };
}

export const endpoints: ResourceDef = {
  group: '',
  version: 'v1',
  plural: 'endpoints',
  singular: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['ep'],
  table: endpointsTable,
  prepareCreate: named('Endpoints'),
};

export const endpointSlices: ResourceDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  plural: 'endpointslices',
  singular: 'endpointslice',
  kind: 'EndpointSlice',
  namespaced: true,
  verbs: ALL_VERBS,
  table: endpointSliceTable,
  prepareCreate: named('EndpointSlice'),
};

export const SERVICE_RESOURCES: readonly ResourceDef[] = [services, endpoints, endpointSlices];
