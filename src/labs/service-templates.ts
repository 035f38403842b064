// {{ services.NAME.FIELD }}: a Service's address and ports, and what
// kube-proxy makes of it on every node: the KUBE-SVC chain of its first
// port and, in kube-proxy's order (sorted by "ip:port"), each endpoint's
// pod IP and KUBE-SEP chain. Computed from the API's objects, so an answer
// read off a node's `iptables-save` is checked against what kube-proxy must write.
import { labNamespace, type ClusterFacts, type ServiceFacts } from '../core/facts.js';
import { endpointChain, serviceChain, servicePortName } from '../kube/proxy-chains.js';

export const SERVICE_FIELDS: Record<string, 'address' | 'name'> = {
  clusterIP: 'address',
  port: 'name',
  nodePort: 'name',
  namespace: 'name',
  chain: 'name',
  endpointCount: 'name',
};

/** endpoint.N and endpointChain.N, N counted from 1, or "last". */
export const SERVICE_FIELD_RE = /^(endpoint|endpointChain)\.([1-9]\d*|last)$/;

type Value = { ok: true; value: string } | { ok: false; reason: string };

export function findService(facts: ClusterFacts, name: string): ServiceFacts | undefined {
  const all = facts.services.filter((s) => s.name === name);
  return all.find((s) => s.namespace === labNamespace(facts)) ?? all[0];
}

/** The endpoints of the Service's first port as kube-proxy lists them: "ip:port", sorted as strings. */
export function proxyOrder(svc: ServiceFacts): { ip: string; address: string }[] {
  const p = svc.ports[0];
  const port = p?.targetPort ?? p?.port;
  return svc.endpoints
    .map((ip) => ({ ip, address: `${ip}:${port}` }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

export function serviceTemplateValue(name: string, field: string, facts: ClusterFacts): Value {
  const svc = findService(facts, name);
  if (!svc) {
    const have = facts.services.map((s) => s.name);
    return { ok: false, reason: `there is no Service '${name}' in the cluster (${have.length ? `services: ${have.join(', ')}` : 'no services yet'}); an earlier step creates it` };
  }
  const first = svc.ports[0];
  const spn = servicePortName(svc.namespace, svc.name, first?.name ?? '');
  switch (field) {
    case 'clusterIP':
      return svc.clusterIP && svc.clusterIP !== 'None' ? { ok: true, value: svc.clusterIP } : { ok: false, reason: `Service '${name}' has no ClusterIP` };
    case 'namespace':
      return { ok: true, value: svc.namespace };
    case 'port':
      return first ? { ok: true, value: String(first.port) } : { ok: false, reason: `Service '${name}' has no ports` };
    case 'nodePort':
      return first?.nodePort ? { ok: true, value: String(first.nodePort) } : { ok: false, reason: `Service '${name}' has no NodePort (type ${svc.type ?? 'ClusterIP'})` };
    case 'chain':
      return first ? { ok: true, value: serviceChain(spn, first.protocol) } : { ok: false, reason: `Service '${name}' has no ports` };
    case 'endpointCount':
      return { ok: true, value: String(svc.endpoints.length) };
  }
  const m = SERVICE_FIELD_RE.exec(field);
  if (!m || !first) return { ok: false, reason: `unknown service field '${field}'` };
  const eps = proxyOrder(svc);
  const i = m[2] === 'last' ? eps.length - 1 : Number(m[2]) - 1;
  const ep = eps[i];
  if (!ep) return { ok: false, reason: `Service '${name}' has ${eps.length} ready endpoint${eps.length === 1 ? '' : 's'}, not ${m[2]}` };
  return { ok: true, value: m[1] === 'endpoint' ? ep.ip : endpointChain(spn, first.protocol, ep.address) };
}
