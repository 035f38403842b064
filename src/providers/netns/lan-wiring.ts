// The office LAN's commands: namespaces and veth pairs created directly inside
// them (one root `ip -batch`, as wiring.ts does for the cluster), then one
// script per LAN host, and the gateways' uplink ports plugged into the
// host-only switch. It can run with the lab (up --lan) or be added to a lab
// that is already up. Pure, except buildLan, which executes it.
import type { ProgressEvent } from '../provider.js';
import { writeEtcFiles } from './etc-files.js';
import type { LanHostPlan } from './lan.js';
import { ipBatch, runScriptInNs } from './namespaces.js';
import type { LabPlan } from './plan.js';
import { nsShell, type NsScript, type Wiring } from './wiring.js';

function routeLine(r: LanHostPlan['routes'][number]): string {
  return `route add ${r.dest}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
}

function hostScript(h: LanHostPlan): NsScript {
  return {
    ns: h.ns,
    sysctls: h.forwards ? [['net.ipv4.ip_forward', '1']] : [],
    ipBatch: [
      'link set lo up',
      ...h.interfaces.flatMap((i) => [`addr add ${i.address}/${i.prefix} dev ${i.name}`, `link set ${i.name} up`]),
      ...h.routes.map(routeLine),
    ],
  };
}

export function wireLan(plan: LabPlan): Wiring {
  const lan = plan.lan;
  if (!lan) return { rootBatch: [], scripts: [] };
  const rootBatch = [
    ...lan.hosts.map((h) => `netns add ${h.ns}`),
    ...lan.links.map((l) => `link add ${l.a.ifname} netns ${l.a.ns} type veth peer name ${l.b.ifname} netns ${l.b.ns}`),
  ];
  const uplinks: NsScript = {
    ns: plan.hostOnly.ns,
    sysctls: [],
    ipBatch: lan.hostOnlyPorts.flatMap((p) => [`link set ${p} master ${plan.hostOnly.bridge}`, `link set ${p} up`]),
  };
  return { rootBatch, scripts: [...lan.hosts.map(hostScript), uplinks] };
}

/** No DNS server on the office LAN: a resolver that fails at once, not after a time-out (see etc-files.ts). */
export const LAN_RESOLV_CONF = '# no DNS server on the office LAN\nnameserver 127.0.0.1\n';

export function lanEtcFiles(plan: LabPlan): Record<string, Record<string, string>> {
  return Object.fromEntries((plan.lan?.hosts ?? []).map((h) => [h.ns, { 'resolv.conf': LAN_RESOLV_CONF, hostname: `${h.name}\n` }]));
}

/** Builds the LAN of `plan` (its hosts, links, routes); the host-only switch must exist already. */
export async function buildLan(plan: LabPlan, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<void> {
  if (!plan.lan) return;
  const wiring = wireLan(plan);
  emit({ type: 'phase', phase: 'office-lan', state: 'start', detail: plan.lan.hosts.map((h) => h.name).join(', ') });
  await Promise.all(Object.entries(lanEtcFiles(plan)).map(([ns, files]) => writeEtcFiles(ns, files)));
  await ipBatch(wiring.rootBatch, signal);
  await Promise.all(wiring.scripts.map((s) => runScriptInNs(s.ns, nsShell(s), signal)));
  emit({ type: 'phase', phase: 'office-lan', state: 'done' });
}
