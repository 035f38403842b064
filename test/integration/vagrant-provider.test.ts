// The vagrant provider end to end against the stand-in vagrant/ssh/VBoxManage
// (test/fixtures/vagrant/bin), which replays recorded output. Nothing here
// needs VirtualBox; see test/fixtures/vagrant/README.md for what is recorded.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MachineError, UsageError } from '../../src/core/errors.js';
import type { ProgressEvent } from '../../src/providers/provider.js';
import { createVagrantProvider, type VagrantProviderOptions } from '../../src/providers/vagrant/index.js';
import type { TransportName } from '../../src/providers/vagrant/node-exec.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const standinBin = join(repo, 'test/fixtures/vagrant/bin');
// A vagrant/ssh call costs the Perl stand-in 0.02 s of CPU: the longest test here
// takes about 1 s, 2.3 s with both cores three times oversubscribed, so the
// suite's 30 s default is ample (it was not when the stand-in was Node).
const originalPath = process.env.PATH ?? '';
const temps: string[] = [];

beforeAll(() => {
  // The provider finds vagrant, VBoxManage and ssh on PATH, as on a user's machine.
  process.env.PATH = `${standinBin}:${originalPath}`;
});
afterAll(() => {
  process.env.PATH = originalPath;
});
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Lab {
  projectDir: string;
  stateDir: string;
  calls(): { cmd: string; argv: string[]; cni?: string; workers?: string }[];
  events: ProgressEvent[];
  opts: VagrantProviderOptions;
}

