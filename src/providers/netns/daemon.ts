// The lab daemon: one long-lived process per lab, started by `up`, serving the
// Kubernetes API on loopback with the netns runtime behind it. It boots and
// creates the cluster DNS add-on while `up` builds the data plane; stdin says
// when the nodes are wired ("nodes": pod sandboxes, kube-proxy) and when the
// data plane is built (its end: image pulls). It prints `ready` on stdout once
// DNS resolves and the kubeconfig is written, then logs to stderr
// (daemon.log). It never touches the data plane's base wiring; `down` does.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { packageRoot } from '../../core/package-root.js';
import { nthServiceIP, SERVICE_CIDR } from '../../kube/ip-allocator.js';
import { useSpawner } from '../../core/exec.js';
import { createSpawner, mergeProgramCpu, type ProgramCpu, type Spawner } from '../../core/spawner.js';
import { createServingCerts } from '../../kube/x509.js';
import { startKubeApi } from '../../kube/server.js';
import { nodeObject } from '../../kube/node-object.js';
import { kubeconfigText, writeKubeconfig } from '../../kube/kubeconfig.js';
import { daemonTitle, nodeNs } from './names.js';
import { inNs, useNamespaceSpawners } from './namespaces.js';
import { KUBE_VERSION } from './kube-version.js';
import { nodeFacts } from './facts.js';
import { createNetnsRuntime } from './runtime.js';
import { locateSpawnerHelper } from './init-helper.js';
import { CLUSTER_DNS_IP, labApiExtras, startLabServices } from './lab-services.js';
import { labPaths, readLabRecord, shareWithInvoker, writeApiRecord, type LabPaths } from './state.js';


/** The stages of `up`'s build, as its stdin reports them; the end of stdin means all of them. */
function dataPlaneStages(): { nodesWired: Promise<void>; built: Promise<void> } {
  if (process.stdin.isTTY) return { nodesWired: Promise.resolve(), built: Promise.resolve() };
  let wired!: () => void;
  const nodesWired = new Promise<void>((r) => (wired = r));
  const built = new Promise<void>((resolve) => {
    let text = '';
    process.stdin.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('nodes\n')) wired();
    });
    const end = () => {
      wired();
      resolve();
    };
    process.stdin.once('end', end);
    process.stdin.once('error', end);
  });
  return { nodesWired, built };
}

/** The apiserver's port in the seed's cluster (kubeadm's default). */
const IN_LAB_API_PORT = 6443;

/**
 * The API inside the lab: a unix socket beside the loopback port, and a
 * forwarder in the control plane's namespace from its eth1:6443 to that
 * socket. A lab without it still works from the machine; its node shells
 * then lack kubectl, which the log says.
 */
async function serveInLab(lab: string, node: string, address: string, apiPort: number, paths: LabPaths, log: (l: string) => void): Promise<void> {
  await rm(paths.apiSocket, { force: true });
  const relay = createServer((c) => {
    const up = connect(apiPort, '127.0.0.1');
    const done = () => {
      c.destroy();
      up.destroy();
    };
    c.on('error', done).on('close', done);
    up.on('error', done).on('close', done);
    c.pipe(up).pipe(c);
  });
  await new Promise<void>((resolve, reject) => relay.once('error', reject).listen(paths.apiSocket, resolve));
  await chmod(paths.apiSocket, 0o600);
  // From the package root: the daemon may run from its bundle (dist/bundle/daemon.js), the forwarder from tsc's output.
  const script = join(packageRoot(), 'dist', 'src', 'providers', 'netns', 'api-forwarder.js');
  const child = spawn('ip', ['netns', 'exec', nodeNs(lab, node), process.execPath, script, address, String(IN_LAB_API_PORT), paths.apiSocket], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const ok = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    child.stdout!.once('data', () => (clearTimeout(timer), resolve(true)));
    child.once('exit', () => (clearTimeout(timer), resolve(false)));
  });
  child.stderr!.on('data', (d: Buffer) => log(d.toString().trim()));
  child.stdout!.destroy();
  child.unref();
  log(ok ? `API inside the lab at https://${address}:${IN_LAB_API_PORT} (${node})` : `API inside the lab: the forwarder on ${node} did not start`);
}

