// The netns provider: the seed's cluster as network namespaces on this
// machine, with a daemon serving the Kubernetes API that the real kubectl
// talks to. `up` builds the data plane in the foreground (so progress and
// failures reach the user directly), then starts the daemon and returns.
import { nameFlag } from '../../core/lab-name.js';
import { CNI_MODE_INFO } from '../../core/cni-modes.js';
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { openSync, closeSync, existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, InterruptedError, MachineError, UsageError } from '../../core/errors.js';
import { isRoot, needsRoot } from '../../core/root.js';
import { packageRoot } from '../../core/package-root.js';
import { kubectlProgram, run } from '../../core/exec.js';
import type { PodFacts, ServiceFacts } from '../../core/facts.js';
import { readServices } from '../kube-facts.js';
import type { Provider, ProgressEvent, SpawnSpec, Target, UpOptions } from '../provider.js';
import { apiRequest } from './api-client.js';
import { execOverApi } from '../../kube/exec-client.js';
import { checkProxyMode } from './proxy-mode.js';
import { buildDataPlane } from './build.js';
import { missingLinkTypes, probeNamespace } from './kernel.js';
import { hostNamespaces, labFacts } from './facts.js';
import { prepareImages } from './images.js';
import { probeModes } from './modes/support.js';
import { daemonTitle, nodeNs } from './names.js';
import { inNsAs } from './namespaces.js';
import { planLab, type LabPlan } from './plan.js';
import { installCommand, missingRequirements } from './requirements.js';
import { addLan } from './lan-add.js';
import { locateSpawnerHelper, withNativeSpawner } from './init-helper.js';
import { lanNamespaces, withLanFacts } from './lan-facts.js';
import { kubeconfigFor, labPaths, readApiRecord, readLabRecord, writeLabRecord } from './state.js';
import { findDaemon, labNamespaces, teardownLab } from './teardown.js';
import { hoplabCmd } from '../../core/suggest.js';
import { KUBE_VERSION } from './kube-version.js';


// The daemon runs from the TypeScript build, wherever this code runs from:
// the CLI's bundle (scripts/bundle-cli.mjs) or the sources (tests).
/**
 * The daemon's bundle (scripts/bundle-cli.mjs): one file, which Node starts in 0.25 s where tsc's
 * 200 modules took 0.5 s, on `up`'s critical path. A profiled daemon (HOPLAB_DAEMON_NODE_ARGS) runs
 * from tsc's output, so its profile names the modules.
 */
export const daemonScript = (): string => {
  const bundle = join(packageRoot(), 'dist', 'bundle', 'daemon.js');
  return !process.env.HOPLAB_DAEMON_NODE_ARGS && existsSync(bundle) ? bundle : join(packageRoot(), 'dist', 'src', 'providers', 'netns', 'daemon.js');
};

async function preflight(lab: string, opts: UpOptions): Promise<void> {
  if (!isRoot()) throw needsRoot('the netns provider builds network namespaces');
  await checkProxyMode(opts.proxyMode, lab);
  const missing = await missingRequirements(undefined, { forUp: true });
  if (missing.length) {
    throw new MachineError(
      `missing on this machine: ${missing.map((m) => m.what).join(', ')}`,
      `run 'sudo hoplab doctor --install', or: ${installCommand(missing)}`,
    );
  }
  // Probe what this mode needs first (none of it for host-gw); all modes only to say which work.
  const needed = CNI_MODE_INFO[opts.cni].kernelLinks.filter((t) => t !== 'bridge' && t !== 'veth');
  if (needed.length && (await missingLinkTypes(lab, needed)).length) {
    const support = await probeModes(lab);
    const refused = support.refused.find((r) => r.mode === opts.cni) ?? { missing: needed };
    const kernel = (await run(['uname', '-r'])).stdout.trim();
    throw new MachineError(
      `--cni ${opts.cni} needs the kernel's ${refused.missing.join(', ')} support, which this kernel (${kernel}) lacks`,
      support.working.length
        ? `modes that work on this kernel: ${support.working.join(', ')} (hoplab never substitutes one mode for another)`
        : 'no CNI mode works on this kernel',
    );
  }
}

/** How long the daemon may take, after the data plane is built, to answer with DNS resolving: only a hung daemon takes longer (20 workers on a machine at load average 20 took over 20 s). */
const READY_MS = 60_000;

interface DaemonStart {
  /** Tells the daemon the nodes are wired: pod sandboxes and kube-proxy's rules may be made. */
  nodesWired(): void;
  /** Tells the daemon the data plane is built: images can be pulled from the registry. */
  go(): void;
  /** Resolves once the API answers and the kubeconfig is written. */
  ready: Promise<void>;
}

