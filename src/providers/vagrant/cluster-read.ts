// Reads the running cluster: the API objects through kubectl on the control
// plane, and each node's links and routes through `ip -j`. Feeds both
// facts() and the post-provisioning verification.
import { MachineError } from '../../core/errors.js';
import type { ClusterFacts, HostFacts as LabHostFacts } from '../../core/facts.js';
import type { RunResult } from '../../core/exec.js';
import { kubeItems, readClusterFacts, splitByKind } from '../kube-facts.js';
import { defaultRoute, parseIpAddr, parseIpRoute, toIfaceFacts, type LinkInfo, type RouteInfo } from '../ip-json.js';
import type { VagrantSettings } from './settings.js';

export interface ClusterAccess {
  kubectl(args: string[]): Promise<RunResult>;
  onNode(node: string, argv: string[]): Promise<RunResult>;
}

export interface ClusterSnapshot {
  answers: unknown[];
  nodes: { name: string; expectedIP: string; links: LinkInfo[]; routes: RouteInfo[] }[];
}

async function json(what: string, r: RunResult): Promise<unknown> {
  if (r.exitCode !== 0) throw new MachineError(`${what} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 400)}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new MachineError(`${what} did not answer JSON: ${r.stdout.slice(0, 200)}`);
  }
}

export async function readCluster(access: ClusterAccess, settings: VagrantSettings): Promise<ClusterSnapshot> {
  const answer = await json(
    'kubectl get nodes,pods,services,endpointslices',
    await access.kubectl(['get', 'nodes,pods,services,endpointslices', '--all-namespaces', '-o', 'json']),
  );
  const nodes = await Promise.all(
    settings.nodes.map(async (n) => {
      const addr = await access.onNode(n.name, ['ip', '-d', '-j', 'addr', 'show']);
      const route = await access.onNode(n.name, ['ip', '-j', 'route', 'show']);
      if (addr.exitCode !== 0 || route.exitCode !== 0) {
        throw new MachineError(`cannot read ${n.name}'s interfaces: ${(addr.stderr || route.stderr).trim().slice(0, 300)}`);
      }
      return { name: n.name, expectedIP: n.ip, links: parseIpAddr(addr.stdout), routes: parseIpRoute(route.stdout) };
    }),
  );
  return { answers: [answer], nodes };
}

/** The machines around the nodes: each VM's VirtualBox NAT gateway, and the host on the host-only network. */
export function labHosts(settings: VagrantSettings): LabHostFacts[] {
  const [net] = settings.hostOnlyCidr.split('/');
  const octets = net!.split('.').map(Number);
  const hostAddr = [...octets.slice(0, 3), (octets[3] ?? 0) + 1].join('.');
  const prefix = Number(settings.hostOnlyCidr.split('/')[1]);
  return [
    { name: 'host', role: 'host', interfaces: [{ name: 'vboxnet0', address: hostAddr, prefixLength: prefix }] },
    ...settings.nodes.map(
      (n): LabHostFacts => ({
        name: `nat-${n.name}`,
        role: 'nat-router',
        interfaces: [{ name: 'nat', address: '10.0.2.2', prefixLength: 24 }],
        serves: n.name,
      }),
    ),
  ];
}

export function snapshotToFacts(snap: ClusterSnapshot, settings: VagrantSettings): ClusterFacts & { cniEvidence: string[] } {
  const interfaces: Record<string, ReturnType<typeof toIfaceFacts>> = {};
  const defaultRoutes: Record<string, { via: string; dev: string }> = {};
  for (const n of snap.nodes) {
    interfaces[n.name] = toIfaceFacts(n.links);
    const d = defaultRoute(n.routes);
    if (d) defaultRoutes[n.name] = d;
  }
  return readClusterFacts(snap.answers, {
    provider: 'vagrant',
    interfaces,
    defaultRoutes,
    clusterCIDR: settings.podCidr,
    serviceCIDR: settings.serviceCidr,
    hosts: labHosts(settings),
  });
}

/** The Node and Pod objects of a snapshot, for the verification. */
export function kubeObjects(snap: ClusterSnapshot) {
  return splitByKind(...snap.answers.flatMap((a) => kubeItems(a)));
}
