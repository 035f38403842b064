// The lab daemon: one long-lived process per lab, started by `up`, serving the
// Kubernetes API on loopback with the netns runtime behind it. It boots and
// creates the cluster DNS add-on while `up` builds the data plane; stdin says
// when the nodes are wired ("nodes": pod sandboxes, kube-proxy) and when the
// data plane is built (its end: image pulls). It prints `ready` on stdout once
// DNS resolves and the kubeconfig is written, then logs to stderr
// (daemon.log). It never touches the data plane's base wiring; `down` does.
import { randomBytes } from 'node:crypto';
import { startKubeApi } from '../../kube/server.js';
import { nodeObject } from '../../kube/node-object.js';
import { kubeconfigText, writeKubeconfig } from '../../kube/kubeconfig.js';
import { daemonTitle } from './names.js';
import { nodeFacts } from './facts.js';
import { createNetnsRuntime } from './runtime.js';
import { CLUSTER_DNS_IP, labApiExtras, startLabServices } from './lab-services.js';
import { labPaths, readLabRecord, shareWithInvoker, writeApiRecord } from './state.js';

export const KUBE_VERSION = 'v1.31.0';

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

async function main(lab: string): Promise<void> {
  process.title = daemonTitle(lab);
  const record = await readLabRecord(lab);
  if (!record) throw new Error(`no lab record for ${lab}`);
  const { plan } = record;
  const paths = labPaths(lab);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const stages = dataPlaneStages();
  const runtime = createNetnsRuntime(plan, paths, log, { clusterDNS: CLUSTER_DNS_IP, nodesWired: stages.nodesWired, registryUp: stages.built });
  const token = randomBytes(24).toString('hex');
  const api = await startKubeApi({
    runtime,
    token,
    log,
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
  const services = await startLabServices({ api, plan, paths, log, nodesWired: stages.nodesWired });
  const kubeconfig = { server: api.url, certificateAuthority: api.caCert, token, clusterName: `hoplab-${lab}`, context: `hoplab-${lab}` };
  await writeKubeconfig(paths.kubeconfig, kubeconfig);
  const apiRecord = { url: api.url, token, ca: api.caCert, pid: process.pid };
  await writeApiRecord(lab, apiRecord);
  await shareWithInvoker(lab, kubeconfigText(kubeconfig), apiRecord);
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