/**
 * Starts the lab daemon. It boots (Node, the API, its certificate) and
 * creates the cluster DNS objects while `up` builds the data plane; it makes
 * pod sandboxes and kube-proxy's rules after nodesWired(), pulls images
 * after go().
 */
function startDaemon(lab: string, signal?: AbortSignal): DaemonStart {
  const paths = labPaths(lab);
  const logFd = openSync(paths.daemonLog, 'a', 0o600);
  // HOPLAB_DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=DIR") is how the benchmark profiles the
  // daemon: Node refuses --cpu-prof in NODE_OPTIONS.
  const nodeArgs = (process.env.HOPLAB_DAEMON_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, daemonScript(), lab], {
    argv0: daemonTitle(lab),
    detached: true,
    stdio: ['pipe', 'pipe', logFd],
  });
  closeSync(logFd);
  child.stdin!.on('error', () => undefined); // a daemon that died is reported by its exit
  // The time allowed counts from go(): before, the daemon waits for `up`'s build, however long that takes.
  let startClock: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    const fail = (why: string) => {
      cleanup();
      reject(new MachineError(`the lab daemon did not start: ${why}`, `see ${paths.daemonLog}`));
    };
    let timer: NodeJS.Timeout | undefined;
    startClock = () => (timer ??= setTimeout(() => fail(`no answer within ${READY_MS / 1000} s of the data plane being built`), READY_MS));
    const onAbort = () => fail('cancelled');
    const onExit = (code: number | null) => fail(`it exited with ${code}`);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.off('exit', onExit);
      child.stdout?.destroy();
      child.stdin?.destroy();
      child.unref();
    };
    signal?.addEventListener('abort', onAbort);
    child.on('exit', onExit);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) {
        cleanup();
        resolve();
      }
    });
  });
  ready.catch(() => undefined); // awaited by up; a failed build tears the daemon down first
  return {
    nodesWired: () => void child.stdin?.write('nodes\n'),
    go: () => {
      startClock();
      child.stdin?.end('go\n');
    },
    ready,
  };
}

async function apiPods(lab: string): Promise<PodFacts[]> {
  const api = await readApiRecord(lab);
  if (!api) return [];
  const res = await apiRequest<{ items: any[] }>(api, 'GET', '/api/v1/pods');
  if (res.status !== 200) throw new MachineError(`the lab's API answered ${res.status} listing pods`);
  const list = res.json;
  return Promise.all(
    list.items
      .filter((p) => p.spec?.nodeName && p.status?.podIP)
      .map(async (p): Promise<PodFacts> => {
        const cni = await readFile(join(labPaths(lab).pod(p.metadata.uid), 'cni.json'), 'utf8')
          .then((t) => JSON.parse(t) as { hostVeth?: string })
          .catch(() => undefined);
        return {
          name: p.metadata.name,
          namespace: p.metadata.namespace,
          node: p.spec.nodeName,
          ip: p.status.podIP,
          phase: p.status.phase,
          ...(cni?.hostVeth ? { hostVeth: cni.hostVeth } : {}),
        };
      }),
  );
}

/** Services with their ready endpoints, read from the lab's API as from any cluster's. */
async function apiServices(lab: string): Promise<ServiceFacts[]> {
  const api = await readApiRecord(lab);
  if (!api) return [];
  const [svcs, slices] = await Promise.all([
    apiRequest<{ items?: any[] }>(api, 'GET', '/api/v1/services'),
    apiRequest<{ items?: any[] }>(api, 'GET', '/apis/discovery.k8s.io/v1/endpointslices'),
  ]);
  // A daemon from before Services were served answers 404: no services then.
  if (svcs.status !== 200) return [];
  return readServices(svcs.json.items ?? [], slices.status === 200 ? (slices.json.items ?? []) : []);
}

