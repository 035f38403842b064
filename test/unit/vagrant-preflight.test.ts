// Preflight of the vagrant provider against fake host probes: Ansible, the
// VirtualBox/Vagrant pairing, KVM holding VT-x, the vboxdrv warning, routes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeKvm } from '../../src/providers/vagrant/host-probe.js';
import {
  chooseAnsibleMode,
  parseAnsibleVersion,
  parseVBoxManageVersion,
  preflightChecks,
  type HostFacts,
} from '../../src/providers/vagrant/preflight.js';
import { parseSettings } from '../../src/providers/vagrant/settings.js';

const settings = parseSettings(readFileSync(new URL('../../vagrant/settings.yaml', import.meta.url), 'utf8'), 'vagrant/settings.yaml');
const host: HostFacts = {
  platform: 'linux',
  vagrantVersion: '2.4.9',
  virtualBoxVersion: '7.2.4r170995',
  ansibleVersion: '2.16.3',
  memAvailableKiB: 16 * 1024 * 1024,
  routes: [{ dst: 'default', dev: 'wlan0' }],
};
const check = (h: HostFacts, name: string) => preflightChecks(h, settings).filter((c) => c.check === name);
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('host Ansible', () => {
  it('reads ansible-core from both --version formats', () => {
    expect(parseAnsibleVersion('ansible-playbook [core 2.14.18]\n  config file = None\n')).toBe('2.14.18');
    // Ubuntu 22.04's package (ansible-base 2.10)
    expect(parseAnsibleVersion('ansible-playbook 2.10.8\n  config file = None\n')).toBe('2.10.8');
    expect(parseAnsibleVersion('Traceback (most recent call last):')).toBeUndefined();
  });

  it('passes 2.13+, refuses older with the pipx fix', () => {
    expect(check({ ...host, ansibleVersion: '2.13.0' }, 'ansible')[0]).toMatchObject({ ok: true, detail: 'ansible-core 2.13.0 (the roles need 2.13+)' });
    const [c] = check({ ...host, ansibleVersion: '2.10.8' }, 'ansible');
    expect(c).toMatchObject({ ok: false });
    expect(c!.detail).toMatch(/^ansible-core 2\.10\.8 is too old: the roles need 2\.13 or newer/);
    expect(c!.fix).toMatch(/^pipx install --force 'ansible-core>=2\.13'/);
  });

  it('an unreadable version is refused with what ansible-playbook printed', () => {
    const { ansibleVersion: _a, ...h } = host;
    const [c] = check({ ...h, ansibleVersionLine: 'ImportError: cannot import name' }, 'ansible');
    expect(c).toMatchObject({ ok: false, detail: "cannot read ansible-core's version from `ansible-playbook --version`: ImportError: cannot import name" });
  });

  it('no host Ansible: ansible_local, unless HOPLAB_ANSIBLE=host forces the host', () => {
    const { ansibleVersion: _a, ...none } = host;
    expect(chooseAnsibleMode(none)).toBe('local');
    expect(chooseAnsibleMode(host)).toBe('host');
    expect(chooseAnsibleMode(host, 'local')).toBe('local');
    expect(check(none, 'ansible')[0]).toMatchObject({ ok: true });
    expect(check(none, 'ansible')[0]!.detail).toMatch(/ansible_local installs ansible-core/);
    const [forced] = preflightChecks(none, settings, 'host').filter((c) => c.check === 'ansible');
    expect(forced).toMatchObject({ ok: false, detail: 'ansible-playbook is not on PATH' });
    expect(forced!.fix).toMatch(/HOPLAB_ANSIBLE=local/);
  });
});

describe('VirtualBox and Vagrant', () => {
  it('VirtualBox 7.2 needs Vagrant 2.4.9', () => {
    expect(check(host, 'virtualbox')[0]).toMatchObject({ ok: true, detail: 'VirtualBox 7.2.4r170995' });
    const [c] = check({ ...host, vagrantVersion: '2.4.8' }, 'virtualbox');
    expect(c).toMatchObject({ ok: false, detail: 'VirtualBox 7.2.4r170995 needs Vagrant 2.4.9 or newer; this is Vagrant 2.4.8' });
  });

  it('refuses a VirtualBox minor the map does not know', () => {
    const [c] = check({ ...host, virtualBoxVersion: '7.3.0r171000' }, 'virtualbox');
    expect(c).toMatchObject({ ok: false, detail: 'VirtualBox 7.3.0r171000: hoplab knows which Vagrant drives VirtualBox 6.1, 7.0, 7.1, 7.2, not 7.3' });
    expect(c!.fix).toMatch(/^install VirtualBox 7\.2 \(Vagrant 2\.4\.9\+\)/);
    expect(check({ ...host, virtualBoxVersion: '6.0.24r139119' }, 'virtualbox')[0]!.ok).toBe(false);
  });

  it('surfaces the vboxdrv warning VBoxManage prints before its version', () => {
    // As VirtualBox 7.0 prints it on Linux when the kernel module did not load (Secure Boot).
    const out = [
      'WARNING: The vboxdrv kernel module is not loaded. Either there is no module',
      '         available for the current kernel (6.8.0-40-generic) or it failed to',
      '         load. Please recompile the kernel module and install it by',
      '',
      '           sudo /sbin/vboxconfig',
      '',
      '         You will not be able to start VMs until this problem is fixed.',
      '7.0.20r163906',
    ].join('\n');
    const v = parseVBoxManageVersion(out);
    expect(v.version).toBe('7.0.20r163906');
    expect(v.warnings).toHaveLength(5);
    const [c] = check({ ...host, vagrantVersion: '2.4.1', virtualBoxVersion: v.version!, virtualBoxWarnings: v.warnings }, 'virtualbox');
    expect(c!.ok).toBe(false);
    expect(c!.detail).toMatch(/^VBoxManage --version warns: WARNING: The vboxdrv kernel module is not loaded\. Either there is no module available for the current kernel/);
    expect(c!.fix).toMatch(/sudo \/sbin\/vboxconfig.*Secure Boot/);
    expect(parseVBoxManageVersion('7.1.6r167084\n')).toEqual({ version: '7.1.6r167084', warnings: [] });
  });
});

