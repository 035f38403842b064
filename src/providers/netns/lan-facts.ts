// Facts of the office LAN, and the routes of the lab's routers as they are
// now. The learner changes those routes (that is the lab), so they are read
// from the kernel each time rather than taken from the plan: the path engine
// then follows the gateways' real routing tables, while the nodes' routes
// stay the CNI mode's model.
import type { ClusterFacts, HostFacts, RouteFacts } from '../../core/facts.js';
import { run } from '../../core/exec.js';
import { parseIpRouteShow } from '../route-parse.js';
import type { LabPlan } from './plan.js';

export function lanHostFacts(plan: LabPlan): HostFacts[] {
  return (plan.lan?.hosts ?? []).map((h) => ({
    name: h.name,
    role: h.role,
    interfaces: h.interfaces.map((i) => ({ name: i.name, address: i.address, prefixLength: i.prefix })),
    routes: h.routes.map((r) => ({ ...r })),
  }));
}

/** LAN host name → namespace, for `hoplab ssh office-gw`. */
export function lanNamespaces(plan: LabPlan): Record<string, string> {
  return Object.fromEntries((plan.lan?.hosts ?? []).map((h) => [h.name, h.ns]));
}

/** A namespace's routes beyond its connected subnets; undefined when they cannot be read. */
export async function readRoutes(ns: string): Promise<RouteFacts[] | undefined> {
  const r = await run(['ip', '-n', ns, '-j', 'route', 'show'], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) return undefined;
  try {
    return parseIpRouteShow(r.stdout);
  } catch {
    return undefined;
  }
}

/**
 * The facts with the office LAN's hosts added and the live routes of every
 * host a learner routes on: the LAN hosts and the VirtualBox host.
 */
export async function withLanFacts(facts: ClusterFacts, plan: LabPlan): Promise<ClusterFacts> {
  const hosts = [...facts.hosts.filter((h) => !plan.lan?.hosts.some((l) => l.name === h.name)), ...lanHostFacts(plan)];
  const nsOf: Record<string, string> = { host: plan.hostOnly.ns, ...lanNamespaces(plan) };
  const live = await Promise.all(
    hosts.map(async (h) => {
      const ns = nsOf[h.name];
      const routes = ns ? await readRoutes(ns) : undefined;
      return routes ? { ...h, routes } : h;
    }),
  );
  return { ...facts, hosts: live };
}
