// `hoplab up --provider vagrant`: preflight, `vagrant up` (which provisions
// once all VMs are up), provisioning again only when VMs already existed, a
// snapshot of the provisioned cluster, the admin kubeconfig, and the network
// verification. Resumes instead of rebuilding when the VMs are there.
import { MachineError, UsageError } from '../../core/errors.js';
import type { ProgressEvent } from '../provider.js';
import { kubeObjects, readCluster, type ClusterAccess } from './cluster-read.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { forget, readBuilt, writeBuilt, writePrivate, type LabPaths } from './lab-state.js';
import { chooseAnsibleMode, preflightChecks, type HostFacts, type PreflightCheck } from './preflight.js';
import type { VagrantSettings } from './settings.js';
import { vagrantSnapshots, vagrantStatus, vagrantStreamed, type StreamedRun, type VagrantContext } from './vagrant-cli.js';
import { verifyNetwork, type VerifyCheck } from './verify.js';
import { addBundleBox, checkBundle } from './bundle.js';
import { hoplabCmd } from '../../core/suggest.js';

export interface UpDeps {
  lab: string;
  ctx: VagrantContext;
  settings: VagrantSettings;
  paths: LabPaths;
  probe: () => Promise<HostFacts>;
  access: ClusterAccess;
  /** Re-reads `vagrant ssh-config` after VMs (re)started: their forwarded ports may change. */
  refreshSsh: () => Promise<void>;
  emit: (e: ProgressEvent) => void;
  /** Lists VirtualBox's VMs by name (`VBoxManage list vms`); undefined when it cannot. */
  virtualBoxVms: () => Promise<string[] | undefined>;
  /** Interval between API polls (tests shorten it). */
  pollMs?: number;
  /** Absolute path of a bundle (hoplab up --bundle DIR). */
  bundle?: string;
}

function phase(p: string, state: 'start' | 'done' | 'failed', node?: string, detail?: string): ProgressEvent {
  return { type: 'phase', phase: p, state, ...(node ? { node } : {}), ...(detail ? { detail } : {}) };
}

export function preflightError(failed: PreflightCheck[]): MachineError {
  const noVbox = failed.find((c) => c.check === 'virtualbox' && /not installed/.test(c.detail));
  if (noVbox) {
    return new MachineError(`the vagrant lab needs VirtualBox, and this machine has none: ${noVbox.detail}`, noVbox.fix);
  }
  const lines = failed.map((c) => `- ${c.check}: ${c.detail}${c.fix ? `\n  fix: ${c.fix}` : ''}`);
  return new MachineError(`the vagrant lab cannot start here:\n${lines.join('\n')}`, failed[0]?.fix);
}

export async function runPreflight(deps: UpDeps): Promise<PreflightCheck[]> {
  const host = await deps.probe();
  // The Vagrantfile reads HOPLAB_ANSIBLE too, so both sides agree on where Ansible runs.
  const mode = chooseAnsibleMode(host, deps.ctx.env.HOPLAB_ANSIBLE ?? process.env.HOPLAB_ANSIBLE);
  deps.ctx.env.HOPLAB_ANSIBLE = mode;
  const checks = preflightChecks(host, deps.settings, mode, deps.lab);
  for (const c of checks) {
    const detail = c.ok ? `${c.warning ? 'warning: ' : ''}${c.detail}${c.warning && c.fix ? ` (${c.fix})` : ''}` : `${c.detail}${c.fix ? ` (fix: ${c.fix})` : ''}`;
    deps.emit(phase(`preflight: ${c.check}`, c.ok ? 'done' : 'failed', undefined, detail));
  }
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) throw preflightError(failed);
  return checks;
}

function streamFailure(what: string, run: StreamedRun, lab: string): MachineError {
  const vms = [...run.summary.failed].map(([vm, why]) => `${vm}: ${why}`);
  const why = vms.length > 0 ? vms.join('; ') : run.summary.errorLines.slice(0, 6).join(' ') || `exit ${run.exitCode}`;
  return new MachineError(
    `${what} failed: ${why}`,
    `fix the cause above, then run ${hoplabCmd(lab, 'up --provider vagrant')} again: it resumes with the VMs that exist (${hoplabCmd(lab, 'down')} starts over)`,
  );
}

