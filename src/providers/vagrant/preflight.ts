// Checks made before `vagrant up` starts anything, each with the fix.
// Pure: the facts about the host come in (host-probe.ts gathers them).
import ipaddr from 'ipaddr.js';
import type { VagrantSettings } from './settings.js';
import { VAGRANT_DEFAULTS } from './defaults.js';

export interface HostFacts {
  platform: NodeJS.Platform;
  vagrantVersion?: string; // "2.3.4"
  virtualBoxVersion?: string; // "7.0.14r161095"
  /** /etc/vbox/networks.conf text; undefined when the file does not exist. */
  networksConf?: string;
  /** MemAvailable in KiB; undefined when unknown (not Linux). */
  memAvailableKiB?: number;
  /** The host's routes (`ip -j route`); undefined when unknown. */
  routes?: { dst: string; dev?: string }[];
}

export interface PreflightCheck {
  check: 'vagrant' | 'virtualbox' | 'host-only-range' | 'memory' | 'routes';
  ok: boolean;
  detail: string;
  fix?: string;
}

/** Compares dotted versions numerically; "7.0.14r161095" counts as 7.0.14. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => (/^\d+(\.\d+)*/.exec(v)?.[0] ?? '0').split('.').map(Number);
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

export function parseVagrantVersion(output: string): string | undefined {
  return /Vagrant (\d+\.\d+\.\d+)/.exec(output)?.[1];
}

/** Ranges /etc/vbox/networks.conf allows: lines like `* 10.0.0.0/8 192.168.0.0/16`. */
export function allowedRanges(networksConf: string | undefined): string[] {
  if (networksConf === undefined) return VAGRANT_DEFAULTS.virtualBox.defaultAllowedRanges;
  return networksConf
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.startsWith('*'))
    .flatMap((l) => l.slice(1).trim().split(/\s+/))
    .filter((r) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(r));
}

function inRange(ip: string, cidr: string): boolean {
  try {
    return ipaddr.parse(ip).match(ipaddr.parseCIDR(cidr));
  } catch {
    return false;
  }
}

function overlaps(a: string, b: string): boolean {
  const [na, la] = ipaddr.parseCIDR(a);
  const [nb, lb] = ipaddr.parseCIDR(b);
  return la <= lb ? nb.match(na, la) : na.match(nb, lb);
}

function checkTools(host: HostFacts): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  out.push(
    host.vagrantVersion
      ? { check: 'vagrant', ok: true, detail: `Vagrant ${host.vagrantVersion}` }
      : { check: 'vagrant', ok: false, detail: 'vagrant is not on PATH', fix: 'install Vagrant (developer.hashicorp.com/vagrant/install, or your distribution: apt-get install vagrant)' },
  );
  if (!host.virtualBoxVersion) {
    out.push({
      check: 'virtualbox',
      ok: false,
      detail: 'VirtualBox is not installed here (VBoxManage is not on PATH)',
      fix: 'install VirtualBox 7.x from virtualbox.org and make sure VBoxManage is on PATH; without VirtualBox use --provider netns',
    });
    return out;
  }
  const minor = /^(\d+\.\d+)/.exec(host.virtualBoxVersion)?.[1] ?? '';
  const needs = VAGRANT_DEFAULTS.virtualBox.vagrantNeededFor[minor];
  if (needs && host.vagrantVersion && !versionAtLeast(host.vagrantVersion, needs)) {
    out.push({
      check: 'virtualbox',
      ok: false,
      detail: `VirtualBox ${host.virtualBoxVersion} needs Vagrant ${needs} or newer; this is Vagrant ${host.vagrantVersion}`,
      fix: `upgrade Vagrant to ${needs}+ (or use a VirtualBox release this Vagrant supports)`,
    });
  } else {
    out.push({ check: 'virtualbox', ok: true, detail: `VirtualBox ${host.virtualBoxVersion}` });
  }
  return out;
}

