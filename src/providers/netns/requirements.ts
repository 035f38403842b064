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
  /** The programs it brings that labs run on nodes and lab hosts (what `labs --check` knows). */
  programs: string[];
  present: () => Promise<boolean>;
  /** Only labs' steps use it: `up` works without it, doctor and setup still install it. */
  forLabs?: true;
}

const program = (name: string) => async () => (await which(name)) !== undefined;
const file = (path: string) => async () =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

export const NETNS_REQUIREMENTS: Requirement[] = [
  { what: 'ip (iproute2)', package: 'iproute2', programs: ['ip', 'bridge', 'ss'], present: program('ip') },
  { what: 'CNI bridge plugin', package: 'containernetworking-plugins', programs: [], present: file(`${CNI_BIN_DIR}/bridge`) },
  { what: 'CNI host-local IPAM', package: 'containernetworking-plugins', programs: [], present: file(`${CNI_BIN_DIR}/host-local`) },
  { what: 'busybox (plays the busybox, httpd and nginx images)', package: 'busybox', programs: ['busybox'], present: program('busybox') },
  { what: 'traceroute', package: 'traceroute', programs: ['traceroute'], present: program('traceroute') },
  { what: 'iptables', package: 'iptables', programs: ['iptables', 'iptables-save', 'iptables-restore'], present: program('iptables-restore') },
  { what: 'BIRD 2 (calico BGP mode)', package: 'bird2', programs: ['bird', 'birdc'], present: program('bird') },
  { what: 'dnsmasq (the NAT network DNS at 10.0.2.3, and cluster DNS)', package: 'dnsmasq-base', programs: ['dnsmasq'], present: program('dnsmasq') },
  { what: 'conntrack (kube-proxy clears stale UDP entries; labs read the table)', package: 'conntrack', programs: ['conntrack'], present: program('conntrack') },
  { what: 'socat (kubectl port-forward: connects inside the pod\'s network namespace)', package: 'socat', programs: ['socat'], present: program('socat') },
  { what: 'unshare and nsenter', package: 'util-linux', programs: ['nsenter', 'unshare'], present: program('nsenter') },
  { what: 'kubectl', package: 'kubernetes-client', programs: ['kubectl'], present: program(kubectlProgram()) },
  { what: 'ping (labs: warm-up pings, reachability)', package: 'iputils-ping', programs: ['ping'], present: program('ping'), forLabs: true },
  { what: 'tracepath (check-trace reads its output)', package: 'iputils-tracepath', programs: ['tracepath'], present: program('tracepath'), forLabs: true },
  { what: 'mtr (check-trace reads its --report)', package: 'mtr-tiny', programs: ['mtr'], present: program('mtr'), forLabs: true },
  { what: 'tcpdump (flannel-vxlan: the VXLAN packets on eth1)', package: 'tcpdump', programs: ['tcpdump'], present: program('tcpdump'), forLabs: true },
  { what: 'wget (pod-to-service: a Service from a node)', package: 'wget', programs: ['wget'], present: program('wget'), forLabs: true },
  { what: 'sysctl (troubleshooting labs: ip_forward)', package: 'procps', programs: ['sysctl', 'ps'], present: program('sysctl'), forLabs: true },
  { what: 'route (calico: the seed\'s route -n)', package: 'net-tools', programs: ['route', 'netstat', 'arp'], present: program('route'), forLabs: true },
];

/** What is missing; `forUp` leaves out what only labs' steps use. */
export async function missingRequirements(reqs: Requirement[] = NETNS_REQUIREMENTS, opts: { forUp?: boolean } = {}): Promise<Requirement[]> {
  const wanted = opts.forUp ? reqs.filter((r) => !r.forLabs) : reqs;
  const present = await Promise.all(wanted.map((r) => r.present()));
  return wanted.filter((_, i) => !present[i]);
}

/** Which requirement brings a program labs run; undefined for one hoplab does not install. */
export function requirementFor(programName: string, reqs: Requirement[] = NETNS_REQUIREMENTS): Requirement | undefined {
  return reqs.find((r) => r.programs.includes(programName));
}

export function installCommand(missing: Requirement[]): string {
  const pkgs = [...new Set(missing.map((m) => m.package))];
  return `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}
