// The iptables-restore input kube-proxy's iptables mode writes on every
// node (syncProxyRules, Kubernetes 1.31): KUBE-SERVICES -> KUBE-SVC-* ->
// KUBE-SEP-* with `statistic --mode random` for all but the last endpoint,
// DNAT in each KUBE-SEP, KUBE-MARK-MASQ for traffic from outside the
// cluster CIDR and for hairpin traffic, KUBE-NODEPORTS -> KUBE-EXT-* for
// NodePorts, REJECT in filter for services without endpoints, and the
// one-time jumps from the built-in chains. Pure: the executor is kube-proxy.ts.
import { endpointChain, externalChain, isServiceChain, serviceChain } from '../../kube/proxy-chains.js';
import { usableEndpoints, type ProxyServicePort } from './kube-proxy-model.js';

export const MASQUERADE_MARK = '0x4000';

export interface ProxyConfig {
  /** --cluster-cidr, which makes detect-local-mode ClusterCIDR: "! -s 10.244.0.0/16" means "not from a pod". */
  clusterCIDR: string;
}

export interface ProxyRules {
  /** Input for `iptables-restore --noflush --counters`: *filter and *nat. */
  restore: string;
  /** The per-service nat chains this sync keeps (the next sync deletes those that fall out). */
  natChains: string[];
}

/** kube-proxy's computeProbability: 1/n with ten decimals. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

/** Quotes an iptables-restore argument that holds spaces, as kube-proxy writes comments. */
function q(text: string): string {
  return /\s/.test(text) ? `"${text}"` : text;
}

function protoMatch(protocol: string): string {
  const p = protocol.toLowerCase();
  return `-m ${p} -p ${p}`;
}

export function proxyRules(ports: ProxyServicePort[], cfg: ProxyConfig, previousChains: readonly string[] = []): ProxyRules {
  const filterChains = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL'];
  const filterRules: string[] = [
    // localhostNodePorts: kubelet's and kube-proxy's guard against route_localnet abuse.
    '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
  ];
  const natChains = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  const natRules: string[] = [
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQUERADE_MARK}`,
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQUERADE_MARK}`,
  ];
  const active = new Set<string>();

  for (const sp of ports) {
    const proto = protoMatch(sp.protocol);
    const svcChain = serviceChain(sp.name, sp.protocol);
    const extChain = externalChain(sp.name, sp.protocol);
    const endpoints = usableEndpoints(sp);
    const has = endpoints.length > 0;
    const noEndpoints = q(`${sp.name} has no endpoints`);
    const clusterIPComment = q(`${sp.name} cluster IP`);
    const dest = `-d ${sp.clusterIP} --dport ${sp.port}`;

    if (has) natRules.push(`-A KUBE-SERVICES -m comment --comment ${clusterIPComment} ${proto} ${dest} -j ${svcChain}`);
    else filterRules.push(`-A KUBE-SERVICES -m comment --comment ${noEndpoints} ${proto} ${dest} -j REJECT`);

    for (const ip of sp.externalIPs) {
      if (has) natRules.push(`-A KUBE-SERVICES -m comment --comment ${q(`${sp.name} external IP`)} ${proto} -d ${ip} --dport ${sp.port} -j ${extChain}`);
      else filterRules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${noEndpoints} ${proto} -d ${ip} --dport ${sp.port} -j REJECT`);
    }

    if (sp.nodePort) {
      if (has) natRules.push(`-A KUBE-NODEPORTS -m comment --comment ${q(sp.name)} ${proto} --dport ${sp.nodePort} -j ${extChain}`);
      else filterRules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${noEndpoints} -m addrtype --dst-type LOCAL ${proto} --dport ${sp.nodePort} -j REJECT`);
    }
    if (!has) continue;

    // Traffic to the ClusterIP from outside the pod network (a node, the host) is masqueraded.
    natChains.push(svcChain);
    active.add(svcChain);
    natRules.push(`-A ${svcChain} -m comment --comment ${clusterIPComment} ${proto} ${dest} ! -s ${cfg.clusterCIDR} -j KUBE-MARK-MASQ`);

    if (sp.nodePort || sp.externalIPs.length) {
      natChains.push(extChain);
      active.add(extChain);
      natRules.push(`-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${sp.name} external destinations`)} -j KUBE-MARK-MASQ`);
      natRules.push(`-A ${extChain} -j ${svcChain}`);
    }

    endpoints.forEach((ep, i) => {
      const sep = endpointChain(sp.name, sp.protocol, ep.address);
      const odds = i < endpoints.length - 1 ? ` -m statistic --mode random --probability ${probability(endpoints.length - i)}` : '';
      natRules.push(`-A ${svcChain} -m comment --comment ${q(`${sp.name} -> ${ep.address}`)}${odds} -j ${sep}`);
    });
    for (const ep of endpoints) {
      const sep = endpointChain(sp.name, sp.protocol, ep.address);
      natChains.push(sep);
      active.add(sep);
      // A pod reaching itself through the Service (hairpin) is masqueraded, or its reply would bypass the NAT.
      natRules.push(`-A ${sep} -m comment --comment ${q(sp.name)} -s ${ep.ip} -j KUBE-MARK-MASQ`);
      natRules.push(`-A ${sep} -m comment --comment ${q(sp.name)} ${proto} -j DNAT --to-destination ${ep.address}`);
    }
  }

  const stale = previousChains.filter((c) => isServiceChain(c) && !active.has(c));
  for (const c of stale) natChains.push(c); // a chain line flushes it, then -X deletes it
  const deletions = stale.map((c) => `-X ${c}`);
  natRules.push(
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
  );
  filterRules.push(
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j ACCEPT`,
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  );

  const chainLine = (c: string) => `:${c} - [0:0]`;
  const restore = [
    '*filter',
    ...filterChains.map(chainLine),
    ...filterRules,
    'COMMIT',
    '*nat',
    ...natChains.map(chainLine),
    ...natRules,
    ...deletions,
    'COMMIT',
    '',
  ].join('\n');
  return { restore, natChains: [...active] };
}

