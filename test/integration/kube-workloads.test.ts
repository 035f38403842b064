// Deployments, ReplicaSets and Services on the embedded API, driven by the
// real kubectl at the oldest and newest versions (1.20: legacy discovery and
// JSON bodies; 1.33: aggregated discovery and protobuf bodies for `create
// deployment` and `create service`). Pods run as local processes; the data
// plane (kube-proxy, DNS) is tested in services-netns.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/core/exec.js';
import { startKubeApi, type KubeApi } from '../../src/kube/server.js';
import { nodeObject } from '../../src/kube/node-object.js';
import { writeKubeconfig } from '../../src/kube/kubeconfig.js';
import { WORKLOAD_RESOURCES, workloadControllers } from '../../src/kube/workloads.js';
import { pods } from '../../src/kube/core-resources.js';
import type { NodeFacts } from '../../src/core/facts.js';
import { createLocalPodRuntime, type LocalPodRuntime } from '../helpers/local-pod-runtime.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENTS = [
  { label: 'kubectl 1.20', bin: join(ROOT, '.cache/kubectl-1.20/usr/bin/kubectl'), missing: 'run scripts/fetch-kubectl-1.20.sh' },
  { label: 'kubectl 1.33', bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', missing: 'not installed' },
];

const NODES: NodeFacts[] = ['controlplane', 'node-1', 'node-2'].map((name, i) => ({
  name,
  roles: i === 0 ? ['control-plane'] : [],
  internalIP: `192.168.56.1${i}`,
  podCIDR: `10.244.${i}.0/24`,
  interfaces: [{ name: 'eth1', address: `192.168.56.1${i}`, prefixLength: 24 }],
}));

