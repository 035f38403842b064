// The vagrant provider: seed 000's VirtualBox cluster behind the same
// Provider interface as the netns lab. See vagrant/README.md.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MachineError, UsageError } from '../../core/errors.js';
import { which, type RunOptions } from '../../core/exec.js';
import type { ClusterFacts } from '../../core/facts.js';
import type { LabStatus, Provider, ProgressEvent, SpawnSpec, Target, UpOptions } from '../provider.js';
import { readCluster, snapshotToFacts, type ClusterAccess } from './cluster-read.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { probeHost } from './host-probe.js';
import { forget, labPaths, writePrivate } from './lab-state.js';
import { shellQuote, sshTransport, vagrantTransport, type NodeTransport, type TransportName } from './node-exec.js';
import type { HostFacts, PreflightCheck } from './preflight.js';
import { loadSettings, vagrantEnv, type SettingsOverrides, type VagrantSettings } from './settings.js';
import { bringUp, runPreflight, verify, type UpDeps } from './up.js';
import { hostImageFetcher, prepareBundle, type Bundle, type ImageFetcher } from './bundle.js';
import { vagrantSnapshots, vagrantSshConfig, vagrantStatus, vagrantStreamed, virtualBoxVms, type VagrantContext } from './vagrant-cli.js';
import type { VerifyCheck } from './verify.js';
import { withLocalHost } from '../local-probe.js';
import { linuxProbes } from '../probes.js';
import { hoplabCmd } from '../../core/suggest.js';

export interface VagrantProviderOptions {
  lab: string;
  /** The project directory holding vagrant/ and ansible/ (default: the current directory). */
  projectDir?: string;
  /** How node commands travel; default `ssh` when OpenSSH is on PATH, else `vagrant`. */
  transport?: TransportName;
  /** Extra environment for vagrant/ssh (tests put a stand-in vagrant first on PATH). */
  env?: Record<string, string>;
  /** Replaces the host probe (tests). */
  probe?: () => Promise<HostFacts>;
  /** Interval between polls of a starting API server (tests shorten it). */
  pollMs?: number;
  /** A bundle from `hoplab vagrant prepare` to provision from (hoplab up --bundle DIR). */
  bundle?: string;
  /** How prepare fetches an image into an archive (default: skopeo, podman or docker). */
  fetchImage?: ImageFetcher;
  /** Where prepare fetches the CNI manifests ({version} is replaced); default defaults.json. */
  manifestUrls?: Record<'flannel' | 'calico', string>;
}

export interface VagrantProvider extends Provider {
  preflight(overrides?: SettingsOverrides): Promise<PreflightCheck[]>;
  /** Restores the snapshot taken right after provisioning. */
  reset(opts?: { onEvent?: (event: ProgressEvent) => void }): Promise<void>;
  /** Runs the post-provisioning network verification again. */
  verify(opts?: { onEvent?: (event: ProgressEvent) => void }): Promise<VerifyCheck[]>;
  /** Builds a bundle in `out` for rooms behind one NAT (hoplab vagrant prepare). */
  prepare(out: string, opts?: { onEvent?: (event: ProgressEvent) => void }): Promise<Bundle>;
}