export function createNetnsProvider(lab: string): Provider {
  const paths = labPaths(lab);

  async function requirePlan(): Promise<LabPlan> {
    const rec = await readLabRecord(lab);
    if (!rec || !(await findDaemon(lab))) {
      throw new UsageError(`lab '${lab}' is not up`, `start it with 'sudo hoplab up${nameFlag(lab)}'`);
    }
    return rec.plan;
  }

  async function targetArgv(target: Target, argv: string[]): Promise<string[]> {
    const plan = await requirePlan();
    if (target.kind !== 'pod' && !isRoot()) {
      throw needsRoot(`${target.name} is a network namespace of lab '${lab}': entering it takes root (pods do not: ${hoplabCmd(lab, 'ssh pod/NAME')})`);
    }
    if (target.kind === 'node') {
      if (!plan.nodes.some((n) => n.name === target.name)) {
        throw new UsageError(`no node '${target.name}' in lab '${lab}'`, `nodes: ${plan.nodes.map((n) => n.name).join(', ')}`);
      }
      return inNsAs(nodeNs(lab, target.name), target.name, argv);
    }
    if (target.kind === 'host') {
      const hosts = { ...hostNamespaces(plan), ...lanNamespaces(plan) };
      const ns = hosts[target.name];
      if (!ns) {
        // `ssh node-3` on a two-worker lab lands here: name the nodes too.
        const nodes = plan.nodes.map((n) => n.name);
        throw new UsageError(`no node or host '${target.name}' in lab '${lab}'`, `nodes: ${nodes.join(', ')}; hosts: ${Object.keys(hosts).join(', ') || 'none'}`);
      }
      return inNsAs(ns, target.name, argv);
    }
    return [kubectlProgram(KUBE_VERSION), 'exec', '-n', target.namespace ?? 'default', target.name, '--', ...argv];
  }

  const kubeEnv = async () => ({ KUBECONFIG: await kubeconfigFor(lab) });
  // On a node, kubectl talks to the API where the seed's does: the control plane's 192.168.56.10:6443.
  const envFor = async (target: Target) => (target.kind === 'node' ? { KUBECONFIG: paths.labKubeconfig } : kubeEnv());

  /** `up`'s build, once the preflight passed: the daemon, the images and the data plane; torn down whole when it fails. */
  async function buildLab(plan: LabPlan, opts: UpOptions): Promise<void> {
    const emit = opts.onEvent ?? (() => undefined);
    let images: Promise<void> | undefined;
    try {
      // Between phases too: a Ctrl-C that lands between two commands must still stop `up`.
      const stopIfAborted = () => opts.signal?.throwIfAborted();
      await writeLabRecord(lab, { version: 1, plan, workers: opts.workers, createdAt: new Date().toISOString() });
      emit({ type: 'phase', phase: 'api', state: 'start' });
      const daemon = startDaemon(lab, opts.signal);
      // Nothing reads the images before go() (the pulls wait for it): they are written while the data plane is built.
      // The registry (busybox httpd -h) starts in its directory, which must be there by then.
      await mkdir(paths.registry, { recursive: true });
      images = prepareImages(paths);
      images.catch(() => undefined); // awaited below, or before the teardown
      await buildDataPlane(plan, paths, emit, opts.signal, { nodesWired: daemon.nodesWired });
      await images;
      stopIfAborted();
      daemon.go();
      await daemon.ready;
      stopIfAborted();
      emit({ type: 'phase', phase: 'api', state: 'done', detail: paths.kubeconfig });
    } catch (err) {
      // Never leave a half-built lab behind (nor images still being written into its directory).
      await images?.catch(() => undefined);
      const undone = await teardownLab(lab).then(
        () => undefined,
        (e: unknown) => e,
      );
      // Saying "nothing was left behind" is only true when the teardown said so.
      if (undone) {
        const what = opts.signal?.aborted ? 'up was interrupted' : `up failed (${errorMessage(err)})`;
        throw new MachineError(`${what}, and taking back what it built failed: ${errorMessage(undone)}`, `run '${hoplabCmd(lab, 'down')}'`);
      }
      if (opts.signal?.aborted) throw new InterruptedError('up was interrupted; nothing of the lab was left behind');
      throw err;
    }
  }

  return {
    name: 'netns',
    lab,
    buildsOfficeLan: true,
    kubeVersion: KUBE_VERSION,
    async workingModes() {
      // The kernel probe builds a throwaway namespace of the lab's own: root only.
      if (process.getuid?.() !== 0) return undefined;
      return (await probeModes(lab)).working;
    },
    async machineNeeds() {
      const lacking = await missingRequirements();
      const root = process.getuid?.() === 0 ? [] : ['root (start hoplab with sudo)'];
      return { missing: [...root, ...lacking.map((m) => m.what)], ...(lacking.length ? { install: installCommand(lacking) } : {}) };
    },
    async up(opts) {
      const emit = opts.onEvent ?? (() => undefined);
      // Found (or built, the first time) while the preflight runs.
      const helper = locateSpawnerHelper();
      await preflight(lab, opts);
      const running = await readLabRecord(lab);
      if (running && (await findDaemon(lab))) {
        const same = running.plan.cni === opts.cni && running.workers === opts.workers;
        if (same && opts.lan && !running.plan.lan) {
          emit({ type: 'log', line: `lab '${lab}' is up: adding the office LAN` });
          await addLan(running, emit, opts.signal);
          return;
        }
        if (same) {
          emit({ type: 'log', line: `lab '${lab}' is already up (${running.plan.cni}, ${running.workers} workers${running.plan.lan ? ', office LAN' : ''})` });
          return;
        }
        throw new UsageError(
          `lab '${lab}' is already up with ${running.plan.cni} and ${running.workers} workers`,
          `run 'hoplab down${nameFlag(lab)}' first, or pick another --name`,
        );
      }
      if ((await labNamespaces(lab)).length || existsSync(paths.dir)) {
        emit({ type: 'log', line: `removing what an earlier run of lab '${lab}' left behind` });
        await teardownLab(lab);
      }
      const plan = planLab(lab, opts.cni, opts.workers, { lan: opts.lan });
      // Every command of the build listens to the signal, a dozen at once with 10 workers: not a leak.
      if (opts.signal) setMaxListeners(0, opts.signal);
      // The build's programs (ip, the namespaces' scripts, dnsmasq, the registry) start through the native
      // spawner helper: Node's spawn (execa's) from this process cost 450 ms of `up`'s CPU on a loaded machine.
      await withNativeSpawner('hoplab-up-spawner', () => buildLab(plan, opts), helper);
    },
    async down(opts) {
      if (!isRoot()) throw needsRoot(`taking lab '${lab}' down removes network namespaces and processes that are root's`);
      await teardownLab(lab, opts?.onEvent ?? ((_: ProgressEvent) => undefined));
    },
    async status() {
      const rec = await readLabRecord(lab);
      const daemon = await findDaemon(lab);
      // The kernel probe's throwaway namespace is not part of the lab.
      const namespaces = (await labNamespaces(lab)).filter((n) => n !== probeNamespace(lab));
      const notes: string[] = [];
      if (!rec && !namespaces.length && !daemon) return { lab, provider: 'netns', state: 'down', notes };
      if (!rec || !daemon) {
        notes.push(`${namespaces.length} namespaces of this lab exist but ${daemon ? 'its state is gone' : 'its daemon is not running'}; run 'hoplab down${nameFlag(lab)}' to clean up`);
        return { lab, provider: 'netns', state: 'partial', cni: rec?.plan.cni, notes };
      }
      const facts = await withLanFacts(labFacts(rec.plan, await apiPods(lab), await apiServices(lab)), rec.plan);
      return { lab, provider: 'netns', state: 'up', cni: rec.plan.cni, kubeconfig: await kubeconfigFor(lab), facts, notes };
    },
    async run(target, argv, opts) {
      // A lab's own commands in a pod go to the exec API without starting kubectl (kube/exec-client.ts).
      const api = target.kind === 'pod' ? await readApiRecord(lab).catch(() => undefined) : undefined;
      if (target.kind === 'pod' && api) {
        const r = await execOverApi(api, { namespace: target.namespace ?? 'default', name: target.name }, argv, opts);
        if (!('unsupported' in r)) return r;
      }
      const full = await targetArgv(target, argv);
      return run(full, { ...opts, env: { ...(await envFor(target)), ...opts?.env } });
    },
    async kubectl(args, opts) {
      await requirePlan();
      return run([kubectlProgram(KUBE_VERSION), ...args], { ...opts, env: { ...(await kubeEnv()), ...opts?.env } });
    },
    async shell(target, argv) {
      const interactive = !argv || argv.length === 0;
      const full =
        target.kind === 'pod'
          ? (await requirePlan(),
            [kubectlProgram(KUBE_VERSION), 'exec', '-it', '-n', target.namespace ?? 'default', target.name, '--', ...(interactive ? ['sh'] : argv)])
          : await targetArgv(target, interactive ? ['bash', '--norc', '--noprofile', '-i'] : argv);
      const env: Record<string, string> = {
        ...(await envFor(target)),
        PS1: `[root@${target.name} \\W]# `,
        TERM: process.env.TERM ?? 'xterm-256color',
      };
      return { file: full[0]!, args: full.slice(1), env } satisfies SpawnSpec;
    },
    kubeEnv,
    async readPod(namespace, name) {
      const api = await readApiRecord(lab).catch(() => undefined);
      if (!api) throw new MachineError(`lab '${lab}' is not up (its API's address is not readable)`);
      const res = await apiRequest<{ reason?: string; message?: string }>(api, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`, undefined, { timeoutMs: 10_000 });
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new MachineError(`the lab's API answered ${res.status} reading pod ${namespace}/${name}: ${res.json.message ?? ''}`);
      return res.json;
    },
    async facts() {
      const plan = await requirePlan();
      return withLanFacts(labFacts(plan, await apiPods(lab), await apiServices(lab)), plan);
    },
  };
}

