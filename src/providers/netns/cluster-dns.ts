// Cluster DNS the kubeadm way: a `coredns` Deployment in kube-system (two
// replicas, tolerating the control plane) behind the kube-dns Service at
// 10.96.0.10, so pods reach it through kube-proxy's rules like on a real
// cluster. The records come from the API: this module keeps the hosts file
// the DNS pods read (Service names, and reverse names for Service and
// endpoint addresses, as CoreDNS's kubernetes plugin answers them).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KubeObject } from '../../kube/runtime.js';
import type { Store } from '../../kube/store.js';
import { coalesce } from '../../kube/controller.js';
import { endpointSlices, services } from '../../kube/service-resources.js';
import { deployments } from '../../kube/apps-resources.js';
import { serviceAccounts } from '../../kube/core-resources.js';
import { nthServiceIP, SERVICE_CIDR } from '../../kube/ip-allocator.js';
import { CLUSTER_DNS_HOSTS } from './images.js';
import type { LabPaths } from './state.js';

export const CLUSTER_DOMAIN = 'cluster.local';
export const CLUSTER_DNS_IP = nthServiceIP(SERVICE_CIDR, 10); // 10.96.0.10
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
const LABELS = { 'k8s-app': 'kube-dns' };

export function kubeDnsService(): KubeObject {
  return {
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: CLUSTER_DNS_IP,
      selector: LABELS,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
}

export function corednsDeployment(): KubeObject {
  return {
    metadata: { name: 'coredns', namespace: 'kube-system', labels: LABELS },
    spec: {
      replicas: 2,
      selector: { matchLabels: LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
          // CoreDNS itself resolves outside names through the node's resolver.
          dnsPolicy: 'Default',
          serviceAccountName: 'coredns',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
        },
      },
    },
  };
}

/** "10-244-1-3": an endpoint's address as CoreDNS names it in reverse answers. */
const dashed = (ip: string) => ip.replace(/\./g, '-');

/**
 * The hosts file dnsmasq serves: each Service's name at its ClusterIP (a
 * headless one at its endpoints), each endpoint's dashed name for reverse
 * lookups. Sorted, so unchanged input writes an unchanged file.
 */
export function clusterDnsHosts(svcs: readonly KubeObject[], slices: readonly KubeObject[]): string {
  const lines = new Set<string>();
  for (const svc of svcs) {
    const { name, namespace } = svc.metadata;
    const fqdn = `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
    const ip = svc.spec?.clusterIP;
    const own = slices.filter((s) => s.metadata?.namespace === namespace && s.metadata?.labels?.['kubernetes.io/service-name'] === name);
    const ready = own.flatMap((s) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready !== false).flatMap((e: any) => e.addresses ?? [])) as string[];
    if (ip && ip !== 'None') lines.add(`${ip}\t${fqdn}`);
    else if (ip === 'None') for (const a of ready) lines.add(`${a}\t${fqdn}`);
    for (const a of ready) lines.add(`${a}\t${dashed(a)}.${fqdn}`);
  }
  return [...lines].sort().join('\n') + (lines.size ? '\n' : '');
}

export interface ClusterDns {
  /** Resolves once kube-dns has a ready endpoint (or after timeoutMs, with false). */
  ready(timeoutMs: number): Promise<boolean>;
  stop(): void;
}

/** Creates the DNS add-on's objects in the API and keeps its records up to date. */
export function startClusterDns(opts: { store: Store; paths: LabPaths; log: (line: string) => void }): ClusterDns {
  const { store, paths, log } = opts;
  const file = join(paths.images, 'coredns/coredns', CLUSTER_DNS_HOSTS);
  let last = '';
  let writing = Promise.resolve();

  const create = (def: typeof services, obj: KubeObject) => {
    const { namespace, name } = obj.metadata;
    if (store.get(def, namespace, name)) return;
    store.create(def, def.prepareCreate ? def.prepareCreate(obj, { namespace, store }) : obj);
  };
  create(serviceAccounts, { metadata: { name: 'coredns', namespace: 'kube-system' } });
  create(services, kubeDnsService());
  create(deployments, corednsDeployment());

  const write = () => {
    const text = clusterDnsHosts(store.scan(services), store.scan(endpointSlices));
    if (text === last) return;
    last = text;
    // Written beside and renamed in: dnsmasq's inotify sees one complete file.
    writing = writing
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, text);
        await rename(`${file}.tmp`, file);
      })
      .catch((err) => log(`cluster DNS: ${(err as Error).message}`));
  };
  const schedule = coalesce(write);
  const unsubscribe = store.subscribe((c) => {
    if (c.def === services || c.def === endpointSlices) schedule();
  });
  write();

  const hasEndpoint = () =>
    store
      .list(endpointSlices, { namespace: 'kube-system' })
      .items.some((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kube-dns' && (s.endpoints ?? []).some((e: any) => e.conditions?.ready));

  return {
    ready(timeoutMs) {
      return new Promise((resolve) => {
        if (hasEndpoint()) return void writing.then(() => resolve(true));
        const timer = setTimeout(() => {
          off();
          resolve(false);
        }, timeoutMs);
        const off = store.subscribe((c) => {
          if (c.def !== endpointSlices || !hasEndpoint()) return;
          clearTimeout(timer);
          off();
          // The records reach dnsmasq before anyone is told DNS is up.
          setImmediate(() => void writing.then(() => resolve(true)));
        });
      });
    },
    stop: unsubscribe,
  };
}