for (const client of CLIENTS) {
  const present = existsSync(client.bin);
  if (!present) console.warn(`skipping workload API tests with ${client.label}: ${client.missing}`);

  describe.skipIf(!present)(`Deployments and Services with ${client.label}`, () => {
    let api: KubeApi;
    let runtime: LocalPodRuntime;
    let dir: string;
    let env: Record<string, string>;
    const kubectl = (...args: string[]) => run([client.bin, ...args], { env, timeoutMs: 30_000 });
    const livePods = () => api.store.list(pods).items.filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp);

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hoplab-workloads-'));
      runtime = createLocalPodRuntime({ podCIDRs: Object.fromEntries(NODES.map((n) => [n.name, n.podCIDR])) });
      api = await startKubeApi({
        runtime,
        token: 'workloads-token-0123',
        nodes: NODES.map((n) => nodeObject(n, { cni: 'flannel-host-gw', kubeletVersion: 'v1.31.0' })),
        resources: [...WORKLOAD_RESOURCES],
        controllers: workloadControllers({ apiserver: { address: '192.168.56.10', port: 6443 } }),
      });
      await writeKubeconfig(join(dir, 'kubeconfig'), { server: api.url, certificateAuthority: api.caCert, token: 'workloads-token-0123', clusterName: 't', context: 't' });
      env = { KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
    });

    afterAll(async () => {
      await api?.close();
      await runtime?.shutdown();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('creates a Deployment whose rollout kubectl waits for', async () => {
      const r = await kubectl('create', 'deployment', 'web', '--image=httpd', '--replicas', '3');
      expect([r.exitCode, r.stdout.trim(), r.stderr]).toEqual([0, 'deployment.apps/web created', '']);
      const rollout = await kubectl('rollout', 'status', 'deployment', 'web', '--timeout', '20s');
      expect(rollout.exitCode).toBe(0);
      expect(rollout.stdout).toMatch(/deployment "web" successfully rolled out\n$/);
      const d = await kubectl('get', 'deployments', '-o', 'wide');
      expect(d.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+3\/3\s+3\s+3\s+\d+s\s+httpd\s+httpd\s+app=web\n$/);
      const rs = await kubectl('get', 'rs', '-o', 'wide');
      expect(rs.stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb-([a-z0-9]+)\s+3\s+3\s+3\s+\d+s\s+httpd\s+httpd\s+app=web,pod-template-hash=\1\n$/);
    });

    it('exposes it: a ClusterIP from 10.96.0.0/12, Endpoints and an EndpointSlice with the pods', async () => {
      const r = await kubectl('expose', 'deployment', 'web', '--port', '80');
      expect([r.exitCode, r.stdout.trim()]).toEqual([0, 'service/web exposed']);
      const ips = livePods()
        .map((p) => p.status?.podIP)
        .sort();
      expect(ips).toHaveLength(3);
      await waitFor('3 endpoints', async () => (await kubectl('get', 'endpoints', 'web')).stdout.includes(ips.map((ip) => `${ip}:80`).join(',')), 5000, 100);
      const out = (await kubectl('get', 'svc,endpoints,endpointslices', '-o', 'wide')).stdout;
      expect(out).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m);
      expect(out).toMatch(/^service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s\s+<none>$/m);
      expect(out).toMatch(/^service\/web\s+ClusterIP\s+10\.(9[6-9]|10\d|11[01])\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s\s+app=web$/m);
      expect(out).toMatch(/^endpoints\/kubernetes\s+192\.168\.56\.10:6443\s+\d+s$/m);
      expect(out).toMatch(new RegExp(`^endpoints/web\\s+${ips.map((ip) => `${ip.replace(/\./g, '\\.')}:80`).join(',')}\\s+\\d+s$`, 'm'));
      expect(out).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m);
      expect(out).toMatch(new RegExp(`^endpointslice\\.discovery\\.k8s\\.io/web-[a-z0-9]{5}\\s+IPv4\\s+80\\s+${ips.join(',').replace(/\./g, '\\.')}\\s+\\d+s$`, 'm'));
    });

    it('answers a missing pod or deployment to expose with NotFound', async () => {
      const pod = await kubectl('expose', 'pod', 'nope', '--port', '80');
      expect([pod.exitCode, pod.stderr.trim()]).toEqual([1, 'Error from server (NotFound): pods "nope" not found']);
      const dep = await kubectl('expose', 'deployment', 'nope', '--port', '80');
      expect([dep.exitCode, dep.stderr.trim()]).toEqual([1, 'Error from server (NotFound): deployments.apps "nope" not found']);
    });

    it('exposes a pod by its labels, as NodePort with a target port', async () => {
      expect((await kubectl('run', 'solo', '--image=httpd')).exitCode).toBe(0);
      const r = await kubectl('expose', 'pod', 'solo', '--port', '8080', '--target-port', '80', '--type', 'NodePort');
      expect([r.exitCode, r.stdout.trim()]).toEqual([0, 'service/solo exposed']);
      const svc = JSON.parse((await kubectl('get', 'svc', 'solo', '-o', 'json')).stdout);
      expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { run: 'solo' }, externalTrafficPolicy: 'Cluster' });
      expect(svc.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 80, protocol: 'TCP' });
      expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
      expect((await kubectl('get', 'svc', 'solo')).stdout).toMatch(new RegExp(`\\nsolo\\s+NodePort\\s+\\S+\\s+<none>\\s+8080:${svc.spec.ports[0].nodePort}/TCP\\s+`));
    });

    it('creates services with kubectl create service, refusing a taken ClusterIP as the apiserver does', async () => {
      const ok = await kubectl('create', 'service', 'clusterip', 'fixed', '--tcp', '80:8080', '--clusterip', '10.96.100.100');
      expect([ok.exitCode, ok.stdout.trim()]).toEqual([0, 'service/fixed created']);
      const dup = await kubectl('create', 'service', 'clusterip', 'dup', '--tcp', '80', '--clusterip', '10.96.100.100');
      expect(dup.exitCode).toBe(1);
      expect(dup.stderr).toContain('Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.100.100"}: failed to allocate IP 10.96.100.100: provided IP is already allocated');
    });

    it('scales through the scale subresource; endpoints follow', async () => {
      const r = await kubectl('scale', 'deployment', 'web', '--replicas', '2');
      expect([r.exitCode, r.stdout.trim()]).toEqual([0, 'deployment.apps/web scaled']);
      await waitFor('2 pods', () => livePods().length === 2, 5000);
      const rollout = await kubectl('rollout', 'status', 'deployment', 'web', '--timeout', '20s');
      expect(rollout.stdout).toMatch(/successfully rolled out/);
      const ips = livePods().map((p) => p.status?.podIP);
      await waitFor('2 endpoints', async () => {
        const ep = (await kubectl('get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}')).stdout.split(' ').filter(Boolean);
        return ep.length === 2 && ips.every((ip) => ep.includes(ip));
      }, 5000, 100);
      const scale = JSON.parse((await kubectl('get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale')).stdout);
      expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
      const gen = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
      expect(gen.metadata.generation).toBe(2);
      expect(gen.status.observedGeneration).toBe(2);
    });

    it('lists everything with get all', async () => {
      const r = await kubectl('get', 'all');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^pod\/web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+/m);
      expect(r.stdout).toMatch(/^service\/web\s+ClusterIP\s+/m);
      expect(r.stdout).toMatch(/^deployment\.apps\/web\s+2\/2\s+2\s+2\s+/m);
      expect(r.stdout).toMatch(/^replicaset\.apps\/web-[a-z0-9]+\s+2\s+2\s+2\s+/m);
    });

    it('deleting the Deployment removes its ReplicaSet and pods; the Service stays, without endpoints', async () => {
      const r = await kubectl('delete', 'deployment', 'web');
      expect(r.exitCode).toBe(0);
      await waitFor('pods gone', () => api.store.list(pods).items.filter((p) => p.metadata.labels?.app === 'web').length === 0, 10_000);
      expect((await kubectl('get', 'rs', '-o', 'name')).stdout.trim()).toBe('');
      const ep = await waitFor('endpoints empty', async () => {
        const out = (await kubectl('get', 'endpoints', 'web')).stdout;
        return /\nweb\s+<none>\s+/.test(out) ? out : undefined;
      }, 5000, 100);
      expect(ep).toMatch(/\nweb\s+<none>\s+\d+s\n/);
    });
  });
}