export function createVagrantProvider(opts: VagrantProviderOptions): VagrantProvider {
  const projectDir = resolve(opts.projectDir ?? process.cwd());
  const vagrantDir = join(projectDir, VAGRANT_DEFAULTS.vagrantDir);
  const settingsFile = join(vagrantDir, VAGRANT_DEFAULTS.settingsFile);
  const paths = labPaths(vagrantDir);
  const baseEnv = opts.env ?? {};
  let transport: NodeTransport | undefined;

  const ctxFor = (settings: VagrantSettings, signal?: AbortSignal): VagrantContext => ({
    dir: vagrantDir,
    env: { ...baseEnv, ...vagrantEnv(opts.lab, settings) },
    ...(signal ? { signal } : {}),
  });

  async function settingsNow(overrides: SettingsOverrides = {}): Promise<VagrantSettings> {
    return loadSettings(settingsFile, overrides);
  }

  async function refreshSsh(ctx: VagrantContext): Promise<void> {
    if ((await chooseTransport(ctx)).name !== 'ssh') return;
    await writePrivate(paths.sshConfig, await vagrantSshConfig(ctx), paths.dir);
  }

  async function chooseTransport(ctx: VagrantContext): Promise<NodeTransport> {
    if (transport) return transport;
    const wanted = opts.transport ?? ((await which('ssh')) ? 'ssh' : 'vagrant');
    if (wanted === 'vagrant') return (transport = vagrantTransport(ctx));
    const ssh = sshTransport(paths.sshConfig, baseEnv);
    // A VM restarted outside hoplab (vagrant reload) may have a new SSH port:
    // read `vagrant ssh-config` again once before giving up.
    transport = {
      ...ssh,
      run: async (node, argv, o) => {
        const first = await ssh.run(node, argv, o);
        if (first.exitCode !== 255 || !/Connection refused|Connection reset|Could not resolve hostname|No route to host/.test(first.stderr)) return first;
        try {
          await writePrivate(paths.sshConfig, await vagrantSshConfig(ctx), paths.dir);
        } catch {
          return first; // the VM is not running: ssh's own message says so
        }
        return ssh.run(node, argv, o);
      },
    };
    return transport;
  }

  /** The transport, with an ssh config present (fetched on first use). */
  async function ready(ctx: VagrantContext): Promise<NodeTransport> {
    const t = await chooseTransport(ctx);
    if (t.name === 'ssh') {
      try {
        await access(paths.sshConfig);
      } catch {
        await refreshSsh(ctx);
      }
    }
    return t;
  }

  function clusterAccess(settings: VagrantSettings, ctx: VagrantContext): ClusterAccess {
    const cp = settings.nodes[0]!.name;
    return {
      kubectl: async (args) => (await ready(ctx)).run(cp, ['kubectl', ...args]),
      onNode: async (node, argv) => (await ready(ctx)).run(node, ['sudo', '-n', '--', ...argv]),
    };
  }

  function deps(settings: VagrantSettings, emit: (e: ProgressEvent) => void, signal?: AbortSignal): UpDeps {
    const ctx = ctxFor(settings, signal);
    return {
      lab: opts.lab,
      ctx,
      settings,
      paths,
      probe: opts.probe ?? (() => probeHost(baseEnv)),
      access: clusterAccess(settings, ctx),
      refreshSsh: () => refreshSsh(ctx),
      emit,
      virtualBoxVms: () => virtualBoxVms(ctx),
      ...(opts.bundle !== undefined ? { bundle: resolve(opts.bundle) } : {}),
      ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
    };
  }

  function nodeName(settings: VagrantSettings, name: string): string {
    if (!settings.nodes.some((n) => n.name === name)) {
      throw new UsageError(`no node '${name}' in the vagrant lab`, `nodes: ${settings.nodes.map((n) => n.name).join(', ')}`);
    }
    return name;
  }

  const noop = () => {};

  const provider: VagrantProvider = {
    name: 'vagrant',
    lab: opts.lab,

    async preflight(overrides = {}) {
      const settings = await settingsNow(overrides);
      return runPreflight(deps(settings, noop));
    },

    async up(o: UpOptions) {
      const settings = await settingsNow({ cni: o.cni, workers: o.workers });
      await bringUp(deps(settings, o.onEvent ?? noop, o.signal));
    },

    async prepare(out, o = {}) {
      const settings = await settingsNow();
      const d = deps(settings, o.onEvent ?? noop);
      return prepareBundle({
        settings,
        out,
        ctx: d.ctx,
        fetchImage: opts.fetchImage ?? (await hostImageFetcher(baseEnv)),
        ...(opts.manifestUrls ? { manifestUrls: opts.manifestUrls } : {}),
        emit: d.emit,
      });
    },

    async verify(o = {}) {
      const settings = await settingsNow();
      return verify(deps(settings, o.onEvent ?? noop));
    },

    async reset(o = {}) {
      const settings = await settingsNow();
      const d = deps(settings, o.onEvent ?? noop);
      const snaps = await vagrantSnapshots(d.ctx);
      const missing = settings.nodes.filter((n) => !snaps.get(n.name)?.includes(VAGRANT_DEFAULTS.snapshotName));
      if (missing.length > 0) {
        throw new UsageError(
          `no '${VAGRANT_DEFAULTS.snapshotName}' snapshot on ${missing.map((n) => n.name).join(', ')}`,
          `run '${hoplabCmd(opts.lab, 'up --provider vagrant')}' first; it takes the snapshot once provisioning succeeded`,
        );
      }
      const r = await vagrantStreamed(
        d.ctx,
        ['snapshot', 'restore', '--no-provision', VAGRANT_DEFAULTS.snapshotName],
        VAGRANT_DEFAULTS.timeoutsMs.snapshot,
        d.emit,
      );
      if (r.exitCode !== 0) {
        const why = [...r.summary.failed].map(([vm, w]) => `${vm}: ${w}`).join('; ') || r.summary.errorLines.join(' ');
        throw new MachineError(`vagrant snapshot restore failed: ${why}`, `${hoplabCmd(opts.lab, 'down')} && ${hoplabCmd(opts.lab, 'up --provider vagrant')} rebuilds the cluster`);
      }
      await refreshSsh(d.ctx);
    },

    async down(o = {}) {
      const settings = await settingsNow();
      const d = deps(settings, o.onEvent ?? noop);
      const r = await vagrantStreamed(d.ctx, ['destroy', '-f', '--no-color'], VAGRANT_DEFAULTS.timeoutsMs.destroy, d.emit);
      if (r.exitCode !== 0) throw new MachineError(`vagrant destroy failed: ${r.summary.errorLines.join(' ') || `exit ${r.exitCode}`}`);
      await forget(paths);
    },

    async status(): Promise<LabStatus> {
      const settings = await settingsNow();
      const ctx = ctxFor(settings);
      let states: Map<string, string>;
      try {
        states = await vagrantStatus(ctx);
      } catch (err) {
        // No vagrant, or no usable provider (no VirtualBox): nothing can be running.
        return { lab: opts.lab, provider: 'vagrant', state: 'down', cni: settings.cni, notes: [(err as Error).message] };
      }
      const running = settings.nodes.filter((n) => states.get(n.name) === 'running');
      const created = settings.nodes.filter((n) => (states.get(n.name) ?? 'not_created') !== 'not_created');
      const notes = settings.nodes.filter((n) => states.get(n.name) !== 'running').map((n) => `${n.name}: ${states.get(n.name) ?? 'not in the Vagrantfile'}`);
      const state = running.length === settings.nodes.length ? 'up' : created.length === 0 ? 'down' : 'partial';
      const status: LabStatus = { lab: opts.lab, provider: 'vagrant', state, cni: settings.cni, notes };
      if (state === 'up') {
        status.kubeconfig = paths.kubeconfig;
        try {
          status.facts = await provider.facts();
        } catch (err) {
          notes.push(`cluster facts unavailable: ${(err as Error).message}`);
        }
      }
      return status;
    },

    async run(target: Target, argv: string[], o: RunOptions = {}) {
      const settings = await settingsNow();
      const ctx = ctxFor(settings);
      if (target.kind === 'node') return (await ready(ctx)).run(nodeName(settings, target.name), ['sudo', '-n', '--', ...argv], o);
      if (target.kind === 'pod') return provider.kubectl(['exec', '-n', target.namespace ?? 'default', target.name, '--', ...argv], o);
      throw new MachineError(`the vagrant lab has no machine '${target.name}' besides its nodes`, 'this lab step needs --provider netns');
    },

    async kubectl(args: string[], o: RunOptions = {}) {
      const settings = await settingsNow();
      return (await ready(ctxFor(settings))).run(settings.nodes[0]!.name, ['kubectl', ...args], o);
    },

    async shell(target: Target, argv?: string[]): Promise<SpawnSpec> {
      const settings = await settingsNow();
      const t = await ready(ctxFor(settings));
      if (target.kind === 'node') return t.spawn(nodeName(settings, target.name), argv ? ['sudo', '-n', '--', ...argv] : undefined);
      if (target.kind === 'pod') {
        const inner = argv ?? ['sh'];
        return t.spawn(settings.nodes[0]!.name, ['kubectl', 'exec', '-it', '-n', target.namespace ?? 'default', target.name, '--', ...inner]);
      }
      throw new MachineError(`the vagrant lab has no machine '${target.name}' besides its nodes`);
    },

    async kubeEnv() {
      try {
        await access(paths.kubeconfig);
      } catch {
        throw new MachineError('the vagrant lab has no kubeconfig yet', `run '${hoplabCmd(opts.lab, 'up --provider vagrant')}'`);
      }
      return { KUBECONFIG: paths.kubeconfig };
    },

    async facts(): Promise<ClusterFacts> {
      const settings = await settingsNow();
      const snap = await readCluster(clusterAccess(settings, ctxFor(settings)), settings);
      const { cniEvidence: _evidence, ...facts } = snapshotToFacts(snap, settings);
      return facts;
    },
  };
  // The lab's "host" (192.168.56.1 on the host-only network) is the learner's own
  // computer: route and HTTP checks on it ask this machine, read-only.
  provider.probes = withLocalHost((t) => t.kind === 'host' && t.name === 'host', linuxProbes(provider));
  return provider;
}

export { shellQuote };
