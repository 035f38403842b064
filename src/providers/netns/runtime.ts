// The kubelet and container runtime of the embedded lab: for each pod bound
// to a node it makes a network namespace, calls the node's CNI plugin, pulls
// the image from the simulated registry through the node's eth0, and runs
// each container in its own sandbox (sandbox.ts) inside the pod's namespace.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { run } from '../../core/exec.js';
import type { KubeObject, PodReport, PodRuntime } from '../../kube/runtime.js';
import { saveCniResult, type CniResult } from './cni.js';
import { streamLog } from './container-logs.js';
import { readTimes, recordLineTimes, stampLines, timesFile, type LineClock } from './log-times.js';
import { execInPod, refusedSession } from './container-exec.js';
import { attachSession, startMain, type MainIO } from './container-main.js';
import { connectInNs } from './port-forward.js';
import { linkEtcFiles, podEtcFiles, removeEtcFiles } from './etc-files.js';
import { DEFAULT_PATH, devTemplate, IMAGES, imageBusybox, imageLayers, manifestPath, parseImageRef, type ImageRef } from './images.js';
import { sandboxArgv, type Mount } from './sandbox.js';
import { locateInitHelper } from './init-helper.js';
import { mountPodFiles } from './pod-dir.js';
import { containerEnv, expandArgv, podVolumes, type ConfigSource, type Resolved } from '../../kube/container-config.js';
import { modeWiring } from './modes/index.js';
import { podWiringOf } from './modes/pod-wiring.js';
import type { PodContext } from './modes/types.js';
import { addPodNamespace, deleteNamespaces, pidsInNs, runInNs, useInitHelper } from './namespaces.js';
import { podNs } from './names.js';
import { createLimiter, singleFlight } from './limit.js';
import type { LabPlan, NodePlan } from './plan.js';
import { backoffMs, podStatus, type ContainerState, type ContainerView } from './pod-status.js';
import type { LabPaths } from './state.js';

interface ContainerRec {
  name: string;
  image: ImageRef;
  spec: KubeObject;
  view: ContainerView;
  pid?: number;
  logFile: string;
  /** The environment it was started with (kubectl exec gets the same). */
  env?: string[];
  /** The main process's stdin (spec.stdin) and terminal (spec.tty), held for `kubectl attach`. */
  io?: MainIO;
  /** Someone attached to this run already: only the first attach replays its output. */
  attached?: boolean;
  /** Called when the first attach to this run has ended (it reports a held end at once). */
  attachEnded?: () => void;
  /** Records when each line of this run's output arrived (--timestamps, --since). */
  clock?: LineClock;
}

interface PodRec {
  uid: string;
  name: string;
  node: NodePlan;
  /** spec.hostNetwork: the container runs in the node's own namespace, which the pod must never remove. */
  hostNetwork: boolean;
  ns: string;
  dir: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  containers: ContainerRec[];
  cni?: CniResult;
  startTime: string;
  deleted: boolean;
  timers: Set<NodeJS.Timeout>;
  report: (r: PodReport) => void;
  pod: KubeObject;
  config?: ConfigSource;
}

export interface NetnsRuntime extends PodRuntime {
  /** The pod's network namespace and host-side veth, for cluster facts. */
  podNetwork(uid: string): { ns: string; hostVeth?: string } | undefined;
  shutdown(): void;
}

const now = () => new Date().toISOString();
/** `kubectl run -i`'s container (stdin, stdinOnce) nobody has attached to yet: its first attach gets all its output. */
const firstAttachReplays = (c: ContainerRec) => !c.attached && c.spec.stdin === true && c.spec.stdinOnce === true;

/** A pod started without an API behind it (tests) has no ConfigMaps, Secrets or Services. */
const noConfig: ConfigSource = { configMap: () => undefined, secret: () => undefined, services: () => [] };

/** kubelet's PLEG relist period: how late it may see that a container ended. */
const PLEG_RELIST_MS = 1000;
/** How long the end of a stdinOnce run waits for its first attach (`kubectl run -i` on a busy machine). */
const ATTACH_HOLD_MS = 15_000;