function lab(scenario: string, extra: Partial<VagrantProviderOptions> & { cluster?: string; transport?: TransportName } = {}): Lab {
  const projectDir = mkdtempSync(join(tmpdir(), 'hoplab-vagrant-test-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'hoplab-standin-'));
  temps.push(projectDir, stateDir);
  mkdirSync(join(projectDir, 'vagrant'));
  copyFileSync(join(repo, 'vagrant/settings.yaml'), join(projectDir, 'vagrant/settings.yaml'));
  const { cluster, ...rest } = extra;
  const opts: VagrantProviderOptions = {
    lab: 'test',
    projectDir,
    transport: 'ssh',
    env: {
      PATH: process.env.PATH ?? '',
      HOPLAB_STANDIN_STATE: stateDir,
      HOPLAB_STANDIN_SCENARIO: scenario,
      HOPLAB_STANDIN_CLUSTER: cluster ?? 'flannel-host-gw',
    },
    probe: async () => ({
      platform: 'linux',
      vagrantVersion: '2.3.4',
      virtualBoxVersion: '7.0.14r161095',
      memAvailableKiB: 16 * 1024 * 1024,
      routes: [{ dst: 'default', dev: 'eth0' }],
    }),
    ...rest,
  };
  const events: ProgressEvent[] = [];
  return {
    projectDir,
    stateDir,
    events,
    opts,
    calls: () =>
      readFileSync(join(stateDir, 'calls.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

const phases = (events: ProgressEvent[]) =>
  events.flatMap((e) => (e.type === 'phase' ? [`${e.phase}${e.node ? ` ${e.node}` : ''} ${e.state}`] : []));
const vagrantCalls = (l: Lab) => l.calls().filter((c) => c.cmd === 'vagrant').map((c) => c.argv.join(' '));

describe.each(['ssh', 'vagrant'] as const)('a fresh cluster, node commands over %s', (transport) => {
  it('comes up, provisions once, snapshots, fetches the kubeconfig and verifies the network', async () => {
    const l = lab('success', { transport });
    const p = createVagrantProvider(l.opts);
    await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => l.events.push(e) });

    const seen = phases(l.events);
    for (const n of ['controlplane', 'node-1', 'node-2']) {
      expect(seen).toContain(`vm ${n} start`);
      expect(seen).toContain(`vm ${n} done`);
      expect(seen).toContain(`provision ${n} done`);
      expect(seen).toContain(`verify: internal-ip ${n} done`);
      expect(seen).toContain(`verify: cni-binding ${n} done`);
    }
    expect(seen).toContain('task: controlplane : Initialise the control plane with kubeadm start');
    expect(seen.filter((s) => s.endsWith(' failed'))).toEqual([]);
    expect(seen.slice(-1)).toEqual(['verify done']);
    expect(l.events.some((e) => e.type === 'log' && e.line === '==> node-2: Running provisioner: ansible...')).toBe(true);

    const calls = vagrantCalls(l);
    expect(calls).toContain('up --no-color');
    expect(calls.filter((c) => c.startsWith('provision'))).toEqual([]); // ran inside `vagrant up`
    expect(calls).toContain('snapshot save --force hoplab-provisioned');
    const up = l.calls().find((c) => c.argv[0] === 'up')!;
    expect([up.cni, up.workers]).toEqual(['flannel-host-gw', '2']);

    const env = await p.kubeEnv();
    expect(readFileSync(env.KUBECONFIG!, 'utf8')).toContain('server: https://192.168.56.10:6443');

    const status = await p.status();
    expect(status).toMatchObject({ state: 'up', provider: 'vagrant', cni: 'flannel-host-gw', notes: [] });
    expect(status.facts!.cni).toBe('flannel-host-gw');
    expect(status.facts!.serviceCIDR).toBe('10.96.0.0/12');
    expect(status.facts!.nodes.find((n) => n.name === 'node-1')).toEqual({
      name: 'node-1',
      roles: [],
      internalIP: '192.168.56.11',
      podCIDR: '10.244.1.0/24',
      interfaces: [
        { name: 'eth0', address: '10.0.2.15', prefixLength: 24 },
        { name: 'eth1', address: '192.168.56.11', prefixLength: 24 },
      ],
      defaultRoute: { via: '10.0.2.2', dev: 'eth0' },
    });
    expect(status.facts!.hosts.find((h) => h.role === 'host')!.interfaces[0]).toEqual({ name: 'vboxnet0', address: '192.168.56.1', prefixLength: 24 });

    const r = await p.run({ kind: 'node', name: 'node-1' }, ['hostname']);
    expect([r.exitCode, r.stdout.trim()]).toEqual([0, 'node-1']);
    const pod = await p.run({ kind: 'pod', name: 'httpd', namespace: 'default' }, ['hostname']);
    expect(pod.stdout.trim()).toBe('httpd');
    const spec = await p.shell({ kind: 'node', name: 'node-2' });
    expect(spec.file).toBe(transport);
    expect(spec.args).toContain('node-2');
    await expect(p.run({ kind: 'node', name: 'node-9' }, ['hostname'])).rejects.toThrow(/no node 'node-9'.*/);
    await expect(p.run({ kind: 'host', name: 'office' }, ['hostname'])).rejects.toBeInstanceOf(MachineError);
  });
});

describe('the vagrant provider against recorded failures', () => {
  it('a second up resumes: no vagrant up, no provisioning, verification again', async () => {
    const l = lab('success');
    const p = createVagrantProvider(l.opts);
    await p.up({ cni: 'flannel-host-gw', workers: 2 });
    const before = vagrantCalls(l).length;
    const events: ProgressEvent[] = [];
    await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => events.push(e) });
    const again = vagrantCalls(l).slice(before);
    expect(again.filter((c) => /^(up|provision|snapshot save)/.test(c))).toEqual([]);
    expect(phases(events)).toContain('resume done');
    expect(events.find((e) => e.type === 'phase' && e.phase === 'resume')).toMatchObject({
      detail: 'controlplane running, node-1 running, node-2 running; provisioned',
    });
  });

  it('refuses to reuse a cluster built in another mode', async () => {
    const l = lab('success');
    const p = createVagrantProvider(l.opts);
    await p.up({ cni: 'flannel-host-gw', workers: 2 });
    await expect(p.up({ cni: 'calico-ipip', workers: 2 })).rejects.toThrow(UsageError);
    await expect(p.up({ cni: 'calico-ipip', workers: 2 })).rejects.toThrow(/built as flannel-host-gw with 2 workers; calico-ipip with 2 was asked for/);
  });

  it('a VM failing mid-way: up fails naming the VM and Vagrant\'s reason; status is partial', async () => {
    const l = lab('vm-fails');
    const p = createVagrantProvider(l.opts);
    const err = await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => l.events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MachineError);
    expect((err as Error).message).toMatch(/^vagrant up failed: node-1: Timed out while waiting for the machine to boot/);
    expect((err as MachineError).hint).toMatch(/run hoplab --name test up --provider vagrant again: it resumes with the VMs that exist \(hoplab --name test down starts over\)/);
    expect(phases(l.events)).toContain('vm controlplane done');
    expect(phases(l.events)).toContain('vm node-1 failed');
    expect(vagrantCalls(l).filter((c) => c.startsWith('snapshot save'))).toEqual([]);
    const status = await p.status();
    expect(status.state).toBe('partial');
    expect(status.notes).toEqual(['node-2: not_created']);
  });

  it('a provisioning failure: up fails naming the node and the task; no snapshot is taken', async () => {
    const l = lab('provision-fails');
    const p = createVagrantProvider(l.opts);
    const err = await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => l.events.push(e) }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'vagrant up failed: node-1: kubernetes : Fetch the pkgs.k8s.io signing key for v1.32: failed: Request failed: <urlopen error [Errno -3] Temporary failure in name resolution>',
    );
    expect(phases(l.events)).toContain('provision node-1 failed');
    expect(phases(l.events)).toContain('ansible node-2 failed');
    expect(vagrantCalls(l).filter((c) => c.startsWith('snapshot'))).toEqual([]);
    await expect(p.reset()).rejects.toThrow(/no 'hoplab-provisioned' snapshot on controlplane, node-1, node-2/);
  });

  it('VMs that already exist: vagrant up starts nothing new, so the provider provisions explicitly, then snapshots', async () => {
    const l = lab('resume');
    const p = createVagrantProvider(l.opts);
    await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => l.events.push(e) });
    const calls = vagrantCalls(l);
    expect(calls.indexOf('provision node-2 --no-color')).toBeGreaterThan(calls.indexOf('up --no-color'));
    expect(calls).toContain('snapshot save --force hoplab-provisioned');
    expect(phases(l.events)).toContain('resume done');
    expect(phases(l.events)).toContain('provision node-1 done');
  });

  it('a cluster whose workers registered the NAT address fails verification with the cause', async () => {
    const l = lab('success', { cluster: 'nat-internal-ip' });
    const p = createVagrantProvider(l.opts);
    const err = await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => l.events.push(e) }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/network is not the seed's:\n- node-1: InternalIP is 10\.0\.2\.15, expected the host-only 192\.168\.56\.11: kubelet --node-ip was not applied/);
    expect(phases(l.events)).toContain('verify: internal-ip node-2 failed');
  });

  it('reset restores the snapshot; down destroys and forgets the kubeconfig', async () => {
    const l = lab('success');
    const p = createVagrantProvider(l.opts);
    await p.up({ cni: 'flannel-host-gw', workers: 2 });
    const events: ProgressEvent[] = [];
    await p.reset!({ onEvent: (e) => events.push(e) });
    expect(vagrantCalls(l)).toContain('snapshot restore --no-provision hoplab-provisioned');
    expect(phases(events)).toContain('vm node-2 done');
    const down: ProgressEvent[] = [];
    await p.down({ onEvent: (e) => down.push(e) });
    expect(vagrantCalls(l)).toContain('destroy -f --no-color');
    expect(down.some((e) => e.type === 'log' && e.line === '==> node-2: Destroying VM and associated drives...')).toBe(true);
    expect((await p.status()).state).toBe('down');
    await expect(p.kubeEnv()).rejects.toThrow(/no kubeconfig yet/);
  });
});

