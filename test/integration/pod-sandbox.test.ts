// Pods are containers: on the embedded lab, through the built binary and the
// real kubectl, a pod has lo up with 127.0.0.1, its own root filesystem made
// from its image (the machine's files and another pod's files out of reach,
// kubectl cp landing in that pod only), its own PID namespace with its command
// as PID 1, its pod name as hostname, kubelet's /etc/hosts and resolv.conf,
// and a container killed by a signal is reported with 128 + the signal.
// The streaming commands with kubectl 1.20 (SPDY) and 1.33 (WebSocket): run -i
// and -it, attach -i, port-forward to a pod, a Service and a Deployment; then
// pods/services proxy, auth can-i --list, cluster-info, logs --limit-bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { ROOT, hoplab, until } from '../helpers/cli.js';
import { labKubectl } from '../helpers/lab-direct.js';
import { BUILT_BUSYBOX } from '../../src/providers/netns/images.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';
import { labPaths, readApiRecord } from '../../src/providers/netns/state.js';
import { kubectlProgram, run } from '../../src/core/exec.js';
import { createNetnsProvider } from '../../src/providers/netns/provider.js';
import { execPath } from '../../src/kube/exec-client.js';
import WebSocket from 'ws';
import { KUBE_VERSION } from '../../src/providers/netns/kube-version.js';
import { httpGet, kubectlOnTerminal, portForward } from '../helpers/kubectl-stream.js';

