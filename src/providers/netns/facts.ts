// Cluster facts of a netns lab. The provider knows them because it built the
// lab from the plan; pods come from the lab's API.
import type { ClusterFacts, HostFacts, NodeFacts, PodFacts, ServiceFacts } from '../../core/facts.js';
import { modeWiring } from './modes/index.js';
import type { LabPlan, NodePlan } from './plan.js';

export function nodeFacts(plan: LabPlan, n: NodePlan): NodeFacts {
  return {
    name: n.name,
    roles: n.role === 'control-plane' ? ['control-plane'] : [],
    internalIP: n.eth1,
    podCIDR: n.podCIDR,
    // In the kernel's device order, as `ip addr` lists them.
    interfaces: [
      ...(modeWiring(plan.cni).leadingInterfaces?.(plan, n) ?? []),
      { name: 'eth0', address: n.eth0, prefixLength: n.eth0Prefix },
      { name: 'eth1', address: n.eth1, prefixLength: 24 },
      ...modeWiring(plan.cni).interfaces(plan, n),
    ],
    defaultRoute: { via: n.natGateway, dev: 'eth0' },
  };
}

export function hostFacts(plan: LabPlan): HostFacts[] {
  return [
    { name: 'host', role: 'host', interfaces: [{ name: plan.hostOnly.bridge, address: plan.hostOnly.address, prefixLength: 24 }] },
    { name: 'registry', role: 'registry', interfaces: [{ name: plan.internet.bridge, address: plan.internet.registry, prefixLength: 24 }] },
    ...plan.nodes.map(
      (n): HostFacts => ({
        name: `nat-${n.name}`,
        role: 'nat-router',
        serves: n.name,
        interfaces: [
          { name: 'lan', address: n.natGateway, prefixLength: n.eth0Prefix },
          { name: 'wan', address: n.natWan, prefixLength: 24 },
        ],
      }),
    ),
  ];
}

export function labFacts(plan: LabPlan, pods: PodFacts[], services: ServiceFacts[] = []): ClusterFacts {
  return {
    provider: 'netns',
    cni: plan.cni,
    clusterCIDR: plan.clusterCIDR,
    serviceCIDR: plan.serviceCIDR,
    nodes: plan.nodes.map((n) => nodeFacts(plan, n)),
    pods,
    hosts: hostFacts(plan),
    services,
  };
}

/** Host names `hoplab ssh` accepts besides nodes, and the namespace each maps to. */
export function hostNamespaces(plan: LabPlan): Record<string, string> {
  return {
    host: plan.hostOnly.ns,
    registry: plan.internet.ns,
    ...Object.fromEntries(plan.nodes.map((n) => [`nat-${n.name}`, n.natNs])),
  };
}
