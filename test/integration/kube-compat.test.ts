// The embedded API against clients nobody on the project wrote, checked
// against what a real cluster does (Kubernetes documentation and API
// conventions): kubectl 1.20 and 1.33 and Debian's python3-kubernetes.
// Dry runs change nothing (patch, delete, scale, diff); unknown fields are
// refused under fieldValidation=Strict with the apiserver's message and warned
// about otherwise; a multi-document apply with ConfigMaps, Secrets and a
// NetworkPolicy succeeds; the Python client's watch=True watches. Pods run as
// local processes through the test runtime: no namespaces needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/core/exec.js';
import { OPENAPI_SOURCE_DIR } from '../../src/kube/openapi.js';
import { startKubeApi, type KubeApi } from '../../src/kube/server.js';
import { nodeObject } from '../../src/kube/node-object.js';
import { writeKubeconfig } from '../../src/kube/kubeconfig.js';
import { configMaps, networkPolicies, secrets } from '../../src/kube/config-resources.js';
import { pods } from '../../src/kube/core-resources.js';
import { WORKLOAD_RESOURCES, workloadControllers } from '../../src/kube/workloads.js';
import { createLocalPodRuntime, type LocalPodRuntime } from '../helpers/local-pod-runtime.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENTS = [
  { label: 'kubectl 1.20', bin: join(ROOT, '.cache/kubectl-1.20/usr/bin/kubectl'), strict: false, missing: 'run scripts/fetch-kubectl-1.20.sh' },
  { label: 'kubectl 1.33', bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', strict: true, missing: 'kubectl 1.33 is not installed' },
];
const PYTHON = '/usr/bin/python3';
// With Kubernetes' OpenAPI document the server's document has paths and schemas (kubectl 1.20 then dry-runs and validates).
const HAVE_OPENAPI = existsSync(join(OPENAPI_SOURCE_DIR, 'swagger.json'));
const hasPythonClient = (await run([PYTHON, '-c', 'import kubernetes'])).exitCode === 0;

const node = (name: string, ip: string, cidr: string) =>
  nodeObject({ name, roles: [], internalIP: ip, podCIDR: cidr, interfaces: [{ name: 'eth1', address: ip, prefixLength: 24 }] }, { cni: 'flannel-host-gw', kubeletVersion: 'v1.31.0' });

const MULTI_DOC = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  GREETING: hello
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
stringData:
  PASSWORD: s3cret
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

const TYPO_POD = `apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: c
    image: busybox
    imagePulPolicy: Always
    command: [sleep, "3600"]
`;

async function startApi(dir: string): Promise<{ api: KubeApi; runtime: LocalPodRuntime; kubeconfig: string }> {
  const runtime = createLocalPodRuntime({ podCIDRs: { 'node-1': '10.244.1.0/24' } });
  const api = await startKubeApi({
    runtime,
    token: 'compat-token-0123456789',
    nodes: [node('node-1', '192.168.56.11', '10.244.1.0/24')],
    resources: [...WORKLOAD_RESOURCES],
    controllers: workloadControllers(),
  });
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, { server: api.url, certificateAuthority: api.caCert, token: 'compat-token-0123456789', clusterName: 'compat', context: 'compat' });
  return { api, runtime, kubeconfig };
}

