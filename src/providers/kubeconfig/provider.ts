// The kubeconfig provider: any cluster kubectl can reach (kind, minikube, a
// cloud cluster, the embedded lab's own API) behind the same Provider
// interface as the netns and vagrant labs. See kubeconfig/README.md.
import { nameFlag } from '../../core/lab-name.js';
import { existsSync } from 'node:fs';
import { MachineError, UsageError } from '../../core/errors.js';
import { kubectlProgram, type RunOptions } from '../../core/exec.js';
import type { ClusterFacts } from '../../core/facts.js';
import type { LabStatus, Provider, ProgressEvent, SpawnSpec, Target, UpOptions } from '../provider.js';
import { nodeRefusal } from './access.js';
import { labApiReader, readOnePod, type ApiReader } from './api-reader.js';
import { readFacts } from './facts.js';
import { kubectlWith, type Kubectl } from './kubectl.js';
import { releaseNamespace, readNamespace } from './namespace.js';
import { deleteDebugPods, execInPod, nodeShellSpec, runOnNode, ttyFlags, type NodeShellContext } from './node-exec.js';
import type { KubeconfigProviderOptions } from './options.js';
import { realOf } from './roles.js';
import { forgetLab, labFiles, readRecord, readVeths, recordedServerVersion, writeRecord, writeVeths, type KubeconfigLabRecord } from './state.js';
import { translateKubectlArgs } from './translate.js';
import { bringUp } from './up.js';
import { hoplabCmd } from '../../core/suggest.js';

export interface KubeconfigProvider extends Provider {
  /** The lab's record (choices, discovery, roles, access), or undefined when it is not up. */
  record(): Promise<KubeconfigLabRecord | undefined>;
}