interface Jump {
  table: 'filter' | 'nat' | 'mangle';
  from: string;
  to: string;
  spec: string;
}

/**
 * The jumps from built-in chains kube-proxy (and kubelet) ensure once, each
 * prepended with `iptables -I CHAIN 1`, so a chain's later jump ends up first.
 */
export const JUMPS: readonly Jump[] = [
  { table: 'filter', from: 'INPUT', to: 'KUBE-EXTERNAL-SERVICES', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-EXTERNAL-SERVICES', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODEPORTS', spec: '-m comment --comment "kubernetes health check service ports"' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-SERVICES', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-SERVICES', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', spec: '-m comment --comment "kubernetes forwarding rules"' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-PROXY-FIREWALL', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"' },
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', spec: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', spec: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', spec: '-m comment --comment "kubernetes postrouting rules"' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-FIREWALL', spec: '' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-FIREWALL', spec: '' },
];

/** The canary chain kube-proxy's iptables monitor keeps in each table. */
const CANARY = 'KUBE-PROXY-CANARY';

/**
 * iptables-restore input adding the jumps (and canary chains) not yet in
 * `saved`, the node's `iptables-save` output. The chains they jump to are
 * declared too, so this can run before the first sync.
 */
export function jumpRules(saved: string): string {
  const out: string[] = [];
  for (const table of ['mangle', 'filter', 'nat'] as const) {
    const section = tableSection(saved, table);
    const lines: string[] = [];
    if (!section.includes(`:${CANARY} `)) lines.push(`:${CANARY} - [0:0]`);
    for (const j of JUMPS.filter((x) => x.table === table)) {
      const rule = `-A ${j.from} ${j.spec ? `${j.spec} ` : ''}-j ${j.to}`;
      if (section.split('\n').includes(rule)) continue;
      if (!section.includes(`:${j.to} `) && !lines.includes(`:${j.to} - [0:0]`)) lines.unshift(`:${j.to} - [0:0]`);
      lines.push(`-I ${j.from} 1 ${j.spec ? `${j.spec} ` : ''}-j ${j.to}`);
    }
    if (lines.length) out.push(`*${table}`, ...lines, 'COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** One table of iptables-save output, from its `*table` line to COMMIT. */
export function tableSection(saved: string, table: string): string {
  const start = saved.indexOf(`*${table}\n`);
  if (start < 0) return '';
  const end = saved.indexOf('\nCOMMIT', start);
  return saved.slice(start, end < 0 ? undefined : end);
}