describe('VMs that exist, or do not, beside what hoplab remembers', () => {
  const setStates = (l: Lab, st: string) => {
    const path = join(l.stateDir, 'state.json');
    const state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { state: string }>;
    for (const n of Object.values(state)) n.state = st;
    writeFileSync(path, JSON.stringify(state));
  };

  it('after a reboot: vagrant up boots the VMs, then the API, the nodes and the CNI are waited for before verifying', async () => {
    const l = lab('success');
    await createVagrantProvider(l.opts).up({ cni: 'flannel-host-gw', workers: 2 });
    setStates(l, 'poweroff');
    const before = l.calls().length;
    const p = createVagrantProvider({ ...l.opts, pollMs: 20, env: { ...l.opts.env!, HOPLAB_STANDIN_SCENARIO: 'reboot' } });
    await p.up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => l.events.push(e) });
    const after = l.calls().slice(before).map((c) => `${c.cmd} ${c.argv.at(-1)}`);
    expect(after.filter((c) => c.includes('/readyz'))).toHaveLength(3); // refused twice, as the scenario says, then ok
    const order = ['vagrant --no-color', 'ssh kubectl get --raw /readyz', 'ssh kubectl wait --for=condition=Ready node --all --timeout=', 'ssh kubectl -n kube-flannel rollout status', 'ssh kubectl get nodes,pods'];
    const firstIndex = (prefix: string) => l.calls().slice(before).findIndex((c) => `${c.cmd} ${c.argv.join(' ')}`.replace(/^ssh .* (controlplane|node-\d) /, 'ssh ').replace('vagrant up ', 'vagrant ').startsWith(prefix));
    const idx = order.map(firstIndex);
    expect(idx.every((i) => i >= 0), JSON.stringify(after)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(vagrantCalls(l).filter((c) => /^(provision|snapshot save)/.test(c))).toHaveLength(1); // only the first up's snapshot
    expect(phases(l.events)).toContain('wait for the cluster done');
  });

  it('a VirtualBox VM named like one of ours that this checkout did not create is refused before vagrant up', async () => {
    const l = lab('success');
    writeFileSync(join(l.stateDir, 'vbox-vms'), '"test-controlplane" {0b2c5a2e-1f0e-4d39-9c55-6f1c1c6b3a10}\n"other" {1b2c5a2e-1f0e-4d39-9c55-6f1c1c6b3a11}\n');
    const err = await createVagrantProvider(l.opts).up({ cni: 'flannel-host-gw', workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MachineError);
    expect((err as Error).message).toMatch(/^VirtualBox already has test-controlplane, which this checkout's Vagrant did not create/);
    expect((err as MachineError).hint).toContain("VBoxManage unregistervm 'test-controlplane' --delete");
    expect(vagrantCalls(l).filter((c) => c.startsWith('up'))).toEqual([]);
  });

  it('VMs destroyed outside hoplab: the old record is dropped, another mode may be built', async () => {
    const l = lab('success');
    await createVagrantProvider(l.opts).up({ cni: 'flannel-host-gw', workers: 2 });
    setStates(l, 'not_created');
    const err = await createVagrantProvider(l.opts).up({ cni: 'calico-ipip', workers: 2, onEvent: (e) => l.events.push(e) }).catch((e: unknown) => e);
    // The stand-in's cluster runs flannel, so verification fails: what matters is that up went on and built.
    expect(err).not.toBeInstanceOf(UsageError);
    expect(phases(l.events)).toContain('state done');
    expect(vagrantCalls(l).filter((c) => c === 'up --no-color')).toHaveLength(2);
  });

  it('--workers 0: one VM, verified without peers', async () => {
    const l = lab('success');
    await createVagrantProvider(l.opts).up({ cni: 'flannel-host-gw', workers: 0, onEvent: (e) => l.events.push(e) });
    expect(l.calls().find((c) => c.argv[0] === 'up')!.workers).toBe('0');
    expect(phases(l.events)).toContain('verify: cni-binding controlplane done');
    expect(phases(l.events).filter((p) => p.startsWith('verify: internal-ip'))).toEqual(['verify: internal-ip controlplane done']);
  });
});

describe('a machine without VirtualBox', () => {
  it('up refuses with a MachineError that says so, before running vagrant up (real host probe)', async (ctx) => {
    // Only the stand-in vagrant and ssh on PATH, plus the basics (no VBoxManage).
    const bin = mkdtempSync(join(tmpdir(), 'hoplab-novbox-'));
    temps.push(bin);
    symlinkSync(join(standinBin, 'vagrant'), join(bin, 'vagrant'));
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`;
    try {
      const hasVbox = await import('../../src/core/exec.js').then((m) => m.which('VBoxManage'));
      if (hasVbox) ctx.skip('this machine has VirtualBox in /usr/bin, so the refusal cannot be shown here');
      const l = lab('success');
      const { probe: _useRealProbe, ...opts } = l.opts;
      const p = createVagrantProvider({ ...opts, env: { ...opts.env!, PATH: process.env.PATH } });
      const err = await p.up({ cni: 'flannel-host-gw', workers: 2 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MachineError);
      expect((err as Error).message).toBe(
        'the vagrant lab needs VirtualBox, and this machine has none: VirtualBox is not installed here (VBoxManage is not on PATH)',
      );
      expect((err as MachineError).hint).toMatch(/without VirtualBox use --provider netns/);
      expect(vagrantCalls(l)).toEqual(['--version']);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('status where vagrant cannot see VirtualBox', () => {
  it('reports down with vagrant\'s own reason (recorded here without VirtualBox) instead of failing', async () => {
    const l = lab('no-virtualbox');
    const s = await createVagrantProvider(l.opts).status();
    expect(s.state).toBe('down');
    expect(s.notes[0]).toMatch(/^vagrant status failed \(exit 1\): No usable default provider could be found for your system\./);
  });
});