export async function bringUp(deps: UpDeps): Promise<VerifyCheck[]> {
  const { settings, emit } = deps;
  await runPreflight(deps);

  const states = await vagrantStatus(deps.ctx);
  const existing = settings.nodes.filter((n) => (states.get(n.name) ?? 'not_created') !== 'not_created');
  let built = await readBuilt(deps.paths);
  // hoplab's record follows the VMs: when none is left (destroyed outside
  // hoplab), there is nothing to resume and nothing to refuse.
  if (built && existing.length === 0) {
    await forget(deps.paths);
    built = undefined;
    emit(phase('state', 'done', undefined, 'no VM of the cluster built before exists any more: building afresh'));
  }
  const workers = settings.nodes.length - 1;
  if (built && (built.cni !== settings.cni || built.workers !== workers)) {
    throw new UsageError(
      `the vagrant cluster was built as ${built.cni} with ${built.workers} workers; ${settings.cni} with ${workers} was asked for`,
      `run '${hoplabCmd(deps.lab, 'down')}' first to rebuild it, or ask for what it is`,
    );
  }
  await refuseNameClash(deps, settings.nodes.filter((n) => !existing.includes(n)).map((n) => n.name));
  if (deps.bundle) await useBundle(deps, deps.bundle);
  const allRunning = settings.nodes.every((n) => states.get(n.name) === 'running');
  let provisioned = Boolean(built);
  if (existing.length > 0) {
    const snaps = await vagrantSnapshots(deps.ctx);
    provisioned &&= settings.nodes.every((n) => snaps.get(n.name)?.includes(VAGRANT_DEFAULTS.snapshotName));
    emit(phase('resume', 'done', undefined, `${existing.map((n) => `${n.name} ${states.get(n.name)}`).join(', ')}${provisioned ? '; provisioned' : ''}`));
  }

  if (!(allRunning && provisioned)) {
    const up = await vagrantStreamed(deps.ctx, ['up', '--no-color'], VAGRANT_DEFAULTS.timeoutsMs.up, emit);
    if (up.exitCode !== 0) throw streamFailure('vagrant up', up, deps.lab);
    await deps.refreshSsh();
    // The provisioner runs inside `vagrant up` only when the last VM is new;
    // VMs that already existed need an explicit run (the roles are idempotent).
    if (!provisioned && !up.summary.provisionerRan) {
      const last = settings.nodes.at(-1)!.name;
      const prov = await vagrantStreamed(deps.ctx, ['provision', last, '--no-color'], VAGRANT_DEFAULTS.timeoutsMs.provision, emit);
      if (prov.exitCode !== 0) throw streamFailure('vagrant provision', prov, deps.lab);
    }
    if (!provisioned) {
      await writeBuilt(deps.paths, { lab: deps.lab, cni: settings.cni, workers, provisionedAt: new Date().toISOString() });
      emit(phase('snapshot', 'start'));
      const snap = await vagrantStreamed(
        deps.ctx,
        ['snapshot', 'save', '--force', VAGRANT_DEFAULTS.snapshotName],
        VAGRANT_DEFAULTS.timeoutsMs.snapshot,
        emit,
      );
      if (snap.exitCode !== 0) throw streamFailure('vagrant snapshot save', snap, deps.lab);
      emit(phase('snapshot', 'done', undefined, `'${VAGRANT_DEFAULTS.snapshotName}': hoplab reset returns here`));
    }
  } else {
    await deps.refreshSsh();
  }
  // VMs that were powered off (a reboot) come back with a cold control plane:
  // wait for it, the nodes and the CNI before reading or judging anything.
  if (provisioned && !allRunning) await waitForCluster(deps);

  emit(phase('kubeconfig', 'start'));
  const cp = settings.nodes[0]!.name;
  const conf = await deps.access.onNode(cp, ['cat', '/etc/kubernetes/admin.conf']);
  if (conf.exitCode !== 0) throw new MachineError(`cannot read the admin kubeconfig on ${cp}: ${conf.stderr.trim()}`);
  await writePrivate(deps.paths.kubeconfig, conf.stdout, deps.paths.dir);
  emit(phase('kubeconfig', 'done', undefined, deps.paths.kubeconfig));

  return verify(deps);
}

/** Checks the bundle, adds its box, and tells the Vagrantfile to share it into the VMs. */
async function useBundle(deps: UpDeps, dir: string): Promise<void> {
  deps.emit(phase('bundle', 'start', undefined, dir));
  const b = await checkBundle(dir, deps.settings);
  const added = await addBundleBox(dir, b, deps.ctx, deps.paths.dir);
  deps.ctx.env.HOPLAB_BUNDLE = dir;
  const sets = new Set(['kubernetes', deps.settings.cni.split('-')[0]!, 'labs']);
  deps.emit(phase('bundle', 'done', undefined, `${b.images.filter((i) => sets.has(i.set)).length} images to import, box ${b.box.name} ${b.box.version}${added ? ' added' : ' already there'}`));
}

