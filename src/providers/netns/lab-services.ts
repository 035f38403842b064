// Services in the netns lab, wired into the daemon: the API's extra kinds and
// controllers, kube-proxy on every node, and the cluster DNS add-on. The
// daemon says `ready` only when a name resolves through 10.96.0.10 from a
// node, so a pod started right after `up` finds DNS (and its traceroutes'
// reverse lookups are answered at once, not after a time-out per hop).
import type { KubeApi, KubeApiOptions } from '../../kube/server.js';
import { WORKLOAD_RESOURCES, workloadControllers } from '../../kube/workloads.js';
import { startClusterDns, CLUSTER_DNS_IP } from './cluster-dns.js';
import { startKubeProxy } from './kube-proxy.js';
import { runInNs } from './namespaces.js';
import type { LabPlan } from './plan.js';
import type { LabPaths } from './state.js';

export { CLUSTER_DNS_IP };

/** What startKubeApi needs beyond the core kinds: Services, Deployments and their controllers. */
export function labApiExtras(plan: LabPlan): Pick<KubeApiOptions, 'resources' | 'controllers'> {
  const cp = plan.nodes.find((n) => n.role === 'control-plane') ?? plan.nodes[0]!;
  return { resources: [...WORKLOAD_RESOURCES], controllers: workloadControllers({ apiserver: { address: cp.eth1, port: 6443 } }) };
}

export interface LabServices {
  /** Whether cluster DNS answered within the time allowed. */
  dnsReady: boolean;
  stop(): void;
}

async function dnsAnswers(ns: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const r = await runInNs(ns, ['busybox', 'nslookup', 'kubernetes.default.svc.cluster.local', CLUSTER_DNS_IP], { timeoutMs: 2000 });
    if (r.exitCode === 0 && r.stdout.includes('10.96.0.1')) return true;
    await new Promise((res) => setTimeout(res, 50));
  }
  return false;
}

export async function startLabServices(opts: {
  api: KubeApi;
  plan: LabPlan;
  paths: LabPaths;
  log: (line: string) => void;
  timeoutMs?: number;
  /** Resolves once the nodes' namespaces are wired: kube-proxy writes its rules there. */
  nodesWired?: Promise<void>;
}): Promise<LabServices> {
  const { api, plan, paths, log } = opts;
  const dns = startClusterDns({ store: api.store, paths, log });
  await opts.nodesWired;
  // The time allowed counts from here: before, `up` was still building.
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const proxy = startKubeProxy({ store: api.store, plan, log });
  const stop = () => {
    proxy.stop();
    dns.stop();
  };
  const started = Date.now();
  const endpoint = await dns.ready(Math.max(0, deadline - Date.now()));
  const endpointAt = Date.now() - started;
  await proxy.idle();
  const dnsReady = endpoint && (await dnsAnswers(plan.nodes[0]!.ns, deadline));
  if (!dnsReady) log(`cluster DNS at ${CLUSTER_DNS_IP} did not answer in time; see kubectl -n kube-system get pods`);
  else log(`cluster DNS answers at ${CLUSTER_DNS_IP}: a ready endpoint after ${endpointAt} ms, answering after ${Date.now() - started} ms`);
  return { dnsReady, stop };
}
