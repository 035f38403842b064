// The lab's topology as plain data: which namespaces exist and which
// addresses they hold. The seed article's VirtualBox cluster, generalised to
// N workers. Everything here is pure; wiring.ts turns it into commands.
import ipaddr from 'ipaddr.js';
import type { CniMode } from '../../core/facts.js';
import { hostOnlyNs, internetNs, natNs, nodeNs } from './names.js';
import { planLan } from './lan.js';
import type { LabPlan, NodePlan } from './plan-types.js';

export type { LabPlan, NodePlan };

export const CLUSTER_CIDR = '10.244.0.0/16';
export const SERVICE_CIDR = '10.96.0.0/12';
export const HOST_ONLY_SUBNET = '192.168.56.0/24';
export const HOST_ADDRESS = '192.168.56.1'; // the VirtualBox host on the host-only network
export const INTERNET_SUBNET = '203.0.113.0/24'; // documentation range: never routed anywhere real
export const REGISTRY_ADDRESS = '203.0.113.100';
export const MAX_WORKERS = 50;



/** The n-th address of a subnet (0 = the network address). */
export function nthAddress(cidr: string, n: number): string {
  const [net, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - prefix);
  if (n < 0 || n >= size) throw new RangeError(`${cidr} has no address number ${n}`);
  const base = net.toByteArray().reduce((acc, b) => acc * 256 + b, 0);
  const v = base + n;
  return ipaddr.fromByteArray([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]).toString();
}

export function nodeNames(workers: number): string[] {
  return ['controlplane', ...Array.from({ length: workers }, (_, i) => `node-${i + 1}`)];
}

export function planLab(lab: string, cni: CniMode, workers: number, opts: { lan?: boolean } = {}): LabPlan {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new RangeError(`workers must be 1..${MAX_WORKERS}, got ${workers}`);
  }
  const nodes = nodeNames(workers).map((name, index): NodePlan => {
    const podCIDR = `${nthAddress(CLUSTER_CIDR, index * 256)}/24`;
    return {
      name,
      index,
      role: index === 0 ? 'control-plane' : 'worker',
      ns: nodeNs(lab, name),
      natNs: natNs(lab, name),
      eth0: '10.0.2.15',
      eth0Prefix: 24,
      natGateway: '10.0.2.2',
      natDns: '10.0.2.3',
      natWan: nthAddress(INTERNET_SUBNET, 10 + index),
      eth1: nthAddress(HOST_ONLY_SUBNET, 10 + index),
      podCIDR,
      cni0: nthAddress(podCIDR, 1),
      hostOnlyPort: `vnode${index}`,
      internetPort: `vnat${index}`,
    };
  });
  const plan: LabPlan = {
    lab,
    cni,
    clusterCIDR: CLUSTER_CIDR,
    serviceCIDR: SERVICE_CIDR,
    nodes,
    hostOnly: { ns: hostOnlyNs(lab), bridge: 'vboxnet0', subnet: HOST_ONLY_SUBNET, address: HOST_ADDRESS },
    internet: { ns: internetNs(lab), bridge: 'inet0', subnet: INTERNET_SUBNET, registry: REGISTRY_ADDRESS },
  };
  if (opts.lan) plan.lan = planLan(plan);
  return plan;
}

export function allNamespaces(plan: LabPlan): string[] {
  return [plan.hostOnly.ns, plan.internet.ns, ...plan.nodes.flatMap((n) => [n.ns, n.natNs]), ...(plan.lan?.hosts.map((h) => h.ns) ?? [])];
}
