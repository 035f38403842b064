// vagrant/ and ansible/ checked with the real tools this machine can run
// without VirtualBox: vagrant validate, ruby, ansible-playbook (syntax, task
// list, a check-mode run against localhost), ansible-lint, and kubectl's
// kustomize for the CNI overlays. Each test skips with the reason when its
// tool is missing (scripts/test-deps-vagrant.sh installs them).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAGRANT_DEFAULTS } from '../../src/providers/vagrant/defaults.js';
import { parseSettings } from '../../src/providers/vagrant/settings.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const tools = Object.fromEntries(['vagrant', 'ruby', 'ansible-playbook', 'ansible', 'ansible-lint', 'kubectl', 'VBoxManage'].map((t) => [t, has(t)]));
const missing = (t: string) => `${t} is not installed (scripts/test-deps-vagrant.sh installs it)`;
/** Title suffix naming why a test is skipped, so the skip reason shows in the report. */
const needs = (...ts: string[]) => {
  const absent = ts.filter((t) => !tools[t]);
  return absent.length ? ` [skipped: ${absent.map(missing).join('; ')}]` : '';
};
// The overlays use kustomize's `patches:` field (kustomize v4+, kubectl 1.21+);
// Debian's kubectl 1.20 embeds kustomize v2, which cannot build them.
function kustomizeMajor(): number {
  if (!tools.kubectl) return 0;
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  try {
    return Number(/^v?(\d+)/.exec((JSON.parse(r.stdout) as { kustomizeVersion?: string }).kustomizeVersion ?? '')?.[1] ?? 0);
  } catch {
    return 0;
  }
}
const kustomizeOk = kustomizeMajor() >= 4;

// A scratch copy of vagrant/ and ansible/, so Vagrant's .vagrant/ state and
// rendered templates never land in the working tree.
const work = mkdtempSync(join(tmpdir(), 'hoplab-vagrant-files-'));
cpSync(join(repo, 'vagrant'), join(work, 'vagrant'), { recursive: true, filter: (src) => !src.includes('.vagrant') });
cpSync(join(repo, 'ansible'), join(work, 'ansible'), { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Asynchronous on purpose: a playbook run can take a minute on a loaded
// machine, and a blocked event loop makes vitest's worker RPC time out.
function sh(argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd ?? work,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ...opts.env },
      timeout: 240_000,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => done({ code: null, out: `${out}${String(err)}` }));
    child.on('close', (code) => done({ code, out }));
  });
}

describe('vagrant/Vagrantfile', () => {
  it.skipIf(!tools.vagrant)(`vagrant validate --ignore-provider accepts it${needs('vagrant')}`, async () => {
    const r = await sh(['vagrant', 'validate', '--ignore-provider'], { cwd: join(work, 'vagrant') });
    expect(r.out).toContain('Vagrantfile validated successfully.');
    expect(r.out).toContain('==> node-2: Ignoring provider config for validation...');
    expect(r.code).toBe(0);
  }, 180_000);

  it.skipIf(!tools.vagrant || tools.VBoxManage)(`without VirtualBox, plain \`vagrant validate\` cannot run: why the test passes --ignore-provider${needs('vagrant')}${tools.VBoxManage ? ' [skipped: VirtualBox is installed]' : ''}`, async () => {
    const r = await sh(['vagrant', 'validate'], { cwd: join(work, 'vagrant') });
    expect(r.code).not.toBe(0);
  }, 180_000);

  it.skipIf(!tools.vagrant)(`refuses a bad HOPLAB_CNI with hoplab's message${needs('vagrant')}`, async () => {
    const r = await sh(['vagrant', 'validate', '--ignore-provider'], { cwd: join(work, 'vagrant'), env: { HOPLAB_CNI: 'weave-fast' } });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("hoplab: HOPLAB_CNI: 'weave-fast' is not a CNI mode; expected one of flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp");
  }, 180_000);

  it.skipIf(!tools.vagrant)(`HOPLAB_ANSIBLE=local: the ansible_local provisioner (no host Ansible) validates; a bad value is refused${needs('vagrant')}`, async () => {
    const local = await sh(['vagrant', 'validate', '--ignore-provider'], { cwd: join(work, 'vagrant'), env: { HOPLAB_ANSIBLE: 'local' } });
    expect(local.out).toContain('Vagrantfile validated successfully.');
    expect(local.code).toBe(0);
    const bad = await sh(['vagrant', 'validate', '--ignore-provider'], { cwd: join(work, 'vagrant'), env: { HOPLAB_ANSIBLE: 'remote' } });
    expect(bad.out).toContain('hoplab: HOPLAB_ANSIBLE: expected host or local, got "remote"');
    expect(bad.code).not.toBe(0);
  }, 120_000);

  it.skipIf(!tools.ruby)(`is valid Ruby, and lib/settings.rb reads settings.yaml exactly as the provider does${needs('ruby')}`, async () => {
    expect((await sh(['ruby', '-c', 'Vagrantfile'], { cwd: join(work, 'vagrant') })).out).toContain('Syntax OK');
    const ruby = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync('ruby', ['-rjson', '-e', 'require_relative "lib/settings"; puts JSON.generate(Hoplab.load_settings("settings.yaml"))'], {
          cwd: join(work, 'vagrant'),
          env: { ...process.env, ...env },
          encoding: 'utf8',
        }),
      ) as { nodes: { name: string; ip: string; cpus: number; memory: number }[]; cni_plugin: string; cni_mode: string; pod_cidr: string };
    const text = yaml.dump(yaml.load(execFileSync('cat', [join(work, 'vagrant/settings.yaml')], { encoding: 'utf8' })));
    for (const [env, overrides] of [
      [{}, {}],
      [{ HOPLAB_CNI: 'calico-vxlan', HOPLAB_WORKERS: '1' }, { cni: 'calico-vxlan' as const, workers: 1 }],
      [{ HOPLAB_WORKERS: '3' }, { workers: 3 }],
    ] as const) {
      const r = ruby(env);
      const ts = parseSettings(text, 'settings.yaml', overrides);
      expect(r.nodes.map((n) => [n.name, n.ip, n.cpus, n.memory])).toEqual(ts.nodes.map((n) => [n.name, n.ip, n.cpus, n.memoryMiB]));
      expect(`${r.cni_plugin}-${r.cni_mode}`).toBe(ts.cni);
      expect(r.pod_cidr).toBe(ts.podCidr);
    }
    const bad = spawnSync('ruby', ['-e', 'require_relative "lib/settings"; Hoplab.load_settings("settings.yaml")'], {
      cwd: join(work, 'vagrant'),
      env: { ...process.env, HOPLAB_WORKERS: 'two' },
      encoding: 'utf8',
    });
    expect(bad.stderr).toContain('HOPLAB_WORKERS: expected a whole number, got "two"');
  }, 180_000);
});

