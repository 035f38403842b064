// `kubectl explain` against the embedded API, with the real kubectl (the
// newest here reads OpenAPI v3, kubectl 1.20 and --output=plaintext-openapiv2
// read v2 in gnostic's protobuf), compared with what a real cluster prints:
// the kind, its version, and the fields, types and descriptions of the
// Kubernetes document the API serves (scripts/fetch-k8s-openapi.sh). Skipped,
// saying why, when that document or a kubectl is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:https';
import { run } from '../../src/core/exec.js';
import { startKubeApi, type KubeApi } from '../../src/kube/server.js';
import { nodeObject } from '../../src/kube/node-object.js';
import { writeKubeconfig } from '../../src/kube/kubeconfig.js';
import { OPENAPI_SOURCE_DIR } from '../../src/kube/openapi.js';
import { WORKLOAD_RESOURCES, workloadControllers } from '../../src/kube/workloads.js';
import { createLocalPodRuntime, type LocalPodRuntime } from '../helpers/local-pod-runtime.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SWAGGER = join(OPENAPI_SOURCE_DIR, 'swagger.json');
const haveDoc = existsSync(SWAGGER) && existsSync(join(OPENAPI_SOURCE_DIR, 'OpenAPIv2.proto'));
if (!haveDoc) console.warn(`skipping kubectl explain tests: no ${SWAGGER} (run scripts/fetch-k8s-openapi.sh)`);
const CLIENTS = [
  { label: 'kubectl 1.20', bin: join(ROOT, '.cache/kubectl-1.20/usr/bin/kubectl'), v3: false, missing: 'run scripts/fetch-kubectl-1.20.sh' },
  { label: 'kubectl on PATH', bin: 'kubectl', v3: true, missing: 'no kubectl on PATH' },
];

const node = nodeObject(
  { name: 'node-1', roles: [], internalIP: '192.168.56.11', podCIDR: '10.244.1.0/24', interfaces: [{ name: 'eth1', address: '192.168.56.11', prefixLength: 24 }] },
  { cni: 'flannel-host-gw', kubeletVersion: 'v1.31.0' },
);

/** The description a real cluster prints for a definition's field, first words. */
function describedAs(def: string, field?: string): string {
  const defs = JSON.parse(readFileSync(SWAGGER, 'utf8')).definitions;
  const d = field ? defs[def].properties[field] : defs[def];
  return String(d.description).split(/\s+/).slice(0, 6).join(' ');
}
const words = (s: string) => s.replace(/\s+/g, ' ');

describe.skipIf(!haveDoc)('kubectl explain', () => {
  let api: KubeApi;
  let runtime: LocalPodRuntime;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoplab-explain-'));
    runtime = createLocalPodRuntime({ podCIDRs: { 'node-1': '10.244.1.0/24' } });
    api = await startKubeApi({ runtime, token: 'explain-token-0123456789', nodes: [node], resources: [...WORKLOAD_RESOURCES], controllers: workloadControllers() });
    kubeconfig = join(dir, 'kubeconfig');
    await writeKubeconfig(kubeconfig, { server: api.url, certificateAuthority: api.caCert, token: 'explain-token-0123456789', clusterName: 'explain', context: 'explain' });
  });
  afterAll(async () => {
    await api?.close();
    await runtime?.shutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // As the apiserver: an ETag to revalidate with (304), v3 documents addressed by their hash and immutable.
  it('answers with ETags, 304 on a match, and hash-addressed immutable v3 documents', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, any>; body: string }>((resolve, reject) => {
        const req = request(new URL(path, api.url), { ca: api.caCert, headers: { Authorization: 'Bearer explain-token-0123456789', ...headers } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const v2 = await get('/openapi/v2', { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(v2.status).toBe(200);
    expect(v2.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect((await get('/openapi/v2', { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'If-None-Match': v2.headers.etag })).status).toBe(304);
    const index = JSON.parse((await get('/openapi/v3')).body);
    const url: string = index.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await get(url);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    expect(doc.headers.etag).toBe(`"${url.split('hash=')[1]}"`);
    expect(JSON.parse(doc.body).components.schemas['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    const stale = await get('/openapi/v3/apis/apps/v1?hash=00');
    expect(stale.status).toBe(301);
    expect(stale.headers.location).toBe(url);
  });

  for (const client of CLIENTS) {
    const present = client.bin === 'kubectl' || existsSync(client.bin);
    if (!present) console.warn(`skipping kubectl explain with ${client.label}: ${client.missing}`);
    const kubectl = (args: string[]) => run([client.bin, ...args], { env: { KUBECONFIG: kubeconfig, HOME: dir, PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 30_000 });

    describe.skipIf(!present)(client.label, () => {
      it('explains pods: kind, version, description and top-level fields', async () => {
        const r = await kubectl(['explain', 'pods']);
        expect(r.stderr).toBe('');
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toMatch(/^KIND:\s+Pod$/m);
        expect(r.stdout).toMatch(/^VERSION:\s+v1$/m);
        expect(words(r.stdout)).toContain(describedAs('io.k8s.api.core.v1.Pod'));
        for (const f of ['apiVersion', 'kind', 'metadata', 'spec', 'status']) expect(r.stdout).toMatch(new RegExp(`^\\s+${f}\\s+<`, 'm'));
        expect(words(r.stdout)).toContain(describedAs('io.k8s.api.core.v1.Pod', 'spec'));
      });

      it('explains a nested field: pod.spec.containers.ports', async () => {
        const r = await kubectl(['explain', 'pod.spec.containers.ports']);
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toMatch(/^(RESOURCE|FIELD):\s+ports\s+<\[\](Object|ContainerPort)>$/m);
        expect(r.stdout).toMatch(/^\s+containerPort\s+<integer>( -required-)?$/m);
        expect(r.stdout).toMatch(/^\s+protocol\s+<string>/m);
        expect(words(r.stdout)).toContain(describedAs('io.k8s.api.core.v1.ContainerPort', 'containerPort'));
      });

      it('explains deployment --recursive down to the pod template', async () => {
        const r = await kubectl(['explain', 'deployment', '--recursive']);
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toMatch(/^VERSION:\s+(apps\/)?v1$/m);
        expect(r.stdout).toMatch(/^\s+maxSurge\s+<(string|IntOrString)>$/m);
        expect(r.stdout).toMatch(/^\s+containerPort\s+<integer>/m);
      });

      it('explains svc.spec from the v2 document with --output=plaintext-openapiv2', async () => {
        const args = client.v3 ? ['explain', 'svc.spec', '--output=plaintext-openapiv2'] : ['explain', 'svc.spec'];
        const r = await kubectl(args);
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toMatch(/^KIND:\s+Service$/m);
        expect(r.stdout).toMatch(/^\s+clusterIP\s+<string>$/m);
        expect(r.stdout).toMatch(/^\s+ports\s+<\[\]Object>$/m);
        expect(words(r.stdout)).toContain(describedAs('io.k8s.api.core.v1.ServiceSpec', 'clusterIP'));
      });

      it('says a field does not exist as kubectl does', async () => {
        const r = await kubectl(['explain', 'pod.spec.nosuchfield']);
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(/field "nosuchfield" does not exist/);
      });
    });
  }
});