// The streaming commands (attach, port-forward) with the oldest kubectl here (SPDY only) and the newest (WebSocket).
const KUBECTLS = [
  { label: 'kubectl 1.20', bin: join(ROOT, '.cache/kubectl-1.20/usr/bin/kubectl'), websocket: false },
  { label: 'kubectl 1.33', bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', websocket: true },
].filter((c) => {
  if (!existsSync(c.bin)) console.warn(`skipping attach/port-forward with ${c.label}: ${c.bin} is absent`);
  return existsSync(c.bin);
});

const lab = testLabName('box');
// The kubectl the lab's own commands used to start (the one `hoplab kubectl` runs).
const KUBECTL = kubectlProgram(KUBE_VERSION);
const env = { HOPLAB_LAB: lab };
const k = labKubectl(lab);
const exec = (pod: string, script: string) => k('exec', pod, '--', 'sh', '-c', script);
const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

// Each step is a few kubectl calls; room for a machine busy with other labs.
describe.skipIf(skip)('pod sandbox on the netns lab', { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplab-box-'));
  // A file of the machine's that no pod may see or change.
  const hostFile = join(dir, 'host-secret.txt');

  beforeAll(async () => {
    writeFileSync(hostFile, 'machine\n');
    expect((await hoplab(['up'], env)).code).toBe(0);
    for (const name of ['a', 'b']) expect((await k('run', name, '--image=busybox', '--', 'sleep', '3600')).code).toBe(0);
    expect((await k('run', 'web', '--image=httpd')).code).toBe(0);
    expect((await k('create', 'deployment', 'webd', '--image=httpd')).code).toBe(0);
    expect((await k('expose', 'deployment', 'webd', '--port=8080', '--target-port=80')).code).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/a', 'pod/b', 'pod/web', '--timeout=60s')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    expect((await hoplab(['down'], env)).code).toBe(0);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it('has lo up with 127.0.0.1: a container reaches its own pod over localhost', async () => {
    const lo = await exec('web', 'ip addr show lo');
    expect(lo.stdout).toMatch(/<LOOPBACK,UP,LOWER_UP>/);
    expect(lo.stdout).toContain('inet 127.0.0.1/8');
    const r = await exec('web', 'wget -qO- http://127.0.0.1');
    expect(r.stdout).toContain('It works!');
  });

  it('cannot see or change a file of the machine', async () => {
    const r = await exec('a', `cat ${hostFile}; echo pod > ${hostFile}; ls /; cat /etc/hostname`);
    expect(r.stdout).not.toContain('machine');
    expect(readFileSync(hostFile, 'utf8')).toBe('machine\n');
    // The pod's root is its image: the upstream busybox image's directories, not the machine's.
    expect(r.stdout.split('\n')).toContain('bin');
    expect(r.stdout).not.toMatch(/^(boot|run|srv|work|opt)$/m);
    expect(r.stdout.trim().split('\n').pop()).toBe('a');
    expect(existsSync(join(dir, 'pod'))).toBe(false);
  });

  it('kubectl cp puts a file in that pod only, not in another pod or on the machine', async () => {
    const src = join(dir, 'f.txt');
    writeFileSync(src, 'copied\n');
    const marker = `cp-${process.pid}`;
    expect((await k('cp', src, `a:/tmp/${marker}.txt`)).code).toBe(0);
    expect((await exec('a', `cat /tmp/${marker}.txt`)).stdout).toBe('copied\n');
    expect((await exec('b', `ls /tmp/${marker}.txt || echo absent`)).stdout).toContain('absent');
    expect(existsSync(`/tmp/${marker}.txt`)).toBe(false);
    // And back out again.
    const back = join(dir, 'back.txt');
    expect((await k('cp', `a:/tmp/${marker}.txt`, back)).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe('copied\n');
  });

  it('a removal in one pod leaves another pod and the machine alone', async () => {
    await exec('a', 'rm -rf /bin/wget /etc/passwd');
    expect((await exec('b', 'ls /bin/wget /etc/passwd')).code).toBe(0);
    expect(existsSync('/etc/passwd')).toBe(true);
  });

  it('ps lists only the pod\'s own processes, its command as PID 1', async () => {
    const r = await exec('b', 'ps -o pid,comm');
    const lines = r.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    expect(lines[0]).toEqual(['1', 'sleep']);
    expect(lines.map((l) => l[1])).not.toContain('node');
    expect(lines.length).toBeLessThanOrEqual(3); // sleep, sh, ps
  });

  it('a hostNetwork + hostPID pod (a node debug pod) sees its node: the node\'s name, interfaces and processes; netshoot\'s ip is iproute2', async () => {
    const spec = { spec: { nodeName: 'node-1', hostNetwork: true, hostPID: true, containers: [{ name: 'dbg', image: 'nicolaka/netshoot:v0.13', command: ['sleep', '600'], securityContext: { privileged: true } }] } };
    expect((await k('run', 'dbg', '--image=nicolaka/netshoot:v0.13', `--overrides=${JSON.stringify(spec)}`)).code).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/dbg', '--timeout=60s')).code).toBe(0);
    const r = await exec('dbg', 'hostname; ip -V; ip -4 -o addr show dev eth1; cat /proc/1/comm');
    const [host, version, addr, init] = r.stdout.split('\n');
    expect(host).toBe('node-1');
    expect(version).toMatch(/iproute2/);
    expect(addr).toMatch(/inet 192\.168\.56\.11\/24/);
    expect(init).not.toBe('sleep'); // PID 1 is the node's, not the container's command
    await k('delete', 'pod', 'dbg', '--wait=false');
  });

  it('has a /dev of its own: the device nodes, the fd links, its own pts and shm, nothing of the machine\'s', async () => {
    const r = await exec('a', 'ls /dev; echo x > /dev/null && echo null-ok; head -c 5 /dev/urandom | wc -c; head -c 3 /dev/zero | wc -c; ls -l /dev/null; for l in fd stdin ptmx; do readlink /dev/$l; done; grep -E " /dev/(pts|shm) " /proc/mounts | cut -d" " -f2,3');
    const ls = r.stdout.split('\n');
    for (const n of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'fd', 'stdin', 'stdout', 'stderr', 'ptmx', 'pts', 'shm']) expect(ls).toContain(n);
    expect(ls).not.toContain('sda');
    expect(r.stdout).toContain('null-ok\n5\n3\n');
    expect(r.stdout).toMatch(/^crw-rw-rw- .* 1, +3 .*\/dev\/null$/m);
    expect(r.stdout).toContain('/proc/self/fd\n/proc/self/fd/0\npts/ptmx\n');
    expect(r.stdout).toContain('/dev/pts devpts\n/dev/shm tmpfs');
  });

  it('has the pod name as hostname and the files kubelet writes', async () => {
    const r = await exec('b', 'hostname; cat /etc/hosts /etc/resolv.conf');
    const ip = (await k('get', 'pod', 'b', '-o', 'jsonpath={.status.podIP}')).stdout;
    expect(r.stdout.split('\n')[0]).toBe('b');
    expect(r.stdout).toContain('# Kubernetes-managed hosts file.');
    expect(r.stdout).toContain(`${ip}\tb`);
    expect(r.stdout).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(r.stdout).toContain('nameserver 10.96.0.10');
  });

  it('gives a container kubelet\'s service links and its ConfigMap and Secret as env and files', async () => {
    const manifest = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {GREETING: hello, app.conf: "port=8080"}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\nstringData: {PASSWORD: s3cret}',
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: cfg}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, "3600"]',
        '    env: [{name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: GREETING}}}, {name: MSG, value: "$(GREETING) world"}]',
        '    envFrom: [{secretRef: {name: sec}}]',
        '    volumeMounts: [{name: v, mountPath: /etc/app}]',
        '  volumes: [{name: v, configMap: {name: cfg}}]',
      ].join('\n'),
    ].join('\n---\n');
    const dirFile = join(dir, 'cfg.yaml');
    writeFileSync(dirFile, manifest);
    expect((await k('apply', '-f', dirFile)).code).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/cfg', '--timeout=60s')).code).toBe(0);
    const r = await exec('cfg', 'echo "$GREETING|$MSG|$PASSWORD|$KUBERNETES_SERVICE_HOST|$KUBERNETES_SERVICE_PORT"; cat /etc/app/app.conf; echo; touch /etc/app/x || echo read-only');
    expect(r.stdout).toContain('hello|hello world|s3cret|10.96.0.1|443');
    expect(r.stdout).toContain('port=8080');
    expect(r.stdout).toContain('read-only');
  });

  it('reports CreateContainerConfigError for a missing ConfigMap, as kubelet does', async () => {
    const pod = JSON.stringify({ spec: { containers: [{ name: 'm', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }] } });
    expect((await k('run', 'missing', '--image=busybox', `--overrides=${pod}`)).code).toBe(0);
    const reason = await until('CreateContainerConfigError', async () => {
      const r = await k('get', 'pod', 'missing', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}');
      return r.stdout === 'CreateContainerConfigError' ? r.stdout : undefined;
    }, 30_000);
    expect(reason).toBe('CreateContainerConfigError');
    expect((await k('get', 'pod', 'missing', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}')).stdout).toBe('configmap "nope" not found');
  });

  it.runIf(existsSync(BUILT_BUSYBOX))('has the upstream busybox image\'s wget options (-T, --spider, --timeout)', async () => {
    const ip = (await k('get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}')).stdout;
    const r = await exec('b', `wget -q -O- -T 2 http://${ip} >/dev/null && echo fetched; wget --spider --timeout=1 http://${ip} && echo spider`);
    expect(r.stdout).toContain('fetched');
    expect(r.stdout).toContain('spider');
  });

  for (const client of KUBECTLS) {
    const kenv = () => ({ KUBECONFIG: labPaths(lab).kubeconfig, HOME: dir, KUBECTL_PORT_FORWARD_WEBSOCKETS: String(client.websocket) });

    it(`${client.label}: run -i --rm gets every line of a short command and its exit code, every time`, async () => {
      for (let i = 0; i < 3; i++) {
        const name = `short-${client.websocket ? 'ws' : 'spdy'}-${i}`;
        const r = await run([client.bin, 'run', name, '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh', '-c', `echo line1-${i}; echo line2-${i}; exit 3`], { env: kenv(), input: '', timeoutMs: 60_000 });
        expect(r.stdout).toContain(`line1-${i}\nline2-${i}\n`);
        expect(r.stderr).not.toContain('falling back to streaming logs');
        expect(r.exitCode).toBe(3);
      }
    });

    it(`${client.label}: run -it gives an interactive shell in a new pod (a terminal, the pod's hostname)`, async () => {
      const name = `sh-${client.websocket ? 'ws' : 'spdy'}`;
      const r = await kubectlOnTerminal(client.bin, ['run', name, '-it', '--rm', '--restart=Never', '--image=busybox'], kenv(), '/ # ', ['stty size; echo tty-$((6*7)) $(hostname)', 'exit 5']);
      expect(r.out).toContain('27 91');
      expect(r.out).toContain(`tty-42 ${name}`);
      expect(r.code).toBe(5);
    });

    it(`${client.label}: attach -i writes to a running container's stdin and reads its output`, async () => {
      const name = `cat-${client.websocket ? 'ws' : 'spdy'}`;
      const spec = JSON.stringify({ spec: { containers: [{ name, image: 'busybox', stdin: true, command: ['sh', '-c', 'while read l; do echo got-$l; [ $l = two ] && exit 0; done'] }] } });
      expect((await k('run', name, '--image=busybox', '--restart=Never', `--overrides=${spec}`)).code).toBe(0);
      expect((await k('wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s')).code).toBe(0);
      // The attach ends with the container, which ends after the second line.
      const r = await run([client.bin, 'attach', '-i', name], { env: kenv(), input: 'one\ntwo\n', timeoutMs: 30_000 });
      expect(r.stdout).toContain('got-one\ngot-two\n');
      expect((await k('logs', name)).stdout).toBe('got-one\ngot-two\n');
      await k('delete', 'pod', name, '--wait=false');
    });

    it(`${client.label}: port-forward reaches a pod, a Service and a Deployment (${client.websocket ? 'WebSocket' : 'SPDY'}); a closed port is kubelet's error`, async () => {
      for (const [target, remote] of [['pod/web', 80], ['svc/webd', 8080], ['deployment/webd', 80]] as const) {
        const f = await portForward(client.bin, target, remote, kenv());
        try {
          for (let i = 0; i < 2; i++) expect(await httpGet(f.port)).toEqual({ status: 200, body: '<html><body><h1>It works!</h1></body></html>\n' });
          expect(await httpGet(f.port, '/nope')).toMatchObject({ status: 404 });
        } finally {
          f.stop();
        }
      }
      const closed = await portForward(client.bin, 'pod/web', 81, kenv());
      try {
        expect(await httpGet(closed.port)).toHaveProperty('error');
        await until('the error', async () => (closed.output().includes('connect: connection refused') ? true : undefined));
      } finally {
        closed.stop();
      }
      const log = readFileSync(join(labPaths(lab).dir, 'daemon.log'), 'utf8');
      expect(log).toContain(`port-forward default/web via ${client.websocket ? 'WebSocket' : 'SPDY'}`);
    });
  }

  it('proxies to a pod and a Service (pods/proxy, services/proxy, what kubectl proxy forwards to); can-i --list; cluster-info\'s control plane link answers', async () => {
    expect((await k('get', '--raw', '/api/v1/namespaces/default/pods/web/proxy/')).stdout).toContain('It works!');
    expect((await k('get', '--raw', '/api/v1/namespaces/default/services/webd:8080/proxy/')).stdout).toContain('It works!');
    const closed = await k('get', '--raw', '/api/v1/namespaces/default/pods/web:81/proxy/');
    expect(closed.stderr).toContain('connect: connection refused');
    const root = JSON.parse((await k('get', '--raw', '/')).stdout);
    expect(root.paths).toContain('/api/v1');
    const rules = await k('auth', 'can-i', '--list');
    expect(rules.stdout.split('\n')[1]).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    const info = await k('cluster-info');
    expect(info.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Kubernetes control plane is running at https:\/\/\S+/);
  });

  it("runs a lab's commands in a pod over the exec API as kubectl exec does: output, stdin, exit code, kubectl's words", async () => {
    const provider = createNetnsProvider(lab);
    const pod = (name: string) => ({ kind: 'pod' as const, name });
    const same = async (name: string, argv: string[], input?: string) => {
      const direct = await provider.run(pod(name), argv, input === undefined ? {} : { input });
      const kubectl = await run([KUBECTL, 'exec', ...(input === undefined ? [] : ['-i']), name, '--', ...argv], { env: { KUBECONFIG: labPaths(lab).kubeconfig, HOME: dir }, ...(input === undefined ? {} : { input }) });
      expect(direct).toEqual(kubectl);
      return direct;
    };
    expect(await same('a', ['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
    expect((await same('a', ['cat'], 'hello\nworld\n')).stdout).toBe('hello\nworld\n');
    expect((await same('a', ['true'])).exitCode).toBe(0);
    expect(await same('nope', ['true'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect((await k('run', 'over', '--image=busybox', '--restart=Never', '--', 'true')).code).toBe(0);
    await until('over finished', async () => ((await k('get', 'pod', 'over', '-o', 'jsonpath={.status.phase}')).stdout === 'Succeeded' ? true : undefined), 60_000);
    expect((await same('over', ['true'])).stderr).toBe('error: cannot exec into a container in a completed pod; current phase is Succeeded\n');
  });

  it("holds an exec's frames over WebSocket until the client has shown it reads (client-go drops frames for streams it has not made yet)", async () => {
    const api = (await readApiRecord(lab))!;
    // A client that answers pings only when told: the stand-in for client-go before its streams exist.
    const ws = new WebSocket(`${api.url.replace(/^https:/, 'wss:')}${execPath({ namespace: 'default', name: 'a' }, ['echo', 'early'], false)}`, ['v5.channel.k8s.io'], {
      ca: api.ca,
      headers: { authorization: `Bearer ${api.token}` },
      autoPong: false,
    });
    const frames: Buffer[] = [];
    let pinged = false;
    ws.on('message', (d: Buffer) => frames.push(d));
    ws.on('ping', () => (pinged = true));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    await new Promise((r) => setTimeout(r, 400)); // the command has long printed by now
    expect(pinged).toBe(true);
    expect(frames).toEqual([]);
    ws.pong();
    await until('the status frame', async () => (frames.some((f) => f[0] === 3) ? true : undefined), 10_000);
    expect(Buffer.concat(frames.filter((f) => f[0] === 1).map((f) => f.subarray(1))).toString()).toBe('early\n');
    ws.terminate();
  });

  it('logs --limit-bytes stops after that many bytes', async () => {
    expect((await k('run', 'talk', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo 0123456789; echo second')).code).toBe(0);
    await until('talk finished', async () => ((await k('get', 'pod', 'talk', '-o', 'jsonpath={.status.phase}')).stdout === 'Succeeded' ? true : undefined), 60_000);
    expect((await k('logs', 'talk', '--limit-bytes=4')).stdout).toBe('0123');
    expect((await k('logs', 'talk')).stdout).toBe('0123456789\nsecond\n');
  });
});
