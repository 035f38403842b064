// The office LAN of `hoplab up --lan` as plain data: the machines of seed
// 001's second half, the developers' side of "reach pod IPs from the office".
// Two office segments live side by side, so one lab teaches both cases:
//
//   office   office-pc 192.168.1.10 ── office-gw ── host-only 192.168.56.0/24
//            (the LAN and the cluster share one gateway: one static route)
//   branch   branch-pc 192.168.2.10 ── branch-gw ── corp 172.16.0.0/24 ── corp-gw ── host-only
//            (two gateways in a row: a route on every gateway along the way)
//
// The gateways know the lab's ordinary networks (the corporate network already
// routes between the branch and the host-only network), never the pod or
// Service CIDRs: those routes are what the learner adds. Pure: lan-wiring.ts
// turns it into commands.
import ipaddr from 'ipaddr.js';
import type { RouteFacts } from '../../core/facts.js';
import { labPrefix } from './names.js';
import type { LabPlan, LanHostPlan, LanIface, LanLink, LanPlan } from './plan-types.js';

export type { LanHostPlan, LanIface, LanLink, LanPlan } from './plan-types.js';

export const OFFICE_SUBNET = '192.168.1.0/24';
export const BRANCH_SUBNET = '192.168.2.0/24';
export const CORP_SUBNET = '172.16.0.0/24';
/** The gateways' addresses on the host-only network: below the nodes (.10 on) and above the VirtualBox host (.1). */
export const OFFICE_GW_UPLINK = '192.168.56.2';
export const CORP_GW_UPLINK = '192.168.56.3';

export function lanNs(lab: string, host: string): string {
  return `${labPrefix(lab)}lan-${host}`;
}

function cidrOverlap(a: string, b: string): boolean {
  const [na, pa] = ipaddr.IPv4.parseCIDR(a);
  const [nb, pb] = ipaddr.IPv4.parseCIDR(b);
  const p = Math.min(pa, pb);
  return na.match(nb, p);
}

/** The lab's own networks the LAN must stay clear of, by name. */
export function labNetworks(plan: Pick<LabPlan, 'clusterCIDR' | 'serviceCIDR' | 'hostOnly' | 'internet' | 'nodes'>): Record<string, string> {
  const nat = plan.nodes[0] ? `${ipaddr.IPv4.networkAddressFromCIDR(`${plan.nodes[0].eth0}/${plan.nodes[0].eth0Prefix}`)}/${plan.nodes[0].eth0Prefix}` : undefined;
  return {
    'the cluster CIDR': plan.clusterCIDR,
    'the Service CIDR': plan.serviceCIDR,
    'the host-only network': plan.hostOnly.subnet,
    'the simulated internet': plan.internet.subnet,
    ...(nat ? { 'the VirtualBox NAT network': nat } : {}),
  };
}

/** What clashes: an empty list, or one line per LAN subnet or uplink address that collides with the lab. */
export function lanClashes(plan: LabPlan, subnets: LanPlan['subnets'], uplinks: string[]): string[] {
  const problems: string[] = [];
  const nets = labNetworks(plan);
  const lan = Object.entries(subnets);
  for (const [name, cidr] of lan) {
    for (const [what, other] of Object.entries(nets)) {
      if (cidrOverlap(cidr, other)) problems.push(`the ${name} LAN ${cidr} overlaps ${what} ${other}`);
    }
  }
  for (let i = 0; i < lan.length; i++) {
    for (let j = i + 1; j < lan.length; j++) {
      if (cidrOverlap(lan[i]![1], lan[j]![1])) problems.push(`the ${lan[i]![0]} LAN ${lan[i]![1]} overlaps the ${lan[j]![0]} LAN ${lan[j]![1]}`);
    }
  }
  const taken = new Map<string, string>([[plan.hostOnly.address, 'the VirtualBox host'], ...plan.nodes.map((n) => [n.eth1, `node ${n.name}`] as [string, string])]);
  for (const u of uplinks) {
    if (!ipaddr.IPv4.parse(u).match(ipaddr.IPv4.parseCIDR(plan.hostOnly.subnet))) problems.push(`the uplink ${u} is not on the host-only network ${plan.hostOnly.subnet}`);
    const owner = taken.get(u);
    if (owner) problems.push(`the uplink ${u} is ${owner}'s address`);
    taken.set(u, 'another gateway');
  }
  return problems;
}

