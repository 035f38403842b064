// hoplab's own HTTPS reads against a real TLS server on the loopback: what
// kubectl's reads give (the same facts), and how failures read.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiReader, readerFromKubeconfig } from '../../src/providers/kubeconfig/api-reader.js';
import { readFacts } from '../../src/providers/kubeconfig/facts.js';
import { askServerVersion, discoverCluster } from '../../src/providers/kubeconfig/discover.js';
import type { Kubectl } from '../../src/providers/kubeconfig/kubectl.js';
import { kubeItems } from '../../src/providers/kube-facts.js';
import { createServingCerts } from '../../src/kube/x509.js';
import { PERMISSIONS } from '../../src/providers/kubeconfig/access.js';
import type { KubeconfigLabRecord } from '../../src/providers/kubeconfig/state.js';

const kind = JSON.parse(readFileSync(new URL('../fixtures/kubeconfig/kind-three-nodes.json', import.meta.url), 'utf8'));
const items = kubeItems(kind) as any[];
// As the API lists them: items without kind and apiVersion.
const bare = (list: any[]) => ({ kind: 'List', apiVersion: 'v1', items: list.map(({ kind: _k, apiVersion: _a, ...o }) => o) });
const of = (k: string, ns?: string) => items.filter((i) => i.kind === k && (ns === undefined || i.metadata.namespace === ns));
const labPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'httpd', namespace: 'hoplab-ada', uid: 'u1' }, spec: { nodeName: 'kind-worker' }, status: { phase: 'Running', podIP: '10.244.1.5' } };

const pool = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'default' }, spec: { cidr: '192.168.0.0/16', ipipMode: 'Never', vxlanMode: 'Always' } };
const svcCidr = { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'kubernetes' }, spec: { cidrs: ['10.96.0.0/16'] } };

const certs = createServingCerts(['127.0.0.1']);
const other = createServingCerts(['127.0.0.1']);
const TOKEN = 'sekret';
const seen: string[] = [];

/** A cluster API that answers the reads facts makes; the lab's endpoints are forbidden (optional reads may be). */
function answer(path: string): [number, unknown] {
  const routes: Record<string, unknown> = {
    '/api/v1/nodes': bare(of('Node')),
    '/api/v1/namespaces/hoplab-ada/pods': bare([labPod]),
    '/api/v1/namespaces/kube-system/pods': bare(of('Pod', 'kube-system')),
    '/api/v1/namespaces/kube-system/services': bare(of('Service', 'kube-system')),
    '/api/v1/namespaces/hoplab-ada/services': bare([]),
    '/api/v1/namespaces/hoplab-ada/pods/httpd': labPod,
  };
  // Discovery's sources: a calico pool and a GA ServiceCIDR; flannel's config maps and v1beta1 are absent.
  if (path === '/api/v1/pods') return [200, bare(of('Pod'))];
  if (path === '/apis/crd.projectcalico.org/v1/ippools') return [200, { kind: 'IPPoolList', items: [pool] }];
  if (path === '/apis/networking.k8s.io/v1/servicecidrs') return [200, { kind: 'ServiceCIDRList', items: [svcCidr] }];
  if (path === '/api/v1/namespaces/kube-system/services/kube-dns') return [200, of('Service').find((x) => x.metadata.name === 'kube-dns')];
  if (path === '/version') return [200, { gitVersion: 'v1.33.1' }];
  if (path === '/api/v1/namespaces/kube-system/configmaps/kube-flannel-cfg') return [403, { kind: 'Status', reason: 'Forbidden', message: 'configmaps "kube-flannel-cfg" is forbidden' }];
  if (path === '/api/v1/namespaces/hoplab-ada/endpoints') return [403, { kind: 'Status', message: 'endpoints is forbidden: User "ada" cannot list resource "endpoints"', reason: 'Forbidden' }];
  if (path === '/boom') return [500, { kind: 'Status', message: 'etcdserver: request timed out' }];
  if (path === '/html') return [200, '<html>'];
  return path in routes ? [200, routes[path]] : [404, { kind: 'Status', reason: 'NotFound', message: 'not found' }];
}

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    if (req.url === '/stall') return; // never answers
    const [status, body] = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const reader = (o: { ca?: string; timeoutMs?: number; server?: string } = {}) =>
  createApiReader({ server: o.server ?? url, insecure: false, ca: o.ca ?? certs.caCert, token: TOKEN }, o.timeoutMs);

