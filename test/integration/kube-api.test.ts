// The embedded API server driven by real kubectl binaries: the oldest a fresh
// Debian gets (1.20, SPDY exec, legacy discovery), the machine's default
// (the Google Cloud SDK dispatcher picks the build matching the server) and
// the newest here (1.33, aggregated discovery, WebSocket exec). Pods run as
// plain local processes through a test runtime; no namespaces needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import pty from 'node-pty';
import { run } from '../../src/core/exec.js';
import { startKubeApi, type KubeApi } from '../../src/kube/server.js';
import { nodeObject } from '../../src/kube/node-object.js';
import { writeKubeconfig } from '../../src/kube/kubeconfig.js';
import { pods } from '../../src/kube/core-resources.js';
import type { NodeFacts } from '../../src/core/facts.js';
import { createLocalPodRuntime, type LocalPodRuntime } from '../helpers/local-pod-runtime.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KUBECTL_120 = join(ROOT, '.cache/kubectl-1.20/usr/bin/kubectl');
const KUBECTL_133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const defaultKubectl = (await run(['sh', '-c', 'command -v kubectl'])).stdout.trim();

const CLIENTS = [
  { label: 'kubectl 1.20 (Debian kubernetes-client)', bin: KUBECTL_120, exec: 'SPDY', missing: 'run scripts/fetch-kubectl-1.20.sh to unpack it into .cache/' },
  { label: 'default kubectl', bin: defaultKubectl, exec: 'WebSocket', missing: 'no kubectl on PATH' },
  { label: 'kubectl 1.33', bin: KUBECTL_133, exec: 'WebSocket', missing: `${KUBECTL_133} is not installed` },
];

const NODES: NodeFacts[] = [
  { name: 'controlplane', roles: ['control-plane'], internalIP: '192.168.56.10', podCIDR: '10.244.0.0/24', interfaces: [{ name: 'eth1', address: '192.168.56.10', prefixLength: 24 }] },
  { name: 'node-1', roles: [], internalIP: '192.168.56.11', podCIDR: '10.244.1.0/24', interfaces: [{ name: 'eth1', address: '192.168.56.11', prefixLength: 24 }] },
  { name: 'node-2', roles: [], internalIP: '192.168.56.12', podCIDR: '10.244.2.0/24', interfaces: [{ name: 'eth1', address: '192.168.56.12', prefixLength: 24 }] },
];

