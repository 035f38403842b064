// Checks made before `vagrant up` starts anything, each with the fix.
// Pure: the facts about the host come in (host-probe.ts gathers them).
import { DEFAULT_LAB } from '../../core/lab-name.js';
import { hoplabCmd } from '../../core/suggest.js';
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
  /** Lines `VBoxManage --version` printed before the version (vboxdrv not loaded, Secure Boot). */
  virtualBoxWarnings?: string[];
  /** ansible-core version of the host's ansible-playbook; undefined when there is none. */
  ansibleVersion?: string;
  /** `ansible-playbook --version`'s first line when no version could be read from it. */
  ansibleVersionLine?: string;
  /** Linux: which KVM vendor module is loaded and whether it grabs VT-x/AMD-V when it loads. */
  kvm?: { module: string; enableVirtAtLoad?: boolean };
}

export interface PreflightCheck {
  check: 'vagrant' | 'virtualbox' | 'ansible' | 'kvm' | 'host-only-range' | 'memory' | 'routes';
  ok: boolean;
  detail: string;
  fix?: string;
  /** Passed, but something may still go wrong: shown, never a refusal. */
  warning?: boolean;
}

/** How the Ansible playbook reaches the VMs: from the host, or from inside the last VM (ansible_local). */
export type AnsibleMode = 'host' | 'local';

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

/**
 * `VBoxManage --version` prints the version as its last line; anything before
 * it is a warning (e.g. "WARNING: The vboxdrv kernel module is not loaded").
 */
export function parseVBoxManageVersion(output: string): { version?: string; warnings: string[] } {
  const lines = output.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const last = lines.at(-1);
  const version = last && /^\d+\.\d+\.\d+/.test(last.trim()) ? last.trim() : undefined;
  return { ...(version ? { version } : {}), warnings: version ? lines.slice(0, -1) : lines };
}