describe('ansible/', () => {
  const inventory = join(repo, 'test/fixtures/vagrant/recorded/vagrant_ansible_inventory');

  it.skipIf(!tools['ansible-playbook'])(`passes ansible-playbook --syntax-check with the inventory Vagrant generates${needs('ansible-playbook')}`, async () => {
    const r = await sh(['ansible-playbook', '--syntax-check', '-i', inventory, 'ansible/playbook.yml']);
    expect(r.out).toContain('playbook: ansible/playbook.yml');
    expect(r.code).toBe(0);
  }, 180_000);

  it.skipIf(!tools['ansible-playbook'])(`lists its roles in order: common, containerd, kubernetes, controlplane, CNI, workers${needs('ansible-playbook')}`, async () => {
    const r = await sh(['ansible-playbook', '--list-tasks', '-i', inventory, 'ansible/playbook.yml']);
    expect(r.code).toBe(0);
    const roles = [...r.out.matchAll(/^ {6}(\w+) : /gm)].map((m) => m[1]);
    expect([...new Set(roles)]).toEqual(['common', 'containerd', 'kubernetes', 'controlplane', 'cni_flannel', 'cni_calico', 'workers']);
  }, 180_000);

  it.skipIf(!tools['ansible-playbook'])(`hoplab's ansible-core minimum is what the roles need (module options' version_added)${needs('ansible-playbook')}`, async () => {
    // The Python that runs ansible-playbook has ansible importable.
    const python = /^#!\s*(\S+)/.exec(execFileSync('sh', ['-c', 'head -1 "$(command -v ansible-playbook)"'], { encoding: 'utf8' }))?.[1] ?? 'python3';
    const r = await sh([python, join(repo, 'scripts/ansible-min-version.py'), join(work, 'ansible')]);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split('\n')[0]).toBe(VAGRANT_DEFAULTS.ansible.minCoreVersion);
    expect(r.out).toContain('apt: allow_change_held_packages');
  }, 120_000);

  it.skipIf(!tools['ansible-lint'])(`passes ansible-lint with the production profile${needs('ansible-lint')}`, async () => {
    const r = await sh(['ansible-lint', '--offline', '--nocolor', '--profile', 'production', 'playbook.yml'], { cwd: join(work, 'ansible') });
    expect(r.out).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
    expect(r.code).toBe(0);
  }, 180_000);

  it.skipIf(!tools['ansible-playbook'])(`common role, check mode on this machine: finds the interface by address, refuses a missing one${needs('ansible-playbook')}`, async () => {
    const play = join(repo, 'test/fixtures/vagrant/check-common.yml');
    const env = { ANSIBLE_ROLES_PATH: join(work, 'ansible/roles') };
    const ok = await sh(['ansible-playbook', '-i', 'localhost,', '--check', play, '-e', 'node_ip=127.0.0.1'], { env });
    expect(ok.out).toContain('"msg": "host_only_iface=lo mtu=65536"');
    expect(ok.code).toBe(0);
    const bad = await sh(['ansible-playbook', '-i', 'localhost,', '--check', play, '-e', 'node_ip=192.0.2.254'], { env });
    expect(bad.out).toContain('No interface on localhost has 192.0.2.254.');
    expect(bad.code).not.toBe(0);
  }, 180_000);
});

