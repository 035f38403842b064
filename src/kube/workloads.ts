// Services, Endpoints, EndpointSlices, Deployments and ReplicaSets with the
// controllers that make them behave: what startKubeApi serves beyond the
// core kinds when a lab has Services (the netns daemon passes these).
import type { ResourceDef } from './resources.js';
import type { StartController } from './controller.js';
import { SERVICE_RESOURCES } from './service-resources.js';
import { APPS_RESOURCES } from './apps-resources.js';
import { startEndpointsController } from './endpoints-controller.js';
import { startReplicaSetController } from './replicaset-controller.js';
import { startDeploymentController } from './deployment-controller.js';
import { startGarbageCollector } from './garbage-collector.js';
import { startApiserverService, type ApiserverEndpoint } from './kubernetes-service.js';

export const WORKLOAD_RESOURCES: readonly ResourceDef[] = [...SERVICE_RESOURCES, ...APPS_RESOURCES];

/** The controllers, and default/kubernetes pointing at `apiserver` when given. */
export function workloadControllers(opts: { apiserver?: ApiserverEndpoint } = {}): StartController[] {
  return [
    startGarbageCollector,
    startReplicaSetController,
    startDeploymentController,
    startEndpointsController,
    ...(opts.apiserver ? [startApiserverService(opts.apiserver)] : []),
  ];
}