/**
 * VirtualBox names VMs <lab>-<node> (vagrant/Vagrantfile). A VM of that name
 * that this checkout's Vagrant does not know (another clone, a deleted
 * .vagrant/) would make `vagrant up` fail half-way; say so before.
 */
async function refuseNameClash(deps: UpDeps, notCreated: string[]): Promise<void> {
  if (notCreated.length === 0) return;
  const vms = await deps.virtualBoxVms();
  if (!vms) return;
  const clash = notCreated.map((n) => `${deps.lab}-${n}`).filter((name) => vms.includes(name));
  if (clash.length === 0) return;
  throw new MachineError(
    `VirtualBox already has ${clash.join(', ')}, which this checkout's Vagrant did not create (another clone of hoplab, or a deleted vagrant/.vagrant)`,
    `use another lab name (hoplab up --name ...), bring it down from the checkout that made it, or delete it: ${clash.map((c) => `VBoxManage unregistervm '${c}' --delete`).join('; ')}`,
  );
}

const CNI_DAEMONSET: Record<string, { namespace: string; name: string }> = {
  flannel: { namespace: 'kube-flannel', name: 'kube-flannel-ds' },
  calico: { namespace: 'kube-system', name: 'calico-node' },
};

/** After VMs that existed were booted: the API answering, every node Ready, the CNI's pods rolled out. */
export async function waitForCluster(deps: UpDeps): Promise<void> {
  const { emit, settings, access } = deps;
  emit(phase('wait for the cluster', 'start'));
  const deadline = Date.now() + VAGRANT_DEFAULTS.timeoutsMs.clusterReady;
  const secondsLeft = () => Math.max(1, Math.round((deadline - Date.now()) / 1000));
  const cp = settings.nodes[0]!.name;
  for (;;) {
    const r = await access.kubectl(['get', '--raw', '/readyz']);
    if (r.exitCode === 0) break;
    if (Date.now() >= deadline) {
      throw new MachineError(
        `the API server on ${cp} did not answer within ${VAGRANT_DEFAULTS.timeoutsMs.clusterReady / 1000} s of the VMs starting: ${(r.stderr || r.stdout).trim().slice(0, 300)}`,
        `look at it: ${hoplabCmd(deps.lab, `ssh ${cp}`)}, then sudo crictl ps -a and journalctl -u kubelet; ${hoplabCmd(deps.lab, 'reset')} returns to the snapshot`,
      );
    }
    await new Promise((res) => setTimeout(res, deps.pollMs ?? VAGRANT_DEFAULTS.apiPollMs));
  }
  const nodes = await access.kubectl(['wait', '--for=condition=Ready', 'node', '--all', `--timeout=${secondsLeft()}s`]);
  if (nodes.exitCode !== 0) throw new MachineError(`nodes did not become Ready after the VMs started: ${(nodes.stderr || nodes.stdout).trim().slice(0, 300)}`);
  const ds = CNI_DAEMONSET[settings.cni.split('-')[0]!]!;
  const cni = await access.kubectl(['-n', ds.namespace, 'rollout', 'status', `daemonset/${ds.name}`, `--timeout=${secondsLeft()}s`]);
  if (cni.exitCode !== 0) throw new MachineError(`${ds.name} pods did not come back after the VMs started: ${(cni.stderr || cni.stdout).trim().slice(0, 300)}`);
  emit(phase('wait for the cluster', 'done', undefined, `API answers, ${settings.nodes.length} node(s) Ready, ${ds.name} rolled out`));
}

/** The network verification, reported as one event per check; throws when any failed. */
export async function verify(deps: UpDeps): Promise<VerifyCheck[]> {
  deps.emit(phase('verify', 'start'));
  const snap = await readCluster(deps.access, deps.settings);
  const k = kubeObjects(snap);
  const checks = verifyNetwork({ cni: deps.settings.cni, kubeNodes: k.nodes, kubePods: k.pods, nodes: snap.nodes });
  for (const c of checks) deps.emit(phase(`verify: ${c.check}`, c.ok ? 'done' : 'failed', c.node, c.detail));
  const failed = checks.filter((c) => !c.ok);
  deps.emit(phase('verify', failed.length === 0 ? 'done' : 'failed', undefined, `${checks.length - failed.length}/${checks.length} checks passed`));
  if (failed.length > 0) {
    throw new MachineError(
      `the cluster is up but its network is not the seed's:\n${failed.map((c) => `- ${c.node ? `${c.node}: ` : ''}${c.detail}`).join('\n')}`,
      `see vagrant/README.md (troubleshooting); ${hoplabCmd(deps.lab, 'down')} && ${hoplabCmd(deps.lab, 'up --provider vagrant')} rebuilds`,
    );
  }
  return checks;
}
