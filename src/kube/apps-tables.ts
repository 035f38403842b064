// Table printers for Deployments and ReplicaSets, as printDeployment and
// printReplicaSet fill them: READY "2/3", UP-TO-DATE, AVAILABLE, and with
// -o wide the template's containers, images and the selector.
import type { KubeObject } from './runtime.js';
import type { ColumnDef, TableDef } from './resources.js';
import { since } from './printers.js';
import { selectorString } from './label-selector.js';

const col = (name: string, description: string, priority = 0, type: ColumnDef['type'] = 'string'): ColumnDef => ({ name, type, description, priority });
const NAME: ColumnDef = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const CONTAINERS = col('Containers', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'Images referenced by each container in the template.', 1);

function templateCells(obj: KubeObject): string[] {
  const containers: any[] = obj.spec?.template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(','), selectorString(obj.spec?.selector) || '<none>'];
}

export const deploymentTable: TableDef = {
  columns: [
    NAME,
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.', 1),
  ],
  row(d, now) {
    const s = d.status ?? {};
    return {
      cells: [
        d.metadata.name,
        `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
        s.updatedReplicas ?? 0,
        s.availableReplicas ?? 0,
        since(d.metadata.creationTimestamp, now),
        ...templateCells(d),
      ],
    };
  },
};

export const replicaSetTable: TableDef = {
  columns: [
    NAME,
    col('Desired', 'Replicas is the number of desired pods.', 0, 'integer'),
    col('Current', 'Replicas is the most recently observed number of non-terminating pods.', 0, 'integer'),
    col('Ready', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', 0, 'integer'),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'Selector is a label query over pods that should match the replica count.', 1),
  ],
  row(rs, now) {
    const s = rs.status ?? {};
    return {
      cells: [rs.metadata.name, rs.spec?.replicas ?? 0, s.replicas ?? 0, s.readyReplicas ?? 0, since(rs.metadata.creationTimestamp, now), ...templateCells(rs)],
    };
  },
};
