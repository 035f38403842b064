// What the netns provider needs from the machine, and which Debian package
// brings each piece. `hoplab doctor` lists and installs these; `up` refuses
// with the same list when something is missing.
import { kubectlProgram } from '../../core/exec.js';
import { access, constants } from 'node:fs/promises';
import { which } from '../../core/exec.js';
import { CNI_BIN_DIR } from './cni.js';

export interface Requirement {
  what: string;
  package: string;
  present: () => Promise<boolean>;
}

const program = (name: string) => async () => (await which(name)) !== undefined;
const file = (path: string) => async () =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

export const NETNS_REQUIREMENTS: Requirement[] = [
  { what: 'ip (iproute2)', package: 'iproute2', present: program('ip') },
  { what: 'CNI bridge plugin', package: 'containernetworking-plugins', present: file(`${CNI_BIN_DIR}/bridge`) },
  { what: 'CNI host-local IPAM', package: 'containernetworking-plugins', present: file(`${CNI_BIN_DIR}/host-local`) },
  { what: 'busybox (plays the busybox, httpd and nginx images)', package: 'busybox', present: program('busybox') },
  { what: 'traceroute', package: 'traceroute', present: program('traceroute') },
  { what: 'iptables', package: 'iptables', present: program('iptables-restore') },
  { what: 'BIRD 2 (calico BGP mode)', package: 'bird2', present: program('bird') },
  { what: 'dnsmasq (the NAT network DNS at 10.0.2.3, and cluster DNS)', package: 'dnsmasq-base', present: program('dnsmasq') },
  { what: 'conntrack (kube-proxy clears stale UDP entries; labs read the table)', package: 'conntrack', present: program('conntrack') },
  { what: 'unshare and nsenter', package: 'util-linux', present: program('nsenter') },
  { what: 'kubectl', package: 'kubernetes-client', present: program(kubectlProgram()) },
];

export async function missingRequirements(reqs: Requirement[] = NETNS_REQUIREMENTS): Promise<Requirement[]> {
  const present = await Promise.all(reqs.map((r) => r.present()));
  return reqs.filter((_, i) => !present[i]);
}

export function installCommand(missing: Requirement[]): string {
  const pkgs = [...new Set(missing.map((m) => m.package))];
  return `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}
