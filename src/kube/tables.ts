// Table responses (meta.k8s.io/v1 Table) for `kubectl get`: column
// definitions and one row per object, with the server deciding the cells,
// as the real apiserver does. kubectl hides priority-1 columns unless -o wide.
import type { KubeObject } from './runtime.js';
import type { ColumnDef, ResourceDef, TableDef } from './resources.js';
import { nodeAddress, nodeRoles, nodeStatus, podCells, since } from './printers.js';

const NAME: ColumnDef = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};
const AGE: ColumnDef = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
};
const col = (name: string, description: string, priority = 0): ColumnDef => ({ name, type: 'string', description, priority });

export const podTable: TableDef = {
  columns: [
    NAME,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'podIP address allocated to the pod. Routable at least within the cluster.', 1),
    col('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
    col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  row(pod, now) {
    const c = podCells(pod, now);
    const gates: any[] = pod.spec?.readinessGates ?? [];
    const conds: any[] = pod.status?.conditions ?? [];
    const readinessGates = gates.length
      ? `${gates.filter((g) => conds.find((x) => x.type === g.conditionType)?.status === 'True').length}/${gates.length}`
      : '<none>';
    const phase = pod.status?.phase;
    return {
      cells: [
        pod.metadata.name,
        c.ready,
        c.status,
        c.restarts,
        since(pod.metadata.creationTimestamp, now),
        pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>',
        pod.spec?.nodeName || '<none>',
        pod.status?.nominatedNodeName || '<none>',
        readinessGates,
      ],
      ...(phase === 'Succeeded' || phase === 'Failed'
        ? { conditions: [{ type: 'Completed', status: 'True', reason: phase, message: 'The pod has completed successfully.' }] }
        : {}),
    };
  },
};

export const nodeTable: TableDef = {
  columns: [
    NAME,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  row(node, now) {
    const info = node.status?.nodeInfo ?? {};
    const roles = nodeRoles(node);
    return {
      cells: [
        node.metadata.name,
        nodeStatus(node),
        roles.length ? roles.join(',') : '<none>',
        since(node.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ],
    };
  },
};

export const namespaceTable: TableDef = {
  columns: [NAME, col('Status', 'The status of the namespace'), AGE],
  row: (ns, now) => ({ cells: [ns.metadata.name, ns.status?.phase ?? '', since(ns.metadata.creationTimestamp, now)] }),
};

function eventSource(ev: KubeObject): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

export const eventTable: TableDef = {
  columns: [
    col('Last Seen', 'Time when last occurrence of this event was recorded.'),
    col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    col('Object', 'The object that this event is about.'),
    col('Subobject', 'The field of the object that this event is about.', 1),
    col('Source', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'The number of times this event has occurred.', 1),
    col('Name', 'Name must be unique within a namespace.', 1),
  ],
  row(ev, now) {
    const first = since(ev.firstTimestamp ?? ev.eventTime, now);
    const last = ev.lastTimestamp ? since(ev.lastTimestamp, now) : first;
    const kind = String(ev.involvedObject?.kind ?? '').toLowerCase();
    const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
    return {
      cells: [
        last,
        ev.type ?? '',
        ev.reason ?? '',
        target,
        ev.involvedObject?.fieldPath ?? '',
        eventSource(ev),
        String(ev.message ?? '').trim(),
        first,
        ev.count || 1,
        ev.metadata.name,
      ],
    };
  },
};

export const serviceAccountTable: TableDef = {
  columns: [NAME, col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE],
  row: (sa, now) => ({ cells: [sa.metadata.name, (sa.secrets ?? []).length, since(sa.metadata.creationTimestamp, now)] }),
};

export const configMapTable: TableDef = {
  columns: [NAME, col('Data', 'Data contains the configuration data.'), AGE],
  row: (cm, now) => ({ cells: [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, since(cm.metadata.creationTimestamp, now)] }),
};

export const secretTable: TableDef = {
  columns: [NAME, col('Type', 'The type of the secret'), col('Data', 'The number of data items in the secret.'), AGE],
  row: (s, now) => ({ cells: [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, since(s.metadata.creationTimestamp, now)] }),
};

export const networkPolicyTable: TableDef = {
  columns: [NAME, col('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'), AGE],
  row(np, now) {
    const sel = np.spec?.podSelector ?? {};
    const parts = [
      ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(sel.matchExpressions ?? []).map((e: any) => `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`),
    ];
    return { cells: [np.metadata.name, parts.length ? parts.join(',') : '<none>', since(np.metadata.creationTimestamp, now)] };
  },
};

/** The apiserver's table for a kind without its own printer. */
export const defaultTable: TableDef = {
  columns: [NAME, { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 }],
  row: (o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp] }),
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  opts: { resourceVersion?: string; includeObject: IncludeObject; noHeaders?: boolean; now?: Date },
): KubeObject {
  const table = def.table ?? defaultTable;
  const now = opts.now ?? new Date();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    ...(opts.noHeaders ? {} : { columnDefinitions: table.columns }),
    rows: objects.map((o) => {
      const r = table.row(o, now);
      const object = rowObject(o, opts.includeObject);
      return { cells: r.cells, ...(r.conditions ? { conditions: r.conditions } : {}), ...(object ? { object } : {}) };
    }),
  };
}