describe.skipIf(!tools.ansible || !kustomizeOk)(
  `CNI overlays rendered by Ansible and built by kubectl kustomize${kustomizeOk ? '' : ' (skipped: needs ansible and a kubectl with kustomize v4+)'}`,
  () => {
  // Every overlay is rendered by one ansible-playbook run (a task each, with its role's variables): an
  // Ansible start is seconds of CPU, and five `ansible -m template` runs were most of this block's time.
  type Role = 'cni_flannel' | 'cni_calico';
  const flannel = (mode: string) => ({ pod_cidr: '10.244.0.0/16', cni_mode: mode, cni_flannel_iface: 'enp0s8', cni_flannel_manifest: 'kube-flannel.yml' });
  const calico = (mode: string, mtu: string) => ({
    pod_cidr: '10.244.0.0/16',
    cni_mode: mode,
    cni_calico_mtu: mtu,
    cni_calico_autodetection: 'interface=^(eth1)$',
    cni_calico_manifest_file: 'calico.yaml',
  });
  const overlays: Record<string, { role: Role; base: string; vars: Record<string, string> }> = {
    'flannel-host-gw': { role: 'cni_flannel', base: 'flannel', vars: flannel('host-gw') },
    'flannel-vxlan': { role: 'cni_flannel', base: 'flannel', vars: flannel('vxlan') },
    'calico-ipip': { role: 'cni_calico', base: 'calico', vars: calico('ipip', '1480') },
    'calico-vxlan': { role: 'cni_calico', base: 'calico', vars: calico('vxlan', '1450') },
    'calico-bgp': { role: 'cni_calico', base: 'calico', vars: calico('bgp', '1500') },
  };
  const dirs: Record<string, string> = {};

  beforeAll(async () => {
    const tasks = Object.entries(overlays).map(([id, o]) => {
      dirs[id] = mkdtempSync(join(work, `${id}-`));
      cpSync(join(repo, 'test/fixtures/vagrant/cni-bases', o.base), dirs[id]!, { recursive: true });
      return {
        name: `render the ${id} overlay`,
        'ansible.builtin.template': { src: join(repo, 'ansible/roles', o.role, 'templates/kustomization.yaml.j2'), dest: join(dirs[id]!, 'kustomization.yaml') },
        vars: o.vars,
      };
    });
    const play = join(work, 'render-overlays.yml');
    writeFileSync(play, JSON.stringify([{ name: 'render the CNI overlays', hosts: 'localhost', connection: 'local', gather_facts: false, tasks }]));
    const r = await sh(['ansible-playbook', '-i', 'localhost,', play]);
    expect(r.code, r.out).toBe(0);
  }, 180_000);

  function build(id: string) {
    const out = execFileSync('kubectl', ['kustomize', dirs[id]!], { encoding: 'utf8' });
    return yaml.loadAll(out) as { kind: string; data?: Record<string, string>; spec?: { template: { spec: { containers: { name: string; args?: string[]; env?: { name: string; value?: string }[]; readinessProbe?: { exec: { command: string[] } } }[] } } } }[];
  }

  it.each(['host-gw', 'vxlan'])('flannel %s: backend in net-conf.json, --iface on the host-only interface', async (mode) => {
    const docs = build(`flannel-${mode}`);
    const conf = JSON.parse(docs.find((d) => d.kind === 'ConfigMap')!.data!['net-conf.json']!);
    expect(conf).toEqual({ Network: '10.244.0.0/16', EnableNFTables: false, Backend: { Type: mode } });
    const ds = docs.find((d) => d.kind === 'DaemonSet')!;
    expect(ds.spec!.template.spec.containers[0]!.args).toEqual(['--ip-masq', '--kube-subnet-mgr', '--iface=enp0s8']);
  }, 120_000);

  it.each([
    ['ipip', 'Always', 'Never', '1480', 'bird'],
    ['vxlan', 'Never', 'Always', '1450', 'vxlan'],
    ['bgp', 'Never', 'Never', '1500', 'bird'],
  ])('calico %s: IPIP=%s VXLAN=%s, MTU %s, backend %s', async (mode, ipip, vxlan, mtu, backend) => {
    const docs = build(`calico-${mode}`);
    const cm = docs.find((d) => d.kind === 'ConfigMap')!;
    expect([cm.data!.veth_mtu, cm.data!.calico_backend]).toEqual([mtu, backend]);
    const node = docs.find((d) => d.kind === 'DaemonSet')!.spec!.template.spec.containers[0]!;
    const env = Object.fromEntries(node.env!.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      IP_AUTODETECTION_METHOD: 'interface=^(eth1)$',
      CALICO_IPV4POOL_CIDR: '10.244.0.0/16',
      CALICO_IPV4POOL_IPIP: ipip,
      CALICO_IPV4POOL_VXLAN: vxlan,
      CLUSTER_TYPE: 'k8s,bgp',
    });
    expect(node.readinessProbe!.exec.command).toEqual(mode === 'vxlan' ? ['/bin/calico-node', '-felix-ready'] : ['/bin/calico-node', '-felix-ready', '-bird-ready']);
  }, 120_000);
  },
);
