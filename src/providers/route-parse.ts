// Routing tables and route lookups as the machines print them, into plain
// data: iproute2's JSON on Linux (`ip -j route show`, `ip -j route get`),
// `route -n get` on macOS, and PowerShell's Find-NetRoute as JSON on Windows.
// Read-only questions; nothing here changes a route.
import { MachineError } from '../core/errors.js';
import type { RouteFacts } from '../core/facts.js';

/** How a machine routes one address: the answer of its route lookup. */
export interface RouteLookup {
  /** The address asked about. */
  to: string;
  /** Next hop; absent when the address is on a directly attached link. */
  via?: string;
  dev?: string;
  /** The destination of the route that matched (`10.244.0.0/16`, `default`), when the tool says. */
  dest?: string;
  /** Why there is no route, when there is none: the tool's own words. */
  unreachable?: string;
}

function jsonList(text: string, what: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() || '[]');
  } catch {
    throw new MachineError(`${what}: not JSON: ${text.trim().slice(0, 80)}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A bare address as a /32, `default` as it is. */
function normaliseDest(dst: string): string {
  return dst === 'default' || dst.includes('/') ? dst : `${dst}/32`;
}

/**
 * `ip -j route show`: every route that is not just a connected subnet (those
 * the interfaces' addresses already give), in the kernel's order.
 */
export function parseIpRouteShow(json: string): RouteFacts[] {
  return jsonList(json, 'ip -j route show').flatMap((r): RouteFacts[] => {
    const dst = str(r.dst);
    if (!dst) return [];
    const type = str(r.type);
    const via = str(r.gateway);
    const connected = !via && !type && r.protocol === 'kernel' && r.scope === 'link';
    if (connected) return [];
    const route: RouteFacts = { dest: normaliseDest(dst) };
    if (via) route.via = via;
    const dev = str(r.dev);
    if (dev) route.dev = dev;
    if (type && type !== 'unicast') route.type = type;
    return [route];
  });
}

/** `ip -j route get ADDRESS`, with its exit status and error text (RTNETLINK answers: Network is unreachable). */
export function parseIpRouteGet(to: string, exitCode: number, stdout: string, stderr: string): RouteLookup {
  if (exitCode !== 0) return { to, unreachable: stderr.trim().split('\n')[0] || `ip route get exited ${exitCode}` };
  const r = jsonList(stdout, 'ip -j route get')[0];
  if (!r) return { to, unreachable: 'ip route get printed no route' };
  const type = str(r.type);
  if (type && type !== 'unicast' && type !== 'local') return { to, unreachable: `${type} route` };
  const out: RouteLookup = { to };
  const via = str(r.gateway);
  if (via) out.via = via;
  const dev = str(r.dev);
  if (dev) out.dev = dev;
  return out;
}

/**
 * macOS `route -n get ADDRESS`:
 *    route to: 10.244.1.3
 * destination: 10.244.0.0
 *        mask: 255.255.0.0
 *     gateway: 192.168.56.10
 *   interface: vboxnet0
 * A directly attached address has no gateway line; no route at all makes
 * route(8) print "not in table" and exit 1.
 */
export function parseMacRouteGet(to: string, exitCode: number, stdout: string, stderr: string): RouteLookup {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\s*([a-z ]+):\s*(\S+)/.exec(line);
    if (m) fields.set(m[1]!.trim(), m[2]!);
  }
  if (exitCode !== 0 || !fields.has('route to')) {
    return { to, unreachable: (stderr || stdout).trim().split('\n')[0] || `route -n get exited ${exitCode}` };
  }
  const out: RouteLookup = { to };
  const gw = fields.get('gateway');
  if (gw && /^\d+\.\d+\.\d+\.\d+$/.test(gw)) out.via = gw;
  const dev = fields.get('interface');
  if (dev) out.dev = dev;
  const dest = fields.get('destination');
  const mask = fields.get('mask');
  if (dest === 'default') out.dest = 'default';
  else if (dest && mask) out.dest = `${dest}/${maskBits(mask)}`;
  return out;
}

function maskBits(mask: string): number {
  return mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** The PowerShell command whose JSON parseWindowsRoute reads. */
export function windowsRouteCommand(to: string): string[] {
  return [
    'powershell.exe',
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    `Find-NetRoute -RemoteIPAddress ${to} | Where-Object { $_.NextHop } | Select-Object -First 1 DestinationPrefix,NextHop,InterfaceAlias | ConvertTo-Json -Compress`,
  ];
}

/**
 * Windows: Find-NetRoute's route object as JSON,
 * {"DestinationPrefix":"10.244.0.0/16","NextHop":"192.168.56.10","InterfaceAlias":"VirtualBox Host-Only Network"};
 * NextHop 0.0.0.0 means on-link.
 */
export function parseWindowsRoute(to: string, exitCode: number, stdout: string, stderr: string): RouteLookup {
  const r = exitCode === 0 ? jsonList(stdout, 'Find-NetRoute')[0] : undefined;
  if (!r) return { to, unreachable: stderr.trim().split('\n')[0] || 'Find-NetRoute found no route' };
  const out: RouteLookup = { to };
  const hop = str(r.NextHop);
  if (hop && hop !== '0.0.0.0') out.via = hop;
  const dev = str(r.InterfaceAlias);
  if (dev) out.dev = dev;
  const dest = str(r.DestinationPrefix);
  if (dest) out.dest = dest === '0.0.0.0/0' ? 'default' : dest;
  return out;
}

/**
 * The command that adds a route on the learner's own machine, for each
 * platform, for the lab text to print. hoplab never runs these itself.
 */
export function addRouteCommands(cidr: string, via: string): { linux: string; macos: string; windows: string } {
  const [net, bits] = cidr.split('/');
  const n = Number(bits);
  const mask = [0, 1, 2, 3].map((i) => (n >= (i + 1) * 8 ? 255 : n <= i * 8 ? 0 : 256 - 2 ** (8 - (n - i * 8)))).join('.');
  return {
    linux: `sudo ip route add ${cidr} via ${via}`,
    macos: `sudo route -n add -net ${cidr} ${via}`,
    windows: `route ADD ${net} MASK ${mask} ${via}`,
  };
}
