// The lab daemon: one long-lived process per lab, started by `up`, serving the
// Kubernetes API on loopback with the netns runtime behind it. It boots while
// `up` builds the data plane, starts kube-proxy and DNS once stdin says so, prints
// `ready` on stdout once the kubeconfig is written, then logs to stderr
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

function dataPlaneBuilt(): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve();
    process.stdin.on('data', () => undefined);
    process.stdin.once('end', resolve);
    process.stdin.once('error', () => resolve());
  });
}

async function main(lab: string): Promise<void> {
  process.title = daemonTitle(lab);
  const record = await readLabRecord(lab);
  if (!record) throw new Error(`no lab record for ${lab}`);
  const { plan } = record;
  const paths = labPaths(lab);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const runtime = createNetnsRuntime(plan, paths, log, { clusterDNS: CLUSTER_DNS_IP });
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
  // `up` builds the data plane while this process boots; kube-proxy and the
  // cluster DNS live inside it, so they wait for its word (or stdin's end).
  await dataPlaneBuilt();
  const services = await startLabServices({ api, plan, paths, log });
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
