// Per-namespace files that `ip netns exec` bind-mounts over /etc (it does so
// for every file in /etc/netns/<namespace>/): each node's resolv.conf points
// at its VirtualBox-style NAT DNS 10.0.2.3, each pod gets the hosts file
// kubelet would write. Without them every tool that resolves names would
// wait for the machine's own DNS server, which the lab cannot reach.
import { mkdir, rm, symlink, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { belongsToLab } from './names.js';
import type { LabPlan } from './plan.js';

export const ETC_NETNS = process.env.HOPLAB_ETC_NETNS ?? '/etc/netns';

export function nodeResolvConf(plan: LabPlan): string {
  return `nameserver ${plan.nodes[0]!.natDns}\n`;
}

/** Namespaces with no DNS of their own get a resolver that fails at once rather than after a time-out. */
const NO_DNS = '# no DNS server in this namespace\nnameserver 127.0.0.1\n';

export function labEtcFiles(plan: LabPlan): Record<string, Record<string, string>> {
  const files: Record<string, Record<string, string>> = {};
  for (const n of plan.nodes) {
    files[n.ns] = { 'resolv.conf': nodeResolvConf(plan), hostname: `${n.name}\n` };
    files[n.natNs] = { 'resolv.conf': NO_DNS };
  }
  files[plan.hostOnly.ns] = { 'resolv.conf': NO_DNS };
  files[plan.internet.ns] = { 'resolv.conf': NO_DNS };
  return files;
}

/** What kubelet writes for dnsPolicy ClusterFirst: the cluster DNS Service, the pod's namespace first in the search list. */
export function clusterFirstResolvConf(namespace: string, nameserver: string, domain = 'cluster.local'): string {
  return `search ${namespace}.svc.${domain} svc.${domain} ${domain}\nnameserver ${nameserver}\noptions ndots:5\n`;
}

export interface PodDns {
  namespace: string;
  /** spec.dnsPolicy; ClusterFirst (the default) uses the cluster DNS, Default the node's resolver. */
  dnsPolicy?: string;
  /** The cluster DNS Service's address (10.96.0.10); without it pods resolve through their node. */
  clusterDNS?: string;
}

export function podEtcFiles(plan: LabPlan, pod: { name: string; ip: string }, dns?: PodDns): Record<string, string> {
  const policy = dns?.dnsPolicy ?? 'ClusterFirst';
  const clusterFirst = dns?.clusterDNS && (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet');
  return {
    'resolv.conf': clusterFirst ? clusterFirstResolvConf(dns.namespace, dns.clusterDNS!) : nodeResolvConf(plan),
    hosts: [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      `${pod.ip}\t${pod.name}`,
      '',
    ].join('\n'),
    hostname: `${pod.name}\n`,
  };
}

export async function writeEtcFiles(ns: string, files: Record<string, string>): Promise<void> {
  const dir = join(ETC_NETNS, ns);
  await mkdir(dir, { recursive: true });
  await Promise.all(Object.entries(files).map(([name, content]) => writeFile(join(dir, name), content)));
}

/**
 * A pod's /etc/netns entry as a link to the directory where its files are
 * already written (the pod's etc/, on the lab's tmpfs): `ip netns exec` follows
 * it. One link per pod on the machine's disk, where the files themselves were
 * a directory and three files to write at start and remove at `down`.
 */
export async function linkEtcFiles(ns: string, dir: string): Promise<void> {
  const link = join(ETC_NETNS, ns);
  await mkdir(ETC_NETNS, { recursive: true });
  try {
    await symlink(dir, link);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Left by a crashed lab of the same name.
    await rm(link, { recursive: true, force: true });
    await symlink(dir, link);
  }
}

export async function removeEtcFiles(names: string[]): Promise<void> {
  await Promise.all(names.map((ns) => rm(join(ETC_NETNS, ns), { recursive: true, force: true })));
}

export async function labEtcDirs(lab: string): Promise<string[]> {
  const entries = await readdir(ETC_NETNS).catch(() => [] as string[]);
  return entries.filter((e) => belongsToLab(lab, e));
}
