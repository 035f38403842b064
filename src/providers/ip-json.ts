// Reads `ip -d -j addr show` and `ip -j route show` (iproute2's JSON) from a
// node into the shapes the facts and the network verification need.
import { MachineError } from '../core/errors.js';
import type { IfaceFacts } from '../core/facts.js';

export interface LinkInfo {
  name: string;
  mtu: number;
  /** iproute2's linkinfo.info_kind: vxlan, ipip, bridge, veth; absent for plain NICs. */
  kind?: string;
  /** For vxlan: VNI, local address and underlying device as iproute2 reports them. */
  vxlan?: { id?: number; local?: string; link?: string };
  ipv4: { address: string; prefixLength: number }[];
}

export interface RouteInfo {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
}

function list(json: string, what: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new MachineError(`${what}: not JSON (is iproute2 older than 4.14, without -j?): ${json.slice(0, 80)}`);
  }
  if (!Array.isArray(parsed)) throw new MachineError(`${what}: expected a JSON array`);
  return parsed.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
}

export function parseIpAddr(json: string): LinkInfo[] {
  return list(json, 'ip -j addr').map((l) => {
    const info = (l.linkinfo ?? {}) as { info_kind?: string; info_data?: Record<string, unknown> };
    const link: LinkInfo = {
      name: String(l.ifname ?? ''),
      mtu: Number(l.mtu ?? 0),
      ipv4: ((l.addr_info ?? []) as Record<string, unknown>[])
        .filter((a) => a.family === 'inet')
        .map((a) => ({ address: String(a.local), prefixLength: Number(a.prefixlen) })),
    };
    if (info.info_kind) link.kind = info.info_kind;
    if (info.info_kind === 'vxlan' && info.info_data) {
      const d = info.info_data;
      link.vxlan = {
        ...(typeof d.id === 'number' ? { id: d.id } : {}),
        ...(typeof d.local === 'string' ? { local: d.local } : {}),
        ...(typeof d.link === 'string' ? { link: d.link } : {}),
      };
    }
    return link;
  });
}

export function parseIpRoute(json: string): RouteInfo[] {
  return list(json, 'ip -j route').map((r) => {
    const route: RouteInfo = { dst: String(r.dst ?? '') };
    if (typeof r.gateway === 'string') route.gateway = r.gateway;
    if (typeof r.dev === 'string') route.dev = r.dev;
    if (typeof r.protocol === 'string') route.protocol = r.protocol;
    return route;
  });
}

/** IfaceFacts for every link: its first IPv4 address, or none (calico's cali* veths have none). */
export function toIfaceFacts(links: LinkInfo[]): IfaceFacts[] {
  return links
    .filter((l) => l.name !== 'lo')
    .map((l) => {
      const a = l.ipv4[0];
      return a ? { name: l.name, address: a.address, prefixLength: a.prefixLength } : { name: l.name };
    });
}

export function defaultRoute(routes: RouteInfo[]): { via: string; dev: string } | undefined {
  const r = routes.find((x) => x.dst === 'default' && x.gateway && x.dev);
  return r ? { via: r.gateway!, dev: r.dev! } : undefined;
}

/** The link holding an address: how the host-only interface is found whatever the box calls it. */
export function linkWithAddress(links: LinkInfo[], address: string): LinkInfo | undefined {
  return links.find((l) => l.ipv4.some((a) => a.address === address));
}