async function main(lab: string): Promise<void> {
  process.title = daemonTitle(lab);
  // Every program the daemon runs (ip, CNI plugins, iptables-restore, containers) is started by small helper
  // processes: the native one (a posix_spawn, 0.3 ms of CPU a program) when it builds, else Node's (about 6 ms).
  const native = await locateSpawnerHelper();
  const spawner = createSpawner({ count: 2, name: `${daemonTitle(lab)}-spawner`, native: native.path });
  useSpawner(spawner);
  const record = await readLabRecord(lab);
  if (!record) throw new Error(`no lab record for ${lab}`);
  const { plan } = record;
  const paths = labPaths(lab);
  // Programs run in a node (image pulls, kube-proxy's iptables-restore) start through a native helper
  // living in it, started at its first use (after the nodes are wired), not through `ip netns exec` each.
  const nodeSpawners = new Map<string, Spawner>();
  if (native.path) {
    const nodes = new Set(plan.nodes.map((n) => n.ns));
    useNamespaceSpawners((ns) => {
      if (!nodes.has(ns)) return undefined;
      let s = nodeSpawners.get(ns);
      if (!s) nodeSpawners.set(ns, (s = createSpawner({ count: 1, native: native.path, prefix: inNs(ns, []) })));
      return s;
    });
  }
  const programCpu = async (): Promise<ProgramCpu[]> => mergeProgramCpu(await Promise.all([spawner, ...nodeSpawners.values()].map((s) => s.programCpu())));
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  if (native.why) log(`programs start through the Node spawner helper: ${native.why}`);
  const stages = dataPlaneStages();
  const runtime = createNetnsRuntime(plan, paths, log, { clusterDNS: CLUSTER_DNS_IP, nodesWired: stages.nodesWired, registryUp: stages.built });
  const token = randomBytes(24).toString('hex');
  const cp = plan.nodes.find((n) => n.role === 'control-plane') ?? plan.nodes[0]!;
  const api = await startKubeApi({
    runtime,
    token,
    log,
    // Valid at loopback, and inside the lab where kubectl finds it: the control plane's eth1 and the `kubernetes` Service.
    tls: createServingCerts(['127.0.0.1', 'localhost', cp.eth1, nthServiceIP(SERVICE_CIDR, 1), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']),
    ...labApiExtras(plan),
    nodes: plan.nodes.map((n) => {
      const facts = nodeFacts(plan, n);
      // flannel's backend-data names the node's VTEP MAC, as flanneld writes it.
      const vtepMAC = facts.interfaces.find((i) => i.name === 'flannel.1')?.mac;
      return nodeObject(facts, { cni: plan.cni, kubeletVersion: KUBE_VERSION, ...(vtepMAC ? { vtepMAC } : {}) });
    }),
  });
  // `up` builds the data plane while this process boots: the DNS add-on's
  // objects are made now, what lives inside the nodes waits for `up`'s word.
  // The in-lab forwarder (a Node process to start: a third of a second on a loaded machine) starts as soon
  // as the control plane's eth1 exists, while the DNS pods start, not after DNS answers.
  const inLab = stages.nodesWired.then(() => serveInLab(lab, cp.name, cp.eth1, api.port, paths, log));
  const services = await startLabServices({ api, plan, paths, log, nodesWired: stages.nodesWired });
  const kubeconfig = { server: api.url, certificateAuthority: api.caCert, token, clusterName: `hoplab-${lab}`, context: `hoplab-${lab}` };
  await writeKubeconfig(paths.kubeconfig, kubeconfig);
  const apiRecord = { url: api.url, token, ca: api.caCert, pid: process.pid };
  await writeApiRecord(lab, apiRecord);
  await shareWithInvoker(lab, kubeconfigText(kubeconfig), apiRecord);
  await writeKubeconfig(paths.labKubeconfig, { ...kubeconfig, server: `https://${cp.eth1}:${IN_LAB_API_PORT}` });
  await inLab;
  log(`API at ${api.url}`);
  process.stdout.write('ready\n');
  process.stdout.end();
  const stop = () => {
    services.stop();
    runtime.shutdown();
    void api.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  reportLoopDelay(log, programCpu);
}

/**
 * How long the event loop was blocked: on SIGUSR2 the daemon logs the delay
 * since the previous SIGUSR2 (or its start) and the CPU of the programs it ran
 * that ended meanwhile, by program, and starts over. The benchmark
 * sends one before and one after a rollout to see what the rollout cost.
 */
function reportLoopDelay(log: (line: string) => void, programCpu: () => Promise<ProgramCpu[]>): void {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let cpu = process.cpuUsage();
  process.on('SIGUSR2', () => {
    const used = process.cpuUsage(cpu);
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    // The programs' line first: the benchmark reads both once the second is there.
    void programCpu()
      .then((p) => log(`programs' CPU: ${p.length ? p.map((x) => `${x.name} ${x.count}x ${(x.userMs + x.sysMs).toFixed(0)} ms (sys ${x.sysMs.toFixed(0)})`).join(', ') : 'not counted (the Node spawner helper)'}`))
      .catch((err) => log(`programs' CPU: ${(err as Error).message}`))
      .finally(() => {
        log(`event loop delay: p50 ${ms(h.percentile(50))} ms, p99 ${ms(h.percentile(99))} ms, max ${ms(h.max)} ms; CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`);
        h.reset();
        cpu = process.cpuUsage();
      });
  });
}

const lab = process.argv[2];
if (!lab) {
  process.stderr.write('usage: daemon.js LAB\n');
  process.exit(2);
}
main(lab).catch((err) => {
  process.stderr.write(`${new Date().toISOString()} daemon failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
