// Table printers for Services, Endpoints and EndpointSlices, cell for cell
// as pkg/printers/internalversion prints them (PORT(S) "80:31234/TCP",
// ENDPOINTS "a,b,c + 2 more...", "<none>", "<pending>", "<unset>").
import type { KubeObject } from './runtime.js';
import type { ColumnDef, TableDef } from './resources.js';
import { since } from './printers.js';
import { mapSelectorString } from './label-selector.js';

const col = (name: string, description: string, priority = 0): ColumnDef => ({ name, type: 'string', description, priority });
const NAME: ColumnDef = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

export function servicePorts(ports: any[] | undefined): string {
  const s = (ports ?? []).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
  return s || '<none>';
}

export function serviceExternalIP(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const external: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
      const lb = ingress.map((i) => i.ip || i.hostname).filter(Boolean);
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const serviceTable: TableDef = {
  columns: [
    NAME,
    col('Type', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row(svc, now) {
    const spec = svc.spec ?? {};
    const selector = mapSelectorString(spec.selector);
    return {
      cells: [
        svc.metadata.name,
        spec.type ?? 'ClusterIP',
        spec.clusterIPs?.[0] ?? '<none>',
        serviceExternalIP(svc),
        servicePorts(spec.ports),
        since(svc.metadata.creationTimestamp, now),
        selector || '<none>',
      ],
    };
  },
};

/** formatEndpoints: the first three ip:port pairs, then "+ N more...". */
export function formatEndpoints(ep: KubeObject): string {
  const subsets: any[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: any[] = ss.addresses ?? [];
    const ports: any[] = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(`${a.ip}:${p.port}`);
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsTable: TableDef = {
  columns: [NAME, col('Endpoints', 'Endpoints is the list of endpoints for each service port.'), AGE],
  row: (ep, now) => ({ cells: [ep.metadata.name, formatEndpoints(ep), since(ep.metadata.creationTimestamp, now)] }),
};

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || '<unset>';
}

export function formatSlicePorts(ports: any[] | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < max) list.push(p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '<unset>'));
    else if (list.length === max) more = true;
    count++;
  }
  return listWithMore(list, more, count, max);
}

export function formatSliceEndpoints(endpoints: any[] | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < max) list.push(a);
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, max);
}

export const endpointSliceTable: TableDef = {
  columns: [
    NAME,
    col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    AGE,
  ],
  row: (s, now) => ({
    cells: [s.metadata.name, s.addressType ?? '', formatSlicePorts(s.ports), formatSliceEndpoints(s.endpoints), since(s.metadata.creationTimestamp, now)],
  }),
};