function record(): KubeconfigLabRecord {
  return {
    version: 1, lab: 'lab', kubeconfigFiles: [], context: 'kind-kind', server: url, namespace: 'hoplab-ada', createdNamespace: true,
    debugImage: 'nicolaka/netshoot:v0.13', nodeExec: 'image',
    roles: { controlplane: 'kind-control-plane', 'node-1': 'kind-worker', 'node-2': 'kind-worker2' },
    discovery: { cni: 'kindnet', modelled: false, evidence: [], clusterCIDR: '10.244.0.0/16', clusterCIDRSource: 'kind', serviceCIDR: '10.96.0.0/16', notes: [] },
    access: { allowed: Object.fromEntries(PERMISSIONS.map((p) => [p.id, true])), reviewed: true },
    nodes: {}, createdAt: 'T',
  };
}

/** kubectl's answers to the same three reads, as its mixed Lists print them (kinds set). */
function kubectlLike(calls: string[][]): Kubectl {
  const list = (l: any[]) => JSON.stringify({ kind: 'List', apiVersion: 'v1', items: l });
  return {
    async run(args) {
      calls.push(args);
      if (args.includes('kube-system')) return { exitCode: 0, stdout: list([...of('Pod', 'kube-system'), ...of('Service', 'kube-system')]), stderr: '' };
      return { exitCode: 1, stdout: '', stderr: 'Error from server (Forbidden): endpoints is forbidden\n' };
    },
    async json(_what, args) {
      calls.push(args);
      return JSON.parse(list([...of('Node'), labPod]));
    },
  };
}

/** kubectl's answers to discovery's reads of the same cluster, as kubectl prints them. */
function discoveryKubectl(calls: string[][]): Kubectl {
  const list = (l: any[]) => ({ exitCode: 0, stdout: JSON.stringify({ kind: 'List', apiVersion: 'v1', items: l }), stderr: '' });
  const answer = (args: string[]) => {
    const a = args.join(' ');
    if (a === 'get nodes -o json') return list(of('Node'));
    if (a === 'get pods --all-namespaces -o json') return list(of('Pod'));
    if (a === 'get ippools.crd.projectcalico.org -o json') return list([pool]);
    if (a === 'get servicecidrs -o json') return list([svcCidr]);
    if (a === 'get service kube-dns -n kube-system -o json') return { exitCode: 0, stdout: JSON.stringify(of('Service').find((x) => x.metadata.name === 'kube-dns')), stderr: '' };
    if (a === 'get configmap kube-flannel-cfg -n kube-system -o json') return { exitCode: 1, stdout: '', stderr: 'Error from server (Forbidden): configmaps "kube-flannel-cfg" is forbidden\n' };
    if (a === 'version -o json') return { exitCode: 0, stdout: JSON.stringify({ serverVersion: { gitVersion: 'v1.33.1' } }), stderr: '' };
    return { exitCode: 1, stdout: '', stderr: `Error from server (NotFound): ${a}\n` };
  };
  return {
    async run(args) {
      calls.push(args);
      return answer(args);
    },
    async json(_what, args) {
      calls.push(args);
      return JSON.parse(answer(args).stdout);
    },
  };
}