for (const client of CLIENTS) {
  const present = Boolean(client.bin) && existsSync(client.bin);
  if (!present) console.warn(`skipping kube API tests with ${client.label}: ${client.missing}`);

  describe.skipIf(!present)(`kube API with ${client.label}`, () => {
    let api: KubeApi;
    let runtime: LocalPodRuntime;
    let dir: string;
    let env: Record<string, string>;
    const logs: string[] = [];
    const TOKEN = 'test-token-0123456789';

    const kubectl = (args: string[], input?: string) => run([client.bin, ...args], { env, input, timeoutMs: 20_000 });
    const podPhase = (name: string) => api.store.get(pods, 'default', name)?.status?.phase as string | undefined;
    const waitPhase = (name: string, phases: string[]) => waitFor(`pod ${name} in ${phases.join('/')}`, () => phases.includes(podPhase(name) ?? ''));

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hoplab-kube-api-'));
      runtime = createLocalPodRuntime({ podCIDRs: Object.fromEntries(NODES.map((n) => [n.name, n.podCIDR])) });
      api = await startKubeApi({
        runtime,
        token: TOKEN,
        nodes: NODES.map((n) => nodeObject(n, { cni: 'flannel-host-gw', kubeletVersion: 'v1.31.0' })),
        log: (l) => logs.push(l),
      });
      await writeKubeconfig(join(dir, 'kubeconfig'), { server: api.url, certificateAuthority: api.caCert, token: TOKEN, clusterName: 'hoplab-test', context: 'hoplab-test' });
      // Own HOME: kubectl's discovery cache must not leak between clients.
      env = { KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
    });

    afterAll(async () => {
      await api?.close();
      await runtime?.shutdown();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('reports the server version', async () => {
      const r = await kubectl(['version']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/Server Version: (v1\.31\.0|version\.Info\{Major:"1", Minor:"31", GitVersion:"v1\.31\.0")/);
    });

    it('lists nodes with roles, addresses and the wide columns', async () => {
      const r = await kubectl(['get', 'nodes', '-o', 'wide']);
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
      expect(lines[1]).toMatch(/^controlplane\s+Ready\s+control-plane\s+\d+s\s+v1\.31\.0\s+192\.168\.56\.10\s+<none>\s+.+containerd:\/\/\S+$/);
      expect(lines[2]).toMatch(/^node-1\s+Ready\s+<none>\s+\d+s\s+v1\.31\.0\s+192\.168\.56\.11\s+<none>/);
      const annotations = JSON.parse((await kubectl(['get', 'node', 'node-1', '-o', 'jsonpath={.metadata.annotations}'])).stdout);
      expect(annotations['flannel.alpha.coreos.com/public-ip']).toBe('192.168.56.11');
    });

    it('runs a pod pinned with --overrides nodeSelector and shows it with -o wide', async () => {
      const r = await kubectl(['run', 'httpd', '--image=httpd', '--overrides={"spec":{"nodeSelector":{"kubernetes.io/hostname":"node-1"}}}']);
      expect(r.stdout.trim()).toBe('pod/httpd created');
      await waitPhase('httpd', ['Running']);
      const wide = await kubectl(['get', 'pods', '-o', 'wide']);
      expect(wide.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
      expect(wide.stdout).toMatch(/\nhttpd\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.1\.\d+\s+node-1\s+<none>\s+<none>\n/);
      const plain = await kubectl(['get', 'pods/httpd']);
      expect(plain.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nhttpd\s+1\/1\s+Running\s+0\s+\d+s\n$/);
    });

    it('prints the pod as json, yaml and jsonpath', async () => {
      const json = JSON.parse((await kubectl(['get', 'pod', 'httpd', '-o', 'json'])).stdout);
      expect(json).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'httpd', labels: { run: 'httpd' } }, spec: { nodeName: 'node-1' } });
      expect((await kubectl(['get', 'pod', 'httpd', '-o', 'yaml'])).stdout).toMatch(/^apiVersion: v1\nkind: Pod\n/);
      const ip = (await kubectl(['get', 'pod', 'httpd', '-o', 'jsonpath={.status.podIP}'])).stdout;
      expect(ip).toMatch(/^10\.244\.1\.\d+$/);
      expect(ip).toBe(json.status.podIP);
    });

    it('describes a pod with its events', async () => {
      const r = await kubectl(['describe', 'pod', 'httpd']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^Node:\s+node-1\/192\.168\.56\.11$/m);
      expect(r.stdout).toMatch(/^Events:/m);
      expect(r.stdout).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/httpd to node-1/);
      expect(r.stdout).toMatch(/Normal\s+Started\s+\S+\s+kubelet\S*( node-1)?\s+Started container httpd/);
    });

    it('prints the logs of a finished pod', async () => {
      expect((await kubectl(['run', 'echo', '--image=busybox', '--restart=Never', '--', 'echo', 'hi'])).exitCode).toBe(0);
      await waitPhase('echo', ['Succeeded']);
      const r = await kubectl(['logs', 'echo']);
      expect([r.exitCode, r.stdout]).toEqual([0, 'hi\n']);
      expect((await kubectl(['get', 'pod', 'echo'])).stdout).toMatch(/\necho\s+0\/1\s+Completed\s+0\s+/);
    });

    it('follows logs until the container ends', async () => {
      await kubectl(['run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 0.6; echo two']);
      await waitPhase('ticker', ['Running']);
      const r = await kubectl(['logs', '-f', 'ticker']);
      // "two" comes 0.6 s after the pod started running: only a followed stream has it.
      expect([r.exitCode, r.stdout]).toEqual([0, 'one\ntwo\n']);
      expect((await kubectl(['logs', 'ticker', '--tail=1'])).stdout).toBe('two\n');
    });

    it('answers a missing pod with NotFound and exit code 1', async () => {
      const r = await kubectl(['get', 'pod', 'nope']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    });

    it(`execs with the command's exit code and stdin (via ${client.exec})`, async () => {
      const fail = await kubectl(['exec', 'httpd', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      expect(fail.exitCode).toBe(3);
      expect(fail.stdout).toBe('out\n');
      expect(fail.stderr).toContain('err\n');
      expect(fail.stderr).toContain('command terminated with exit code 3');
      // cat ends only when the end of stdin reaches the command.
      const cat = await kubectl(['exec', '-i', 'httpd', '--', 'sh', '-c', 'cat; echo " [done]"'], 'hello from stdin');
      expect([cat.exitCode, cat.stdout]).toEqual([0, 'hello from stdin [done]\n']);
      expect(logs.some((l) => l.includes(`via ${client.exec}`))).toBe(true);
    });

    it('execs an interactive shell with a TTY', async () => {
      const term = pty.spawn(client.bin, ['exec', '-it', 'httpd', '--', 'sh'], { cols: 91, rows: 27, env: { ...process.env, ...env } as Record<string, string> });
      let out = '';
      term.onData((d) => (out += d));
      const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
      try {
        await waitFor('a shell prompt', () => out.length > 0, 10_000);
        term.write('stty size; echo tty-$((6*7))\r');
        await waitFor('the command output', () => out.includes('tty-42'), 10_000);
        term.write('exit 7\r');
        expect(await exited).toBe(7);
      } finally {
        term.kill();
      }
      expect(out).toContain('27 91');
    });

    it('watches pods and sees a change', async () => {
      const child = spawn(client.bin, ['get', 'pods', '-w'], { env: { ...process.env, ...env } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      try {
        await waitFor('the watch listing', () => /^NAME\s+READY/.test(out), 10_000);
        await kubectl(['run', 'watched', '--image=busybox', '--restart=Never', '--', 'true']);
        await waitFor('the new pod completing in the watch output', () => /\nwatched\s+0\/1\s+Completed\s/.test(out), 10_000);
      } finally {
        child.kill();
      }
      expect(out).toMatch(/\nwatched\s+0\/1\s+Pending\s/);
    });

    it('leaves an unschedulable pod Pending with a FailedScheduling event', async () => {
      await kubectl(['run', 'cp', '--image=busybox', '--overrides={"spec":{"nodeSelector":{"kubernetes.io/hostname":"controlplane"}}}']);
      await waitFor('the FailedScheduling event', async () => /FailedScheduling/.test((await kubectl(['describe', 'pod', 'cp'])).stdout), 5000, 100);
      const d = await kubectl(['describe', 'pod', 'cp']);
      expect(d.stdout).toContain("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.");
      expect((await kubectl(['get', 'pod', 'cp'])).stdout).toMatch(/\ncp\s+0\/1\s+Pending\s+0\s+/);
      const all = await kubectl(['get', 'all']);
      expect(all.exitCode).toBe(0);
      // Prefixed with pod/ only when other kinds are listed too.
      expect(all.stdout).toMatch(/^(pod\/)?cp\s+0\/1\s+Pending/m);
      expect((await kubectl(['delete', 'pod', 'cp'])).exitCode).toBe(0);
    });

    it('creates from a file and labels (OpenAPI download, client-side apply)', async () => {
      const file = join(dir, 'pod.yaml');
      await writeFile(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fromfile\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "30"]\n');
      expect((await kubectl(['apply', '-f', file])).stdout.trim()).toBe('pod/fromfile created');
      expect((await kubectl(['label', 'pod', 'fromfile', 'lab=yes'])).stdout.trim()).toBe('pod/fromfile labeled');
      expect((await kubectl(['get', 'pods', '-l', 'lab=yes', '-o', 'name'])).stdout.trim()).toBe('pod/fromfile');
      expect((await kubectl(['delete', '-f', file])).exitCode).toBe(0);
    });

    it('creates and deletes a namespace with what it holds', async () => {
      expect((await kubectl(['create', 'namespace', 'lab'])).stdout.trim()).toBe('namespace/lab created');
      expect((await kubectl(['run', '-n', 'lab', 'inside', '--image=busybox', '--', 'sleep', '30'])).exitCode).toBe(0);
      await waitFor('the pod in lab to run', () => api.store.get(pods, 'lab', 'inside')?.status?.phase === 'Running');
      const r = await kubectl(['delete', 'namespace', 'lab']);
      expect([r.exitCode, r.stdout.trim()]).toEqual([0, 'namespace "lab" deleted']);
      expect(api.store.get(pods, 'lab', 'inside')).toBeUndefined();
      expect((await kubectl(['get', 'namespace', 'lab'])).stderr.trim()).toBe('Error from server (NotFound): namespaces "lab" not found');
      expect((await kubectl(['delete', 'namespace', 'default'])).stderr.trim()).toBe('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
    });

    it('deletes a running pod promptly', async () => {
      const started = Date.now();
      const r = await kubectl(['delete', 'pod', 'httpd']);
      expect([r.exitCode, r.stdout.trim()]).toEqual([0, 'pod "httpd" deleted']);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(api.store.get(pods, 'default', 'httpd')).toBeUndefined();
      expect((await kubectl(['get', 'pod', 'httpd'])).exitCode).toBe(1);
    });

    it('refuses requests without the token', async () => {
      const r = await kubectl(['--token=wrong', 'get', 'pods']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/You must be logged in to the server/);
      const status = await new Promise<{ code: number; body: any }>((resolve, reject) => {
        const req = request(`${api.url}/api/v1/pods`, { ca: api.caCert }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(body) }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toEqual({ code: 401, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } });
    });
  });
}