for (const client of CLIENTS) {
  const present = existsSync(client.bin);
  if (!present) console.warn(`skipping API compatibility tests with ${client.label}: ${client.missing}`);

  describe.skipIf(!present)(`API compatibility with ${client.label}`, () => {
    let api: KubeApi;
    let runtime: LocalPodRuntime;
    let dir: string;
    let env: Record<string, string>;
    const kubectl = (args: string[], input?: string) => run([client.bin, ...args], { env, input, timeoutMs: 20_000 });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hoplab-compat-'));
      const s = await startApi(dir);
      api = s.api;
      runtime = s.runtime;
      env = { KUBECONFIG: s.kubeconfig, HOME: dir, PATH: process.env.PATH ?? '/usr/bin:/bin' };
    });
    afterAll(async () => {
      await api?.close();
      await runtime?.shutdown();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('applies a multi-document file with a ConfigMap, a Secret and a NetworkPolicy', async () => {
      const r = await kubectl(['apply', '-f', '-'], MULTI_DOC);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual(['configmap/app-config created', 'secret/app-secret created', 'networkpolicy.networking.k8s.io/deny-all created']);
      expect(api.store.get(configMaps, 'default', 'app-config')?.data).toEqual({ GREETING: 'hello' });
      // stringData is write-only: stored as base64 data.
      const secret = api.store.get(secrets, 'default', 'app-secret');
      expect(secret?.data).toEqual({ PASSWORD: Buffer.from('s3cret').toString('base64') });
      expect(secret?.stringData).toBeUndefined();
      expect(secret?.type).toBe('Opaque');
      expect(api.store.get(networkPolicies, 'default', 'deny-all')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      const got = await kubectl(['get', 'cm,secret,netpol']);
      expect(got.stdout).toMatch(/^configmap\/app-config\s+1\s+\d+s$/m);
      expect(got.stdout).toMatch(/^secret\/app-secret\s+Opaque\s+1\s+\d+s$/m);
      expect(got.stdout).toMatch(/^networkpolicy\.networking\.k8s\.io\/deny-all\s+<none>\s+\d+s$/m);
    });

    it('creates ConfigMaps and Secrets with kubectl create', async () => {
      expect((await kubectl(['create', 'configmap', 'lit', '--from-literal=a=1', '--from-literal=b=2'])).stdout.trim()).toBe('configmap/lit created');
      expect((await kubectl(['create', 'secret', 'generic', 'pw', '--from-literal=password=x y'])).stdout.trim()).toBe('secret/pw created');
      expect(api.store.get(configMaps, 'default', 'lit')?.data).toEqual({ a: '1', b: '2' });
      const b64 = (await kubectl(['get', 'secret', 'pw', '-o', 'jsonpath={.data.password}'])).stdout;
      expect(Buffer.from(b64, 'base64').toString()).toBe('x y');
    });

    // kubectl 1.20 looks for the dryRun parameter in the OpenAPI document's paths
    // before it sends a server dry run; without Kubernetes' document
    // (scripts/fetch-k8s-openapi.sh) the server's has no paths, so 1.20 refuses up front.
    it.runIf(!client.strict && !HAVE_OPENAPI)('refuses --dry-run=server with kubectl 1.20 before sending anything', async () => {
      const r = await kubectl(['delete', 'configmap', 'app-config', '--dry-run=server']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("/v1, Kind=ConfigMap doesn't support dry-run");
      expect(api.store.get(configMaps, 'default', 'app-config')).toBeDefined();
    });

    it.runIf(client.strict || HAVE_OPENAPI)('changes nothing on patch --dry-run=server, and answers what the patch would give', async () => {
      const r = await kubectl(['patch', 'configmap', 'app-config', '--dry-run=server', '-p', '{"data":{"GREETING":"changed"}}', '-o', 'jsonpath={.data.GREETING}']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('changed');
      expect(api.store.get(configMaps, 'default', 'app-config')?.data).toEqual({ GREETING: 'hello' });
    });

    it.runIf(client.strict || HAVE_OPENAPI)('deletes nothing on delete --dry-run=server', async () => {
      const r = await kubectl(['delete', 'configmap', 'app-config', '--dry-run=server']);
      expect(r.stdout).toContain('configmap "app-config" deleted (server dry run)');
      expect(api.store.get(configMaps, 'default', 'app-config')).toBeDefined();
    });

    it.runIf(client.strict || HAVE_OPENAPI)('changes nothing on kubectl diff, and shows the difference', async () => {
      await writeFile(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  GREETING: bonjour\n');
      const before = api.store.get(configMaps, 'default', 'app-config')!.metadata.resourceVersion;
      const r = await kubectl(['diff', '-f', join(dir, 'cm.yaml')]);
      expect(r.exitCode).toBe(1); // 1: differences found
      expect(r.stdout).toMatch(/^-\s+GREETING: hello$/m);
      expect(r.stdout).toMatch(/^\+\s+GREETING: bonjour$/m);
      const after = api.store.get(configMaps, 'default', 'app-config')!;
      expect(after.data).toEqual({ GREETING: 'hello' });
      expect(after.metadata.resourceVersion).toBe(before);
    });

    it.runIf(client.strict)('refuses an unknown field with the apiserver\'s strict decoding error', async () => {
      const r = await kubectl(['apply', '-f', '-'], TYPO_POD);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePulPolicy"');
    });

    // kubectl 1.20 validates against the OpenAPI document before sending, as against a real cluster.
    it.runIf(!client.strict && HAVE_OPENAPI)('refuses an unknown field client-side with kubectl 1.20', async () => {
      const r = await kubectl(['apply', '-f', '-'], TYPO_POD);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('error validating data: ValidationError(Pod.spec.containers[0]): unknown field "imagePulPolicy" in io.k8s.api.core.v1.Container');
    });

    it('warns about an unknown field when validation is not strict, and drops it', async () => {
      const r = await kubectl(['create', `--validate=${client.strict ? 'warn' : 'false'}`, '-f', '-'], TYPO_POD);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain('Warning: unknown field "spec.containers[0].imagePulPolicy"');
      expect(api.store.get(pods, 'default', 'typo')?.spec.containers[0]).not.toHaveProperty('imagePulPolicy');
      await kubectl(['delete', 'pod', 'typo', '--now']);
    });

    // kubectl patch sends no fieldValidation: the apiserver's default, Warn, which drops the field.
    it('warns about an unknown field in a patch and does not store it', async () => {
      const r = await kubectl(['patch', 'configmap', 'app-config', '-p', '{"data":{"EXTRA":"1"},"bogus":1}']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain('Warning: unknown field "bogus"');
      const cm = api.store.get(configMaps, 'default', 'app-config')!;
      expect(cm.data).toMatchObject({ EXTRA: '1' });
      expect(cm).not.toHaveProperty('bogus');
    });
  });
}

describe.skipIf(!hasPythonClient)('API compatibility with Debian\'s python3-kubernetes', () => {
  let api: KubeApi;
  let runtime: LocalPodRuntime;
  let dir: string;
  const py = (script: string) => run([PYTHON, '-c', script], { env: { KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir }, timeoutMs: 30_000 });
  const prelude = `
from kubernetes import client, config, watch
config.load_kube_config()
v1 = client.CoreV1Api()
`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoplab-compat-py-'));
    const s = await startApi(dir);
    api = s.api;
    runtime = s.runtime;
  });
  afterAll(async () => {
    await api?.close();
    await runtime?.shutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('watches with watch=True (the client sends "True")', async () => {
    const r = await py(`${prelude}
v1.create_namespaced_config_map('default', {'metadata': {'name': 'w1'}, 'data': {'a': '1'}})
seen = []
for e in watch.Watch().stream(v1.list_namespaced_config_map, 'default', timeout_seconds=3):
    seen.append(e['type'] + ' ' + e['object'].metadata.name)
    if len(seen) == 1:
        break
print(seen)
`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe("['ADDED w1']");
  });

  it('honours dry_run="All" on patch and delete', async () => {
    const r = await py(`${prelude}
v1.create_namespaced_config_map('default', {'metadata': {'name': 'd1'}, 'data': {'a': '1'}})
out = v1.patch_namespaced_config_map('d1', 'default', {'data': {'a': '2'}}, dry_run='All')
print(out.data['a'])
v1.delete_namespaced_config_map('d1', 'default', dry_run='All')
print(v1.read_namespaced_config_map('d1', 'default').data['a'])
`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['2', '1']);
    expect(api.store.get(configMaps, 'default', 'd1')?.data).toEqual({ a: '1' });
  });
});