function host(lab: string, name: string, role: LanHostPlan['role'], interfaces: LanIface[], routes: RouteFacts[]): LanHostPlan {
  return { name, role, ns: lanNs(lab, name), interfaces, routes, forwards: role === 'gateway' };
}

function nth(cidr: string, n: number): string {
  const base = ipaddr.IPv4.networkAddressFromCIDR(cidr).toByteArray();
  return ipaddr.fromByteArray([base[0]!, base[1]!, base[2]!, base[3]! + n]).toString();
}

export function planLan(plan: LabPlan, subnets: LanPlan['subnets'] = { office: OFFICE_SUBNET, branch: BRANCH_SUBNET, corp: CORP_SUBNET }): LanPlan {
  const uplinks = [OFFICE_GW_UPLINK, CORP_GW_UPLINK];
  const clashes = lanClashes(plan, subnets, uplinks);
  if (clashes.length) throw new RangeError(`the office LAN clashes with the lab: ${clashes.join('; ')}`);
  const lab = plan.lab;
  const hostOnlyPrefix = Number(plan.hostOnly.subnet.split('/')[1]);
  const p = (cidr: string) => Number(cidr.split('/')[1]);
  const officeGw = nth(subnets.office, 1);
  const branchGw = nth(subnets.branch, 1);
  const corpGw = nth(subnets.corp, 1);
  const branchUp = nth(subnets.corp, 2);
  const hosts = [
    host(lab, 'office-pc', 'office', [{ name: 'eth0', address: nth(subnets.office, 10), prefix: p(subnets.office) }], [{ dest: 'default', via: officeGw, dev: 'eth0' }]),
    host(
      lab,
      'office-gw',
      'gateway',
      [
        { name: 'eth0', address: officeGw, prefix: p(subnets.office) },
        { name: 'eth1', address: OFFICE_GW_UPLINK, prefix: hostOnlyPrefix },
      ],
      [],
    ),
    host(lab, 'branch-pc', 'office', [{ name: 'eth0', address: nth(subnets.branch, 10), prefix: p(subnets.branch) }], [{ dest: 'default', via: branchGw, dev: 'eth0' }]),
    host(
      lab,
      'branch-gw',
      'gateway',
      [
        { name: 'eth0', address: branchGw, prefix: p(subnets.branch) },
        { name: 'eth1', address: branchUp, prefix: p(subnets.corp) },
      ],
      // The corporate network already reaches the data centre's host-only network.
      [{ dest: plan.hostOnly.subnet, via: corpGw, dev: 'eth1' }],
    ),
    host(
      lab,
      'corp-gw',
      'gateway',
      [
        { name: 'eth0', address: corpGw, prefix: p(subnets.corp) },
        { name: 'eth1', address: CORP_GW_UPLINK, prefix: hostOnlyPrefix },
      ],
      [{ dest: subnets.branch, via: branchUp, dev: 'eth0' }],
    ),
  ];
  const ns = (name: string) => lanNs(lab, name);
  const links: LanLink[] = [
    { a: { ns: ns('office-pc'), ifname: 'eth0' }, b: { ns: ns('office-gw'), ifname: 'eth0' } },
    { a: { ns: ns('office-gw'), ifname: 'eth1' }, b: { ns: plan.hostOnly.ns, ifname: 'vgw-office' } },
    { a: { ns: ns('branch-pc'), ifname: 'eth0' }, b: { ns: ns('branch-gw'), ifname: 'eth0' } },
    { a: { ns: ns('branch-gw'), ifname: 'eth1' }, b: { ns: ns('corp-gw'), ifname: 'eth0' } },
    { a: { ns: ns('corp-gw'), ifname: 'eth1' }, b: { ns: plan.hostOnly.ns, ifname: 'vgw-corp' } },
  ];
  return { subnets, hosts, links, hostOnlyPorts: ['vgw-office', 'vgw-corp'] };
}