/** Pods being started (namespace, CNI, pull, process) at once; more wait their turn. Deletions have their own bound. */
export const POD_CONCURRENCY = Number(process.env.HOPLAB_POD_CONCURRENCY) || Math.max(4, 4 * availableParallelism());

export interface NetnsRuntimeOptions {
  /** The cluster DNS Service's address: pods with dnsPolicy ClusterFirst get it as their nameserver. */
  clusterDNS?: string;
  /** While `up` still builds: pod sandboxes wait for the nodes' wiring, image pulls for the registry. */
  nodesWired?: Promise<void>;
  registryUp?: Promise<void>;
}

export function createNetnsRuntime(plan: LabPlan, paths: LabPaths, log: (line: string) => void, opts: NetnsRuntimeOptions = {}): NetnsRuntime {
  const pods = new Map<string, PodRec>();
  // Whether the images' busybox is static decides whether they need the machine's /usr: asked once.
  const busybox = imageBusybox();
  // The pods' files on the lab's own tmpfs, mounted before the first pod's directory is made.
  const podFiles = mountPodFiles(plan.lab, paths.pods).then(
    (why) => why && log(why),
    (err) => log(`pod files stay on disk: ${(err as Error).message}`),
  );
  // Built (or found in its cache) once per daemon; the shell launcher when it cannot be.
  const init = locateInitHelper().then((h) => {
    log(h.path ? `containers start through ${h.path}` : `containers start through the shell launcher: ${h.why}`);
    useInitHelper(h.path);
    return h;
  });
  const starts = createLimiter(POD_CONCURRENCY);
  const deletes = createLimiter(POD_CONCURRENCY);
  const waiting = new Set<string>(); // uids whose start waits for a slot
  // Like containerd, concurrent pulls of one image on one node are one pull.
  const pulls = singleFlight<Awaited<ReturnType<typeof run>>>();
  const wiring = podWiringOf(modeWiring(plan.cni));
  const podContext = (p: PodRec, namespace: string): PodContext => ({
    plan,
    node: p.node,
    podNs: p.ns,
    containerId: p.uid,
    namespace,
    name: p.name,
    ipamDir: paths.ipam(p.node.name),
  });

  const report = (p: PodRec, event?: PodReport['event']) => {
    if (p.deleted) return;
    p.report({
      status: podStatus(
        {
          restartPolicy: p.restartPolicy,
          // A host-network pod has the node's address, as kubelet reports it.
          podIP: p.hostNetwork ? p.node.eth1 : p.cni?.podIP,
          hostIP: p.node.eth1,
          startTime: p.startTime,
          sandboxReady: p.hostNetwork || Boolean(p.cni),
          containers: p.containers.map((c) => c.view),
        },
        now(),
      ),
      event,
    });
  };

  // A host-network pod shares the node's UTS namespace on a real node: `hostname` says the node.
  const hostnameOf = (p: PodRec) => (p.hostNetwork ? p.node.name : p.name);

  const later = (p: PodRec, ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      p.timers.delete(t);
      if (!p.deleted) fn();
    }, ms);
    p.timers.add(t);
  };

  async function pull(p: PodRec, c: ContainerRec): Promise<boolean> {
    await opts.registryUp;
    if (p.deleted) return false;
    report(p, { type: 'Normal', reason: 'Pulling', message: `Pulling image "${c.image.name}"` });
    const started = Date.now();
    // The pull really leaves through the node's eth0 and its NAT router.
    const url = `http://registry-1.docker.io${manifestPath(c.image)}`;
    // Debian's busybox 1.35 wget crashes with -T, so the time limit is ours.
    const r = await pulls(`${p.node.ns} ${url}`, () => runInNs(p.node.ns, ['busybox', 'wget', '-q', '-O', '/dev/null', url], { timeoutMs: 5000 }));
    if (p.deleted) return false;
    if (r.exitCode === 0 && IMAGES[c.image.short]) {
      const ms = Date.now() - started;
      report(p, {
        type: 'Normal',
        reason: 'Pulled',
        message: `Successfully pulled image "${c.image.name}" in ${ms}ms (${ms}ms including waiting)`,
      });
      return true;
    }
    const why = r.stderr.trim() || 'no answer';
    const fullName = `${c.image.registry}/${c.image.repository}:${c.image.tag}`;
    const message = /404|not found/i.test(why)
      ? `failed to pull and unpack image "${fullName}": failed to resolve reference "${fullName}": ${fullName}: not found`
      : `failed to pull and unpack image "${fullName}": failed to do request: Head "https://registry-1.docker.io/v2/${c.image.repository}/manifests/${c.image.tag}": ${why}`;
    c.view.state = { kind: 'waiting', reason: 'ErrImagePull', message };
    report(p, { type: 'Warning', reason: 'Failed', message: `Failed to pull image "${c.image.name}": ${message}` });
    report(p, { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' });
    later(p, backoffMs(0), () => {
      c.view.state = { kind: 'waiting', reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image.name}"` };
      report(p, { type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${c.image.name}"` });
      later(p, backoffMs(c.view.restartCount + 1), () => void startContainer(p, c));
    });
    return false;
  }

  function argvOf(c: ContainerRec): string[] {
    const image = IMAGES[c.image.short]!;
    const command: string[] = c.spec.command ?? image.entrypoint;
    const args: string[] = c.spec.args ?? (c.spec.command ? [] : image.cmd);
    return [...command, ...args];
  }

  /** The image's environment, then kubelet's (service links, env, envFrom): a later name wins. */
  function envOf(p: PodRec, c: ContainerRec): Resolved<[string, string][]> {
    const path = (IMAGES[c.image.short]?.path ?? DEFAULT_PATH).join(':');
    const base: [string, string][] = [['PATH', path], ['HOSTNAME', hostnameOf(p)], ['HOME', '/root']];
    const fields = { 'status.podIP': p.hostNetwork ? p.node.eth1 : (p.cni?.podIP ?? ''), 'status.hostIP': p.node.eth1 };
    const kube = containerEnv(p.pod, c.spec, p.config ?? noConfig, fields);
    if (!kube.ok) return kube;
    return { ok: true, value: [...new Map([...base, ...kube.value])] };
  }

  /** Writes the pod's ConfigMap, Secret and emptyDir volumes and returns the container's mounts of them. */
  async function volumeMounts(p: PodRec, c: ContainerRec): Promise<Resolved<Mount[]>> {
    const vols = podVolumes(p.pod, p.config ?? noConfig);
    if (!vols.ok) return vols;
    const mounts: Mount[] = [];
    for (const vm of (c.spec.volumeMounts ?? []) as any[]) {
      const v = vols.value[vm.name];
      if (!v) continue; // a volume kind the lab does not provide
      const dir = join(p.dir, 'volumes', vm.name);
      if (v.files) {
        await rm(dir, { recursive: true, force: true });
        for (const [file, data] of Object.entries(v.files)) {
          await mkdir(dirname(join(dir, file)), { recursive: true });
          await writeFile(join(dir, file), data, { mode: 0o644 });
        }
      }
      await mkdir(dir, { recursive: true });
      mounts.push({ source: vm.subPath ? join(dir, vm.subPath) : dir, target: vm.mountPath, readOnly: v.readOnly || vm.readOnly === true });
    }
    return { ok: true, value: mounts };
  }

  /** kubelet's answer to a container whose ConfigMap or Secret is missing: waiting, retried later. */
  function configError(p: PodRec, c: ContainerRec, error: string): void {
    const mount = error.startsWith('MountVolume');
    c.view.state = { kind: 'waiting', reason: mount ? 'ContainerCreating' : 'CreateContainerConfigError', message: mount ? undefined : error };
    report(p, mount ? { type: 'Warning', reason: 'FailedMount', message: error } : { type: 'Warning', reason: 'Failed', message: `Error: ${error}` });
    later(p, backoffMs(0), () => void startContainer(p, c));
  }

  async function startContainer(p: PodRec, c: ContainerRec): Promise<void> {
    if (!(await pull(p, c))) return;
    const env = envOf(p, c);
    if (!env.ok) return configError(p, c, env.error);
    const mounts = await volumeMounts(p, c);
    if (!mounts.ok) return configError(p, c, mounts.error);
    if (p.deleted) return;
    // A container with a terminal gets TERM, as the container runtime sets it.
    c.env = [...env.value.map(([k, v]) => `${k}=${v}`), ...(c.spec.tty === true && !env.value.some(([k]) => k === 'TERM') ? ['TERM=xterm'] : [])];
    const argv = expandArgv(argvOf(c), env.value);
    if (argv.length === 0) {
      c.view.state = { kind: 'waiting', reason: 'CreateContainerError', message: 'no command specified' };
      report(p, { type: 'Warning', reason: 'Failed', message: 'Error: no command specified' });
      return;
    }
    // Keep the previous run's output and its line times for `kubectl logs --previous`.
    await c.clock?.stop();
    c.clock = undefined;
    await rename(c.logFile, `${c.logFile}.previous`).catch(() => undefined);
    await rename(timesFile(c.logFile), timesFile(`${c.logFile}.previous`)).catch(() => undefined);
    await writeFile(c.logFile, '', { flag: 'a' });
    c.clock = await recordLineTimes(c.logFile).catch(() => undefined);
    // A fresh writable layer for every run, as a container runtime makes a new container.
    const cdir = join(p.dir, 'containers', c.name);
    await rm(cdir, { recursive: true, force: true });
    await Promise.all(['upper', 'work', 'rootfs'].map((d) => mkdir(join(cdir, d), { recursive: true })));
    const image = imageLayers(paths.images, c.image.short, (await busybox).static);
    const box = sandboxArgv({
      layers: image.layers,
      upper: join(cdir, 'upper'),
      work: join(cdir, 'work'),
      rootfs: join(cdir, 'rootfs'),
      hostname: hostnameOf(p),
      etcDir: join(p.dir, 'etc'),
      devTemplate: devTemplate(paths.images),
      mounts: [...image.hostDirs.map((d) => ({ ...d, readOnly: true })), ...mounts.value],
      env: c.env,
      argv,
      workingDir: c.spec.workingDir,
      // The embedded nodes share the machine's PID and IPC namespaces, so a hostPID pod sees the node's processes as on a real node.
      hostPID: p.pod.spec?.hostPID === true,
      hostIPC: p.pod.spec?.hostIPC === true,
      netns: p.ns,
      init: (await init).path,
    });
    const main = await startMain(box.argv, { cwd: p.dir, env: box.env, logFile: c.logFile, stdin: c.spec.stdin === true, tty: c.spec.tty === true });
    const containerID = `containerd://${randomBytes(32).toString('hex')}`;
    const startedAt = now();
    c.pid = main.pid;
    c.io = main.io;
    c.attached = false;
    c.view.containerID = containerID;
    c.view.state = { kind: 'running', startedAt };
    report(p, { type: 'Normal', reason: 'Created', message: `Created container ${c.name}` });
    report(p, { type: 'Normal', reason: 'Started', message: `Started container ${c.name}` });
    void main.exited.then((exitCode) => {
      c.pid = undefined;
      c.io = undefined;
      if (p.deleted) return;
      const finishedAt = now();
      // kubelet learns of a container's end at its next PLEG relist (every second), not at once: that lag
      // is kept for containers with stdin nobody has attached to yet. A stdinOnce run is `kubectl run -i`'s,
      // which attaches only once it has seen the pod Running: on a busy machine that is seconds after a
      // short command ended, and a refused attach makes kubectl fall back to the logs without the exit
      // code. So its end waits for that first attach to drain the output (or ATTACH_HOLD_MS).
      const ended = () => containerEnded(p, c, exitCode, startedAt, finishedAt);
      if (firstAttachReplays(c)) {
        let done = false;
        const once = () => {
          if (done) return;
          done = true;
          c.attachEnded = undefined;
          ended();
        };
        c.attachEnded = once;
        later(p, ATTACH_HOLD_MS, once);
      } else if (c.spec.stdin === true && !c.attached) later(p, PLEG_RELIST_MS, ended);
      else ended();
    });
  }

  function containerEnded(p: PodRec, c: ContainerRec, exitCode: number, startedAt: string, finishedAt: string): void {
    const term: ContainerState = { kind: 'terminated', exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt };
    c.view.state = term;
    report(p);
    const restart = p.restartPolicy === 'Always' || (p.restartPolicy === 'OnFailure' && exitCode !== 0);
    if (!restart) return;
    const wait = backoffMs(c.view.restartCount);
    later(p, 1000, () => {
      c.view.lastState = term;
      c.view.state = { kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${wait / 1000}s restarting failed container=${c.name} pod=${p.name}` };
      report(p, { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' });
      later(p, wait - 1000, () => {
        c.view.restartCount += 1;
        void startContainer(p, c);
      });
    });
  }

  async function startPod(pod: KubeObject, reportFn: (r: PodReport) => void, config?: ConfigSource): Promise<void> {
    const uid: string = pod.metadata.uid;
    const node = plan.nodes.find((n) => n.name === pod.spec.nodeName);
    if (!node) {
      reportFn({ event: { type: 'Warning', reason: 'FailedCreatePodSandBox', message: `no node ${pod.spec.nodeName}` } });
      return;
    }
    const dir = paths.pod(uid);
    await podFiles;
    await mkdir(dir, { recursive: true });
    const hostNetwork = pod.spec?.hostNetwork === true;
    const p: PodRec = {
      uid,
      name: pod.metadata.name,
      node,
      hostNetwork,
      ns: hostNetwork ? node.ns : podNs(plan.lab, uid),
      dir,
      restartPolicy: pod.spec.restartPolicy ?? 'Always',
      containers: (pod.spec.containers as KubeObject[]).map((spec) => ({
        name: spec.name,
        image: parseImageRef(spec.image),
        spec,
        logFile: join(dir, `${spec.name}.log`),
        view: { name: spec.name, image: spec.image, restartCount: 0, state: { kind: 'waiting', reason: 'ContainerCreating' } },
      })),
      startTime: now(),
      deleted: false,
      timers: new Set(),
      report: reportFn,
      pod,
      config,
    };
    pods.set(uid, p);
    report(p);
    await opts.nodesWired;
    if (p.deleted) return;
    if (p.hostNetwork) await writePodEtc(p, pod, p.node.eth1);
    else if (!(await sandbox(p, pod))) return;
    if (p.deleted) return;
    report(p);
    await Promise.all(p.containers.map((c) => startContainer(p, c)));
  }

  /** The pod's own network namespace, wired by the CNI plugin; failures are reported on the pod. */
  async function sandbox(p: PodRec, pod: KubeObject): Promise<boolean> {
    try {
      await init;
      // With lo up, 127.0.0.1 and ::1 on it, as the CNI loopback plugin leaves every pod.
      await addPodNamespace(p.ns);
      p.cni = await wiring.add(podContext(p, pod.metadata.namespace ?? 'default'));
      await saveCniResult(join(p.dir, 'cni.json'), p.cni);
      await writePodEtc(p, pod, p.cni.podIP);
      await linkEtcFiles(p.ns, join(p.dir, 'etc'));
      return true;
    } catch (err) {
      const message = `Failed to create pod sandbox: ${(err as Error).message}`;
      log(`pod ${p.name}: ${message}`);
      report(p, { type: 'Warning', reason: 'FailedCreatePodSandBox', message });
      return false;
    }
  }

  /** kubelet's hosts, resolv.conf and hostname for the pod, which every container gets bind-mounted. */
  async function writePodEtc(p: PodRec, pod: KubeObject, ip: string): Promise<Record<string, string>> {
    // A host-network pod resolves as its node does unless it asks for ClusterFirstWithHostNet.
    const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
    const dnsPolicy = p.hostNetwork && policy === 'ClusterFirst' ? 'Default' : policy;
    const dns = { namespace: pod.metadata.namespace ?? 'default', dnsPolicy, clusterDNS: opts.clusterDNS };
    const files = podEtcFiles(plan, { name: hostnameOf(p), ip }, dns);
    const dir = join(p.dir, 'etc');
    await mkdir(dir, { recursive: true });
    await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
    return files;
  }

  async function deletePod(pod: KubeObject): Promise<void> {
    const p = pods.get(pod.metadata.uid);
    if (!p) return;
    p.deleted = true;
    for (const t of p.timers) clearTimeout(t);
    for (const c of p.containers) {
      void c.clock?.stop();
      if (c.pid) {
        try {
          process.kill(-c.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    // The node's namespace, processes and files are not the pod's to remove.
    if (p.hostNetwork) {
      await rm(p.dir, { recursive: true, force: true });
      pods.delete(p.uid);
      return;
    }
    for (const pid of await pidsInNs(p.ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    if (p.cni) {
      await wiring.del(podContext(p, pod.metadata.namespace ?? 'default')).catch((err) =>
        log(`pod ${p.name}: ${(err as Error).message}`),
      );
    }
    await deleteNamespaces([p.ns]);
    await removeEtcFiles([p.ns]);
    await rm(p.dir, { recursive: true, force: true });
    pods.delete(p.uid);
  }

  const container = (pod: KubeObject, name: string) => {
    const p = pods.get(pod.metadata.uid);
    const c = p?.containers.find((x) => x.name === name) ?? p?.containers[0];
    return { p, c };
  };

  return {
    startPod(pod, reportFn, config) {
      const uid: string = pod.metadata.uid;
      waiting.add(uid);
      // A pod deleted while it waited is dropped: there is nothing of it to start or clean up.
      void starts(() => (waiting.delete(uid) ? startPod(pod, reportFn, config) : Promise.resolve())).catch((err) =>
        log(`pod ${pod.metadata?.name}: ${(err as Error).stack}`),
      );
    },
    deletePod(pod) {
      if (waiting.delete(pod.metadata.uid)) return Promise.resolve();
      return deletes(() => deletePod(pod));
    },
    logs(pod, name, opts) {
      const { c } = container(pod, name);
      const file = c ? (opts.previous ? `${c.logFile}.previous` : c.logFile) : '/nonexistent';
      const clock = opts.previous ? undefined : c?.clock;
      const lines =
        opts.timestamps || opts.sinceNs !== undefined
          ? (start: number) =>
              stampLines({
                start,
                timestamps: opts.timestamps === true,
                sinceNs: opts.sinceNs,
                times: async () => {
                  await clock?.sync();
                  return readTimes(timesFile(file));
                },
              })
          : undefined;
      // The previous run has ended: following it ends at its last line.
      return streamLog(file, { ...opts, follow: opts.follow && !opts.previous, lines, ended: () => !c?.pid });
    },
    attach(pod, name, opts) {
      const { c } = container(pod, name);
      if (!c) return refusedSession(`error: unable to upgrade connection: container not found ("${name}")`);
      // kubectl run -i attaches after the command started: the first attach to a stdinOnce container gets its output from the start.
      const replay = firstAttachReplays(c);
      c.attached = true;
      const session = attachSession({ logFile: c.logFile, pid: c.pid, running: () => c.pid, io: c.io, replay, stdinOnce: c.spec.stdinOnce === true, ...opts });
      // A held end (see startContainer) is reported once this first attach has had all the output.
      if (replay) void session.exited.then(() => c.attachEnded?.());
      return session;
    },
    portForward(pod, port) {
      const p = pods.get(pod.metadata.uid);
      return connectInNs(p && (p.hostNetwork || p.cni) ? p.ns : undefined, port);
    },
    exec(pod, name, command, opts) {
      const { c } = container(pod, name);
      return execInPod({
        container: c?.name ?? name,
        pid: c?.pid,
        env: c?.env ?? [],
        command,
        tty: opts.tty,
        stdin: opts.stdin,
      });
    },
    podNetwork(uid) {
      const p = pods.get(uid);
      return p ? { ns: p.ns, hostVeth: p.cni?.hostVeth } : undefined;
    },
    shutdown() {
      for (const p of pods.values()) for (const t of p.timers) clearTimeout(t);
    },
  };
}