describe('KVM holding VT-x', () => {
  function sys(files: Record<string, string>, dirs: string[] = []): string {
    const d = mkdtempSync(join(tmpdir(), 'hoplab-sys-'));
    temps.push(d);
    for (const dir of dirs) mkdirSync(join(d, dir), { recursive: true });
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), text);
    }
    return d;
  }

  it('reads /sys/module: vendor module (built in or loaded) and kvm.enable_virt_at_load', async () => {
    expect(await probeKvm(sys({ 'kvm_intel/initstate': 'live\n', 'kvm/parameters/enable_virt_at_load': 'Y\n' }))).toEqual({ module: 'kvm_intel', enableVirtAtLoad: true });
    expect(await probeKvm(sys({ 'kvm/parameters/enable_virt_at_load': 'N\n' }, ['kvm_amd']))).toEqual({ module: 'kvm_amd', enableVirtAtLoad: false });
    expect(await probeKvm(sys({ 'kvm_intel/initstate': 'live\n' }))).toEqual({ module: 'kvm_intel' });
    // kvm alone (no vendor module) holds nothing
    expect(await probeKvm(sys({ 'kvm/parameters/enable_virt_at_load': 'Y\n' }))).toBeUndefined();
  });

  it('refuses when KVM took VT-x at load, says how to release it', () => {
    const [c] = check({ ...host, kvm: { module: 'kvm_intel', enableVirtAtLoad: true } }, 'kvm');
    expect(c!.ok).toBe(false);
    expect(c!.detail).toMatch(/kvm_intel is loaded and holds VT-x .*VERR_VMX_IN_VMX_ROOT_MODE/);
    expect(c!.fix).toMatch(/sudo modprobe -r kvm_intel kvm.*options kvm enable_virt_at_load=0/);
    expect(check({ ...host, kvm: { module: 'kvm_amd', enableVirtAtLoad: true } }, 'kvm')[0]!.detail).toMatch(/AMD-V.*VERR_SVM_IN_USE/);
  });

  it('passes when KVM does not take it at load; warns on older kernels', () => {
    expect(check({ ...host, kvm: { module: 'kvm_intel', enableVirtAtLoad: false } }, 'kvm')[0]!.ok).toBe(true);
    expect(check({ ...host, kvm: { module: 'kvm_intel' } }, 'kvm')[0]).toMatchObject({ ok: true, warning: true });
    expect(check(host, 'kvm')[0]).toMatchObject({ ok: true, detail: 'KVM is not loaded' });
  });
});

describe('host routes', () => {
  it('a VPN over the pod CIDR is a warning; over the host-only range a refusal', () => {
    const vpn = check({ ...host, routes: [...host.routes!, { dst: '10.0.0.0/8', dev: 'tun0' }] }, 'routes');
    expect(vpn.every((c) => c.ok)).toBe(true);
    expect(vpn[1]).toMatchObject({ warning: true });
    expect(vpn[1]!.detail).toMatch(/^10\.244\.0\.0\/16 overlaps the host's route 10\.0\.0\.0\/8 dev tun0: the cluster works/);
    const lan = check({ ...host, routes: [...host.routes!, { dst: '192.168.56.0/24', dev: 'eth0' }] }, 'routes');
    expect(lan[0]).toMatchObject({ ok: false, detail: "192.168.56.0/24 overlaps the host's route 192.168.56.0/24 dev eth0" });
    // VirtualBox's own vboxnet0 carries the range: that is the lab
    expect(check({ ...host, routes: [{ dst: '192.168.56.0/24', dev: 'vboxnet0' }] }, 'routes')[0]!.ok).toBe(true);
  });
});

describe('the fixes name the lab (issue 18 item 12)', () => {
  it('short of memory, a KVM that may hold VT-x, a VBoxManage warning: each suggested up says --name', () => {
    const named = (h: HostFacts, name: string) => preflightChecks(h, settings, 'host', 'demo').find((c) => c.check === name)!;
    expect(named({ ...host, memAvailableKiB: 1024 }, 'memory').fix).toContain('hoplab --name demo up --provider vagrant --workers 1');
    expect(named({ ...host, kvm: { module: 'kvm_intel' } }, 'kvm').fix).toBe('stop KVM VMs before hoplab --name demo up --provider vagrant');
    expect(named({ ...host, virtualBoxWarnings: ['WARNING: something odd'] }, 'virtualbox').fix).toBe('fix what VBoxManage reports, then run hoplab --name demo up --provider vagrant again');
    // The default lab needs no --name.
    expect(preflightChecks({ ...host, memAvailableKiB: 1024 }, settings).find((c) => c.check === 'memory')!.fix).toContain('(or hoplab up --provider vagrant --workers 1)');
  });
});