describe("hoplab's own reads of the cluster", () => {
  it("discovery over HTTPS finds what it finds through kubectl, the same notes for what is absent or forbidden, without a kubectl process", async () => {
    const viaKubectl: string[][] = [];
    const fromKubectl = await discoverCluster({ k: discoveryKubectl(viaKubectl) }, await askServerVersion(discoveryKubectl(viaKubectl)));
    expect(viaKubectl.length).toBeGreaterThan(5);
    const calls: string[][] = [];
    const api = reader();
    const fromApi = await discoverCluster({ k: discoveryKubectl(calls), api }, await askServerVersion(discoveryKubectl(calls), api));
    api.close();
    expect(calls).toEqual([]);
    expect(fromApi).toEqual(fromKubectl);
    expect(fromApi.discovery).toMatchObject({ serverVersion: 'v1.33.1', serviceCIDR: '10.96.0.0/16', clusterDns: { ip: expect.any(String) } });
    expect(fromApi.discovery.evidence).toContain('calico IP pool 192.168.0.0/16: ipipMode Never, vxlanMode Always');
  });

  it('give the facts kubectl gives, without a kubectl process; a forbidden optional read drops, as with kubectl', async () => {
    const api = reader();
    const fromKubectl = await readFacts({ k: kubectlLike([]), record: record(), veths: {}, save: async () => {} });
    const calls: string[][] = [];
    seen.length = 0;
    const fromApi = await readFacts({ k: kubectlLike(calls), api, record: record(), veths: {}, save: async () => {} });
    api.close();
    expect(calls).toEqual([]);
    expect(fromApi).toEqual(fromKubectl);
    expect(fromApi.nodes.map((n) => n.name)).toEqual(['controlplane', 'node-1', 'node-2']);
    expect(fromApi.services.map((s) => `${s.namespace}/${s.name}`)).toEqual(['kube-system/kube-dns']);
    // Only the lab's namespace and kube-system, with the lab's token.
    for (const s of seen) expect(s).toMatch(/^GET \/api\/v1\/(nodes|namespaces\/(hoplab-ada|kube-system)\/\w+) Bearer sekret$/);
  });

  it('list items carry their kind; a pod reads as the API has it; 404 is undefined', async () => {
    const api = reader();
    expect((await api.list('x', '/api/v1/nodes', 'Node')).map((n) => [n.kind, n.apiVersion, n.metadata.name])).toEqual(of('Node').map((n) => ['Node', 'v1', n.metadata.name]));
    expect(await api.get('x', '/api/v1/namespaces/hoplab-ada/pods/httpd')).toEqual(labPod);
    expect(await api.get('x', '/api/v1/namespaces/hoplab-ada/pods/gone')).toBeUndefined();
    await expect(api.list('reading gadgets', '/apis/none/v1/gadgets', 'Gadget')).rejects.toThrow(/reading gadgets failed: the API server answered 404/);
    api.close();
  });

  it('a refusal, a server error and an answer that is not JSON say what failed', async () => {
    const api = reader();
    await expect(api.list('reading endpoints', '/api/v1/namespaces/hoplab-ada/endpoints', 'Endpoints')).rejects.toMatchObject({
      name: 'MachineError',
      message: 'reading endpoints: the cluster refused it: endpoints is forbidden: User "ada" cannot list resource "endpoints"',
      hint: expect.stringMatching(/RBAC/),
    });
    await expect(api.get('reading boom', '/boom')).rejects.toThrow('reading boom failed: the API server answered 500: etcdserver: request timed out');
    await expect(api.get('reading html', '/html')).rejects.toThrow('reading html: the API server did not answer JSON: <html>');
    api.close();
  });

  it('a server whose certificate the CA did not sign, a refused connection and a stalled API are MachineErrors, not crashes', async () => {
    await expect(reader({ ca: other.caCert }).get('reading nodes', '/api/v1/nodes')).rejects.toThrow(/^reading nodes: TLS with the cluster's API server failed/);
    const closed = createServer({});
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(reader({ server: `https://127.0.0.1:${port}` }).get('reading nodes', '/api/v1/nodes')).rejects.toMatchObject({
      name: 'MachineError',
      message: expect.stringMatching(/^reading nodes: the cluster's API server cannot be reached: .*ECONNREFUSED/),
    });
    await expect(reader({ timeoutMs: 200 }).get('reading nodes', '/stall')).rejects.toThrow("reading nodes: the cluster's API server cannot be reached: no answer within 200 ms");
  });

  it('the reader comes from the kubeconfig text; an exec user (GKE, EKS) gets none, so kubectl reads', async () => {
    const text = (user: string) =>
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${url}\n    certificate-authority-data: ${Buffer.from(certs.caCert).toString('base64')}\n` +
      `users:\n- name: u\n  user:\n${user}\ncontexts:\n- name: l\n  context: {cluster: c, user: u, namespace: hoplab-ada}\ncurrent-context: l\n`;
    const api = readerFromKubeconfig(text(`    token: ${TOKEN}`), {});
    expect(await api!.get('x', '/api/v1/namespaces/hoplab-ada/pods/httpd')).toEqual(labPod);
    api!.close();
    expect(readerFromKubeconfig(text('    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin}'), {})).toBeUndefined();
    expect(readerFromKubeconfig('{{{not yaml', {})).toBeUndefined();
  });
});
