// The apiserver's own Service: default/kubernetes at the first address of the
// service CIDR (10.96.0.1:443), its Endpoints and EndpointSlice naming the
// address the apiserver advertises (the control plane's InternalIP, port
// 6443). Put back when deleted, as the apiserver's reconciler does.
import type { KubeObject } from './runtime.js';
import type { StartController } from './controller.js';
import { coalesce } from './controller.js';
import { endpointSlices, endpoints as endpointsDef, services as servicesDef } from './service-resources.js';
import { nthServiceIP, SERVICE_CIDR } from './ip-allocator.js';

export interface ApiserverEndpoint {
  address: string;
  port: number;
}

export function kubernetesService(): KubeObject {
  return {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: nthServiceIP(SERVICE_CIDR, 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], type: 'ClusterIP' },
  };
}

export function startApiserverService(ep: ApiserverEndpoint): StartController {
  return ({ store, log }) => {
    const port = { name: 'https', port: ep.port, protocol: 'TCP' };
    const ensure = () => {
      try {
        if (!store.get(servicesDef, 'default', 'kubernetes')) {
          store.create(servicesDef, servicesDef.prepareCreate!(kubernetesService(), { namespace: 'default', store }));
        }
        if (!store.get(endpointsDef, 'default', 'kubernetes')) {
          store.create(endpointsDef, {
            metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
            subsets: [{ addresses: [{ ip: ep.address }], ports: [port] }],
          });
        }
        if (!store.get(endpointSlices, 'default', 'kubernetes')) {
          store.create(endpointSlices, {
            metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
            addressType: 'IPv4',
            endpoints: [{ addresses: [ep.address], conditions: { ready: true } }],
            ports: [port],
          });
        }
      } catch (err) {
        log(`kubernetes service: ${(err as Error).message}`);
      }
    };
    ensure();
    const schedule = coalesce(ensure);
    const unsubscribe = store.subscribe((c) => {
      if (c.type === 'DELETED' && c.object.metadata.namespace === 'default' && c.object.metadata.name === 'kubernetes') schedule();
    });
    return { stop: unsubscribe };
  };
}
