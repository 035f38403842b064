// Turns a LabPlan into the commands that build it: one `ip -batch` run in the
// root namespace that only creates namespaces and veth pairs *inside* them
// (the kernel creates each end directly in its target namespace, so nothing
// ever lands in the machine's own namespace), then one script per namespace.
// Pure: the executor is build.ts.
import type { LabPlan, NodePlan } from './plan.js';
import { modeWiring } from './modes/index.js';

export interface NsScript {
  ns: string;
  sysctls: [string, string][];
  /** Shell lines run before the ip batch. */
  prelude?: string[];
  ipBatch: string[];
  /** `bridge -batch` input (VXLAN fdb entries), run after the ip batch. */
  bridgeBatch?: string[];
  /** iptables-restore input, when the namespace needs rules. */
  iptables?: string;
}

export interface Wiring {
  rootBatch: string[];
  scripts: NsScript[];
}

function natScript(plan: LabPlan, node: NodePlan): NsScript {
  return {
    ns: node.natNs,
    sysctls: [['net.ipv4.ip_forward', '1']],
    ipBatch: [
      'link set lo up',
      `addr add ${node.natGateway}/${node.eth0Prefix} dev lan`,
      `addr add ${node.natDns}/${node.eth0Prefix} dev lan`,
      'link set lan up',
      `addr add ${node.natWan}/24 dev wan`,
      'link set wan up',
    ],
    // VirtualBox NAT hides the guest behind the host's address; a masquerade does the same.
    iptables: ['*nat', '-A POSTROUTING -o wan -j MASQUERADE', 'COMMIT', ''].join('\n'),
  };
}

function nodeScript(plan: LabPlan, node: NodePlan): NsScript {
  const mode = modeWiring(plan.cni);
  const extra = mode.node(plan, node);
  return {
    ns: node.ns,
    sysctls: [['net.ipv4.ip_forward', '1'], ...extra.sysctls],
    ipBatch: [
      'link set lo up',
      `addr add ${node.eth0}/${node.eth0Prefix} dev eth0`,
      'link set eth0 up',
      `route add default via ${node.natGateway} dev eth0`,
      `addr add ${node.eth1}/24 dev eth1`,
      'link set eth1 up',
      ...extra.ipBatch,
    ],
    ...(extra.prelude?.length ? { prelude: extra.prelude } : {}),
    ...(extra.bridgeBatch?.length ? { bridgeBatch: extra.bridgeBatch } : {}),
    iptables: extra.iptables,
  };
}

function switchScript(ns: string, bridge: string, address: string, ports: string[]): NsScript {
  return {
    ns,
    sysctls: [],
    ipBatch: [
      'link set lo up',
      `link add ${bridge} type bridge`,
      `addr add ${address}/24 dev ${bridge}`,
      `link set ${bridge} up`,
      ...ports.flatMap((p) => [`link set ${p} master ${bridge}`, `link set ${p} up`]),
    ],
  };
}

export function wireLab(plan: LabPlan): Wiring {
  const { hostOnly, internet } = plan;
  const rootBatch = [
    ...[hostOnly.ns, internet.ns, ...plan.nodes.flatMap((n) => [n.ns, n.natNs])].map((ns) => `netns add ${ns}`),
    ...plan.nodes.flatMap((n) => [
      `link add eth0 netns ${n.ns} type veth peer name lan netns ${n.natNs}`,
      `link add wan netns ${n.natNs} type veth peer name ${n.internetPort} netns ${internet.ns}`,
      `link add eth1 netns ${n.ns} type veth peer name ${n.hostOnlyPort} netns ${hostOnly.ns}`,
    ]),
  ];
  const scripts = [
    switchScript(hostOnly.ns, hostOnly.bridge, hostOnly.address, plan.nodes.map((n) => n.hostOnlyPort)),
    switchScript(internet.ns, internet.bridge, internet.registry, plan.nodes.map((n) => n.internetPort)),
    ...plan.nodes.flatMap((n) => [natScript(plan, n), nodeScript(plan, n)]),
  ];
  return { rootBatch, scripts };
}

/** One shell script that applies an NsScript inside its namespace (run with `ip netns exec NS sh -c`). */
export function nsShell(script: NsScript): string {
  const lines = ['set -e'];
  for (const [k, v] of script.sysctls) lines.push(`sysctl -qw ${k}=${v}`);
  if (script.prelude) lines.push(...script.prelude);
  if (script.ipBatch.length) lines.push(`ip -batch - <<'HOPLAB_IP'\n${script.ipBatch.join('\n')}\nHOPLAB_IP`);
  if (script.bridgeBatch?.length) lines.push(`bridge -batch - <<'HOPLAB_BR'\n${script.bridgeBatch.join('\n')}\nHOPLAB_BR`);
  if (script.iptables) lines.push(`iptables-restore <<'HOPLAB_IPT'\n${script.iptables}HOPLAB_IPT`);
  return lines.join('\n');
}