export function createKubeconfigProvider(opts: KubeconfigProviderOptions): KubeconfigProvider {
  const lab = opts.lab;
  const files = labFiles(lab, opts.env ?? process.env);
  const labEnv = () => ({ KUBECONFIG: files.kubeconfig });
  const notUp = () =>
    new UsageError(`lab '${lab}' is not up on the kubeconfig provider`, `bring it up with 'hoplab up --provider kubeconfig${nameFlag(lab)}'`);

  async function requireRecord(): Promise<KubeconfigLabRecord> {
    const r = await readRecord(files);
    if (!r || !existsSync(files.kubeconfig)) throw notUp();
    return r;
  }

  // Reads without a kubectl process each, where the lab's kubeconfig allows them (reader-plan.ts).
  const apiReader = labApiReader(files.kubeconfig);
  // The record's server version lets kubectlProgram skip gcloud's version dispatcher.
  const labKubectl = (r?: KubeconfigLabRecord): Kubectl => kubectlWith(labEnv(), [], r?.discovery.serverVersion);

  /** The lab's kubectl, and its reader where there is one: what readOnePod, execInPod and readFacts take. */
  async function labVia(r: KubeconfigLabRecord): Promise<{ k: Kubectl; api?: ApiReader }> {
    const api = await apiReader();
    return { k: labKubectl(r), ...(api ? { api } : {}) };
  }

  async function nodeContext(r: KubeconfigLabRecord): Promise<NodeShellContext> {
    const refusal = nodeRefusal(r.access);
    return {
      ...(await labVia(r)),
      env: labEnv(),
      lab,
      ...(r.discovery.serverVersion ? { serverVersion: r.discovery.serverVersion } : {}),
      namespace: r.namespace,
      image: r.debugImage,
      mode: r.nodeExec,
      ...(refusal ? { refusal } : {}),
    };
  }

  /** A node named by role or real name → [real name, role]. */
  async function resolveNode(r: KubeconfigLabRecord, name: string): Promise<[string, string | undefined]> {
    const real = realOf(r.roles, name);
    if (real) return [real, name in r.roles ? name : undefined];
    const names = (await labKubectl(r).run(['get', 'nodes', '-o', 'name'])).stdout.split('\n').map((l) => l.replace(/^node\//, '').trim()).filter(Boolean);
    if (names.includes(name)) return [name, undefined];
    const roles = Object.entries(r.roles).map(([role, n]) => (role === n ? role : `${role} (${n})`));
    throw new UsageError(`no node '${name}' in lab '${lab}'`, `nodes: ${[...roles, ...names.filter((n) => !Object.values(r.roles).includes(n))].join(', ')}`);
  }

  const noHosts = (name: string) =>
    new MachineError(`a kubeconfig lab has no machine '${name}' besides the cluster's nodes`, 'lab hosts (NAT routers, the registry) exist only in the embedded lab: --provider netns');

  const provider: KubeconfigProvider = {
    name: 'kubeconfig',
    lab,
    // From the lab's record: `hoplab kubectl` then runs the kubectl gcloud's dispatcher would pick, without it.
    get kubeVersion() {
      return recordedServerVersion(files);
    },

    record: () => readRecord(files),
    existing: {
      async found() {
        const r = await readRecord(files);
        return r && { cni: r.discovery.cni, summary: `${r.discovery.cni}, ${Object.keys(r.roles).length} nodes with lab roles, namespace ${r.namespace}` };
      },
    },

    async up(o: UpOptions) {
      await bringUp({ opts, files, up: o });
    },

    async down(o: { onEvent?: (event: ProgressEvent) => void } = {}) {
      const emit = o.onEvent ?? (() => undefined);
      const r = await readRecord(files);
      if (!r) {
        emit({ type: 'log', line: `lab '${lab}' has no state on the kubeconfig provider: nothing to remove` });
        await forgetLab(files);
        return;
      }
      emit({ type: 'phase', phase: 'namespace', state: 'start' });
      // The user's own context, as at up: the lab's copy of it may be what is broken.
      const k = existsSync(files.kubeconfig) ? labKubectl(r) : kubectlWith({ KUBECONFIG: r.kubeconfigFiles.join(':') }, ['--context', r.context]);
      await deleteDebugPods(await nodeContext(r)).catch(() => undefined);
      const what = await releaseNamespace(k, r.namespace, lab);
      emit({ type: 'phase', phase: 'namespace', state: 'done', detail: what });
      await forgetLab(files);
    },

    async status(): Promise<LabStatus> {
      const r = await readRecord(files);
      if (!r) return { lab, provider: 'kubeconfig', state: 'down', notes: [] };
      const notes = [
        `context ${r.context} (${r.server}), namespace ${r.namespace}`,
        `roles: ${Object.entries(r.roles).map(([role, n]) => `${role}=${n}`).join(', ')}`,
        ...r.discovery.notes,
      ];
      const refusal = nodeRefusal(r.access);
      if (refusal) notes.push(`commands on nodes are refused: ${refusal}`);
      const status: LabStatus = { lab, provider: 'kubeconfig', state: 'up', cni: r.discovery.cni, kubeconfig: files.kubeconfig, notes };
      try {
        if (!(await readNamespace(labKubectl(r), r.namespace))) {
          notes.push(`namespace ${r.namespace} is gone; '${hoplabCmd(lab, 'down')}' forgets the lab, '${hoplabCmd(lab, 'up --provider kubeconfig')}' makes it again`);
          return { ...status, state: 'partial' };
        }
        status.facts = await provider.facts();
      } catch (err) {
        notes.push(`the cluster cannot be read: ${(err as Error).message}`);
        return { ...status, state: 'partial' };
      }
      return status;
    },

    async run(target: Target, argv: string[], o: RunOptions = {}) {
      const r = await requireRecord();
      if (target.kind === 'node') {
        const [real, role] = await resolveNode(r, target.name);
        return runOnNode(await nodeContext(r), real, role, argv, o);
      }
      if (target.kind === 'pod') {
        const ns = !target.namespace || target.namespace === 'default' ? r.namespace : target.namespace;
        return execInPod(await labVia(r), { namespace: ns, name: target.name }, argv, o);
      }
      throw noHosts(target.name);
    },

    async kubectl(args: string[], o: RunOptions = {}) {
      const r = await requireRecord();
      return labKubectl(r).run(translateKubectlArgs(args, { roles: r.roles, namespace: r.namespace }), o);
    },

    async shell(target: Target, argv?: string[]): Promise<SpawnSpec> {
      const r = await requireRecord();
      if (target.kind === 'node') {
        const [real, role] = await resolveNode(r, target.name);
        return nodeShellSpec(await nodeContext(r), real, role, argv);
      }
      if (target.kind === 'pod') {
        const ns = !target.namespace || target.namespace === 'default' ? r.namespace : target.namespace;
        const inner = argv && argv.length ? argv : ['sh'];
        return { file: kubectlProgram(r.discovery.serverVersion), args: ['exec', ...ttyFlags(), '-n', ns, target.name, '--', ...inner], env: { ...labEnv(), TERM: process.env.TERM ?? 'xterm-256color' } };
      }
      throw noHosts(target.name);
    },

    async kubeEnv() {
      return labEnv();
    },

    // Waits poll this after every step: through the reader it costs no kubectl process.
    async readPod(namespace, name) {
      const r = await requireRecord();
      // A lab's `default` is its own namespace, as in translateKubectlArgs.
      const ns = namespace === 'default' ? r.namespace : namespace;
      return readOnePod(await labVia(r), ns, name, `reading pod ${ns}/${name}`);
    },

    async facts(): Promise<ClusterFacts> {
      const r = await requireRecord();
      const refusal = nodeRefusal(r.access);
      return readFacts({
        ...(await labVia(r)),
        record: r,
        ...(refusal ? {} : { node: await nodeContext(r) }),
        veths: await readVeths(files),
        save: async (rec, veths) => {
          await writeRecord(files, rec);
          await writeVeths(files, veths);
        },
      });
    },
  };
  return provider;
}