/** ansible-core's version from `ansible-playbook --version`: "ansible-playbook [core 2.14.18]" (2.11+) or "ansible-playbook 2.10.8". */
export function parseAnsibleVersion(output: string): string | undefined {
  const first = output.split('\n')[0] ?? '';
  return /^ansible-playbook (?:\[core )?(\d+\.\d+(?:\.\d+)?)/.exec(first.trim())?.[1];
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

function checkTools(host: HostFacts, lab: string): PreflightCheck[] {
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
  const map = VAGRANT_DEFAULTS.virtualBox.vagrantNeededFor;
  const needs = map[minor];
  const warnings = host.virtualBoxWarnings ?? [];
  const driverIssue = warnings.find((w) => /vboxdrv|kernel (module|driver)|vboxconfig/i.test(w));
  if (warnings.length > 0) {
    // VBoxManage still prints a version when its kernel driver is missing,
    // but no VM can start: the warning is the real answer.
    out.push({
      check: 'virtualbox',
      ok: false,
      detail: `VBoxManage --version warns: ${warnings.map((w) => w.trim()).join(' ')}`,
      fix: driverIssue
        ? 'load the VirtualBox kernel driver: sudo /sbin/vboxconfig (or sudo modprobe vboxdrv); with Secure Boot on, sign the modules (mokutil --import, then reboot and enroll the key) or turn Secure Boot off'
        : `fix what VBoxManage reports, then run ${hoplabCmd(lab, 'up --provider vagrant')} again`,
    });
    return out;
  }
  if (!needs) {
    const known = Object.keys(map).sort((a, b) => (versionAtLeast(a, b) ? 1 : -1));
    out.push({
      check: 'virtualbox',
      ok: false,
      detail: `VirtualBox ${host.virtualBoxVersion}: hoplab knows which Vagrant drives VirtualBox ${known.join(', ')}, not ${minor || host.virtualBoxVersion}`,
      fix: `install VirtualBox ${known.at(-1)} (Vagrant ${map[known.at(-1)!]}+), or, once a Vagrant release lists VirtualBox ${minor} as supported, add it to virtualBox.vagrantNeededFor in src/providers/vagrant/defaults.json`,
    });
  } else if (host.vagrantVersion && !versionAtLeast(host.vagrantVersion, needs)) {
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

function checkMemory(host: HostFacts, s: VagrantSettings, lab: string): PreflightCheck {
  const needMiB = s.nodes.reduce((sum, n) => sum + n.memoryMiB, 0) + VAGRANT_DEFAULTS.memoryHeadroomMiB;
  if (host.memAvailableKiB === undefined) return { check: 'memory', ok: true, detail: `needs ${needMiB} MiB; free memory unknown on ${host.platform}` };
  const haveMiB = Math.floor(host.memAvailableKiB / 1024);
  return haveMiB >= needMiB
    ? { check: 'memory', ok: true, detail: `${haveMiB} MiB available, ${needMiB} MiB needed` }
    : {
        check: 'memory',
        ok: false,
        detail: `${haveMiB} MiB available, the VMs need ${needMiB} MiB (${s.nodes.map((n) => `${n.name} ${n.memoryMiB}`).join(', ')}, plus ${VAGRANT_DEFAULTS.memoryHeadroomMiB} for the host)`,
        fix: `close programs, or lower workers.memory / workers.count in ${s.file} (or ${hoplabCmd(lab, 'up --provider vagrant --workers 1')})`,
      };
}

function checkRoutes(host: HostFacts, s: VagrantSettings): PreflightCheck[] {
  if (!host.routes) return [{ check: 'routes', ok: true, detail: `host routes not checked on ${host.platform}` }];
  const ours = VAGRANT_DEFAULTS.virtualBox.hostOnlyInterfacePrefix;
  const clashesWith = (range: string, skipOwn: boolean): string[] =>
    host.routes!.flatMap((r) => {
      if (r.dst === 'default' || !r.dst) return [];
      // VirtualBox's own host-only adapter (vboxnetN) carries the host-only range: that is the lab, not a clash.
      if (skipOwn && r.dev?.startsWith(ours)) return [];
      const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
      try {
        return overlaps(dst, range) ? [`${range} overlaps the host's route ${r.dst}${r.dev ? ` dev ${r.dev}` : ''}`] : [];
      } catch {
        return []; // not IPv4 (an IPv6 route): cannot clash with these ranges
      }
    });
  const hostOnly = clashesWith(s.hostOnlyCidr, true);
  const pods = clashesWith(s.podCidr, false);
  const out: PreflightCheck[] = [
    hostOnly.length === 0
      ? { check: 'routes', ok: true, detail: `${s.hostOnlyCidr} is free on this host` }
      : {
          check: 'routes',
          ok: false,
          detail: hostOnly.join('; '),
          fix: `disconnect that network, or move network.host_only_cidr and the node IPs in ${s.file} to a free range inside VirtualBox's allowed ones`,
        },
  ];
  // Pod addresses live inside the VMs; the host reaches them only through the
  // lab's own routes, so a VPN's 10.0.0.0/8 matters only for traffic from the host.
  out.push(
    pods.length === 0
      ? { check: 'routes', ok: true, detail: `${s.podCidr} is free on this host` }
      : {
          check: 'routes',
          ok: true,
          warning: true,
          detail: `${pods.join('; ')}: the cluster works, but from this computer pod addresses may go into that network (the office-LAN steps add their own routes)`,
          fix: `disconnect that network (VPN?) during the workshop, or choose another network.pod_cidr in ${s.file}`,
        },
  );
  return out;
}

/** ansible-core on the host, or ansible_local inside the last VM when there is none. */
export function checkAnsible(host: HostFacts, mode: AnsibleMode): PreflightCheck {
  const min = VAGRANT_DEFAULTS.ansible.minCoreVersion;
  const pipx = `pipx install --force 'ansible-core>=${min}' (or: python3 -m pip install --user 'ansible-core>=${min}')`;
  if (mode === 'local') {
    return { check: 'ansible', ok: true, detail: 'no host Ansible: ansible_local installs ansible-core (ansible.local_pip_spec in vagrant/settings.yaml) inside the last VM and runs the same roles from there' };
  }
  if (host.ansibleVersion === undefined) {
    return host.ansibleVersionLine !== undefined
      ? { check: 'ansible', ok: false, detail: `cannot read ansible-core's version from \`ansible-playbook --version\`: ${host.ansibleVersionLine}`, fix: pipx }
      : { check: 'ansible', ok: false, detail: 'ansible-playbook is not on PATH', fix: `${pipx}; or run with HOPLAB_ANSIBLE=local to install Ansible inside the VMs instead` };
  }
  return versionAtLeast(host.ansibleVersion, min)
    ? { check: 'ansible', ok: true, detail: `ansible-core ${host.ansibleVersion} (the roles need ${min}+)` }
    : {
        check: 'ansible',
        ok: false,
        detail: `ansible-core ${host.ansibleVersion} is too old: the roles need ${min} or newer (apt's allow_change_held_packages, ${VAGRANT_DEFAULTS.ansible.why})`,
        fix: `${pipx}; the distribution's package (Ubuntu 22.04: 2.10) is older`,
      };
}

/** Linux 6.12+ lets KVM take VT-x/AMD-V as soon as kvm_intel/kvm_amd loads; VirtualBox then cannot start a VM. */
export function checkKvm(host: HostFacts, lab = DEFAULT_LAB): PreflightCheck {
  if (!host.kvm) return { check: 'kvm', ok: true, detail: host.platform === 'linux' ? 'KVM is not loaded' : `not checked on ${host.platform}` };
  const m = host.kvm.module;
  if (host.kvm.enableVirtAtLoad === false) {
    return { check: 'kvm', ok: true, detail: `${m} is loaded with kvm.enable_virt_at_load=N: VirtualBox can use the CPU while no KVM VM runs` };
  }
  if (host.kvm.enableVirtAtLoad === undefined) {
    return {
      check: 'kvm',
      ok: true,
      warning: true,
      detail: `${m} is loaded (kernel before 6.12): VirtualBox fails with VERR_VMX_IN_VMX_ROOT_MODE / VERR_SVM_IN_USE while a KVM VM (libvirt, GNOME Boxes, Android emulator) runs`,
      fix: `stop KVM VMs before ${hoplabCmd(lab, 'up --provider vagrant')}`,
    };
  }
  return {
    check: 'kvm',
    ok: false,
    detail: `${m} is loaded and holds ${m === 'kvm_amd' ? 'AMD-V' : 'VT-x'} (kvm.enable_virt_at_load=Y, Linux 6.12+): VirtualBox VMs would fail with ${m === 'kvm_amd' ? 'VERR_SVM_IN_USE' : 'VERR_VMX_IN_VMX_ROOT_MODE'}`,
    fix: `now: sudo modprobe -r ${m} kvm (with no KVM VM running); for good: echo 'options kvm enable_virt_at_load=0' | sudo tee /etc/modprobe.d/hoplab-kvm.conf, or boot with kvm.enable_virt_at_load=0`,
  };
}

/** host Ansible when it is there, else ansible_local; HOPLAB_ANSIBLE=host|local forces one. */
export function chooseAnsibleMode(host: HostFacts, forced?: string): AnsibleMode {
  if (forced === 'host' || forced === 'local') return forced;
  return host.ansibleVersion === undefined && host.ansibleVersionLine === undefined ? 'local' : 'host';
}

/** Every check; the commands a fix suggests name `lab` (--name). */
export function preflightChecks(host: HostFacts, settings: VagrantSettings, ansible: AnsibleMode = chooseAnsibleMode(host), lab = DEFAULT_LAB): PreflightCheck[] {
  const tools = checkTools(host, lab);
  return [
    ...tools,
    checkAnsible(host, ansible),
    checkKvm(host, lab),
    checkHostOnlyRange(host, settings),
    checkMemory(host, settings, lab),
    ...checkRoutes(host, settings),
  ];
}