function checkHostOnlyRange(host: HostFacts, s: VagrantSettings): PreflightCheck {
  const file = VAGRANT_DEFAULTS.virtualBox.networksConf;
  const restricted =
    host.platform !== 'win32' &&
    host.virtualBoxVersion !== undefined &&
    versionAtLeast(host.virtualBoxVersion, VAGRANT_DEFAULTS.virtualBox.hostOnlyRestrictedSince);
  if (!restricted) return { check: 'host-only-range', ok: true, detail: 'VirtualBox does not restrict host-only ranges here' };
  const ranges = allowedRanges(host.networksConf);
  const outside = s.nodes.filter((n) => !ranges.some((r) => inRange(n.ip, r)));
  if (outside.length === 0) {
    return { check: 'host-only-range', ok: true, detail: `${s.nodes.map((n) => n.ip).join(', ')} within ${ranges.join(', ')}` };
  }
  return {
    check: 'host-only-range',
    ok: false,
    detail: `VirtualBox ${host.virtualBoxVersion} only allows host-only addresses in ${ranges.join(', ') || '(nothing)'}${host.networksConf === undefined ? ' (no ' + file + ')' : ' (' + file + ')'}; ${outside.map((n) => `${n.name} ${n.ip}`).join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside`,
    fix: `allow the range: echo '* ${s.hostOnlyCidr}' | sudo tee -a ${file} (create /etc/vbox first), or move the IPs in ${s.file} into 192.168.56.0/21`,
  };
}

function checkMemory(host: HostFacts, s: VagrantSettings): PreflightCheck {
  const needMiB = s.nodes.reduce((sum, n) => sum + n.memoryMiB, 0) + VAGRANT_DEFAULTS.memoryHeadroomMiB;
  if (host.memAvailableKiB === undefined) return { check: 'memory', ok: true, detail: `needs ${needMiB} MiB; free memory unknown on ${host.platform}` };
  const haveMiB = Math.floor(host.memAvailableKiB / 1024);
  return haveMiB >= needMiB
    ? { check: 'memory', ok: true, detail: `${haveMiB} MiB available, ${needMiB} MiB needed` }
    : {
        check: 'memory',
        ok: false,
        detail: `${haveMiB} MiB available, the VMs need ${needMiB} MiB (${s.nodes.map((n) => `${n.name} ${n.memoryMiB}`).join(', ')}, plus ${VAGRANT_DEFAULTS.memoryHeadroomMiB} for the host)`,
        fix: `close programs, or lower workers.memory / workers.count in ${s.file} (or hoplab up --workers 1)`,
      };
}

function checkRoutes(host: HostFacts, s: VagrantSettings): PreflightCheck {
  if (!host.routes) return { check: 'routes', ok: true, detail: `host routes not checked on ${host.platform}` };
  const ours = VAGRANT_DEFAULTS.virtualBox.hostOnlyInterfacePrefix;
  const clashes: string[] = [];
  for (const range of [s.hostOnlyCidr, s.podCidr]) {
    for (const r of host.routes) {
      if (r.dst === 'default' || !r.dst) continue;
      // VirtualBox's own host-only adapter (vboxnetN) carries the host-only range: that is the lab, not a clash.
      if (r.dev?.startsWith(ours) && range === s.hostOnlyCidr) continue;
      const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
      try {
        if (overlaps(dst, range)) clashes.push(`${range} overlaps the host's route ${r.dst}${r.dev ? ` dev ${r.dev}` : ''}`);
      } catch {
        // not IPv4 (an IPv6 route): cannot clash with these ranges
      }
    }
  }
  return clashes.length === 0
    ? { check: 'routes', ok: true, detail: `${s.hostOnlyCidr} and ${s.podCidr} are free on this host` }
    : {
        check: 'routes',
        ok: false,
        detail: clashes.join('; '),
        fix: `disconnect that network (VPN?) or choose other ranges in ${s.file} (network.host_only_cidr with the node IPs, network.pod_cidr)`,
      };
}

export function preflightChecks(host: HostFacts, settings: VagrantSettings): PreflightCheck[] {
  const tools = checkTools(host);
  return [...tools, checkHostOnlyRange(host, settings), checkMemory(host, settings), checkRoutes(host, settings)];
}
