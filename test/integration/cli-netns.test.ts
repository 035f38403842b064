// The seed article's commands, typed as a newcomer types them, against the
// embedded lab: the real kubectl, the real kernel, the built binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { listNamespaces, pidsInNamespaces } from '../../src/providers/netns/namespaces.js';
import { nodeNs } from '../../src/providers/netns/names.js';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { HOPLAB, ROOT, hoplab, until } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const lab = testLabName('cli');
const env = { HOPLAB_LAB: lab };
// `sudo hoplab up` as uid 65534 (nobody) would run it: that user gets the lab, uid 4243 does not.
const INVOKER = { uid: 65534, gid: 65534 };
const OTHER = { uid: 4243, gid: 4243 };

/** hoplab as another user, with a HOME of their own (kubectl keeps a cache there). */
function hoplabAs(who: { uid: number; gid: number }, args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'hoplab-home-'));
  chownSync(home, who.uid, who.gid);
  const r = hoplab(args, { ...env, HOME: home, XDG_STATE_HOME: join(home, 'state') }, 60_000, ['setpriv', `--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups']);
  return r.finally(() => rmSync(home, { recursive: true, force: true }));
}
const on = (node: string) => `{"spec": { "nodeSelector": {"kubernetes.io/hostname": "${node}"}}}`;
const k = (...args: string[]) => hoplab(['kubectl', ...args], env);
const labNamespaces = async () => (await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`));

async function podJson(name: string): Promise<any> {
  const r = await k('get', 'pod', name, '-o', 'json');
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

describe.skipIf(skip)('hoplab CLI on the netns provider', () => {
  let httpdIP = '';
  let traceText = '';

  beforeAll(async () => {
    const r = await hoplab(['up'], { ...env, SUDO_UID: String(INVOKER.uid), SUDO_GID: String(INVOKER.gid) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is up in \d+\.\d+s: netns, flannel-host-gw, 3 nodes/);
  });

  afterAll(async () => {
    const r = await hoplab(['down'], env);
    expect(r.code).toBe(0);
    expect(await labNamespaces()).toEqual([]);
  });

  it('lists the three nodes with their eth1 addresses', async () => {
    const r = await k('get', 'nodes', '-o', 'wide');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^controlplane\s+Ready\s+control-plane\s.*192\.168\.56\.10/m);
    expect(r.stdout).toMatch(/^node-1\s+Ready\s+<none>\s.*192\.168\.56\.11/m);
    expect(r.stdout).toMatch(/^node-2\s+Ready\s+<none>\s.*192\.168\.56\.12/m);
  });

  it('runs httpd on node-1 as the article asks', async () => {
    const r = await k('run', 'httpd', '--image=httpd', `--overrides=${on('node-1')}`);
    expect(r.stdout.trim()).toBe('pod/httpd created');
    const pod = await until('httpd Running', async () => {
      const p = await podJson('httpd');
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    expect(pod.spec.nodeName).toBe('node-1');
    httpdIP = pod.status.podIP;
    expect(httpdIP).toMatch(/^10\.244\.1\.\d+$/);
    const wide = await k('get', 'pods', '-o', 'wide');
    expect(wide.stdout).toMatch(new RegExp(`^httpd\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${httpdIP.replace(/\./g, '\\.')}\\s+node-1`, 'm'));
  });

  it('traces from a busybox pod on node-2 through 10.244.2.1 and 192.168.56.11 (seed 000)', async () => {
    const r = await k('run', 'traceroute', '--image=busybox', `--overrides=${on('node-2')}`, '--', 'traceroute', httpdIP);
    expect(r.code).toBe(0);
    const logs = await until('traceroute output', async () => {
      const l = await k('logs', 'traceroute');
      return /^ 3 /m.test(l.stdout) ? l.stdout : undefined;
    });
    expect(logs).toContain(`traceroute to ${httpdIP} (${httpdIP}), 30 hops max, 46 byte packets`);
    const hops = [...logs.matchAll(/^ (\d)  (\S+)/gm)].map((m) => m[2]);
    expect(hops).toEqual(['10.244.2.1', '192.168.56.11', httpdIP]);
    traceText = logs;
  });

  it('grades the real trace with check-trace, and a trace via the wrong node fails at hop 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplab-trace-'));
    writeFileSync(join(dir, 'good.txt'), traceText);
    writeFileSync(join(dir, 'wrong.txt'), traceText.replaceAll('192.168.56.11', '192.168.56.12'));
    const good = await hoplab(['check-trace', '--from', 'traceroute', '--to', 'httpd', '--file', join(dir, 'good.txt')], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('PASS');
    const wrong = await hoplab(['check-trace', '--from', 'traceroute', '--to', httpdIP, '--file', join(dir, 'wrong.txt'), '--json'], env);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).verdict).toMatchObject({ passed: false, firstDifference: 2 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows eth0@ifN inside a pod, and lo, eth0, eth1, cni0 and a veth on its node', async () => {
    const inPod = await k('exec', 'httpd', '--', 'ip', 'addr');
    expect(inPod.code).toBe(0);
    expect(inPod.stdout).toMatch(/^\d+: eth0@if\d+: /m);
    const onNode = await hoplab(['ssh', 'node-1', '--', 'ip', '-br', 'addr'], env);
    expect(onNode.code).toBe(0);
    for (const dev of [/^lo\s/m, /^eth0@if\d+\s+UP\s+10\.0\.2\.15\/24/m, /^eth1@if\d+\s+UP\s+192\.168\.56\.11\/24/m, /^cni0\s+UP\s+10\.244\.1\.1\/24/m, /^veth\w+@if\d+\s+UP/m]) {
      expect(onNode.stdout).toMatch(dev);
    }
    const route = await hoplab(['ssh', 'node-1', '--', 'ip', 'route'], env);
    expect(route.stdout).toContain('default via 10.0.2.2 dev eth0');
    expect(route.stdout).toContain('10.244.2.0/24 via 192.168.56.12 dev eth1');
  });

  it('ssh to a node the lab does not have names the nodes as well as the hosts', async () => {
    const r = await hoplab(['ssh', 'node-3', '--', 'true'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no node or host 'node-3' in lab");
    expect(r.stderr).toMatch(/nodes: controlplane, node-1, node-2; hosts: /);
  });

  it("runs kubectl in node shells as on the seed's control plane: the API at 192.168.56.10:6443, the kubernetes Service from pods", async () => {
    const cp = await hoplab(['ssh', 'controlplane', '--', 'kubectl', 'get', 'nodes'], env);
    expect(cp.stderr).toBe('');
    expect(cp.stdout).toMatch(/^node-1\s+Ready/m);
    const cfg = await hoplab(['ssh', 'node-1', '--', 'kubectl', 'config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'], env);
    expect(cfg.stdout).toBe('https://192.168.56.10:6443');
    // Through kube-proxy's rules for 10.96.0.1:443, with the API's certificate valid for that address.
    const svc = await hoplab(['ssh', 'node-1', '--', 'kubectl', '--server', 'https://10.96.0.1:443', 'get', 'svc', 'kubernetes', '-o', 'name'], env);
    expect(svc.stdout.trim()).toBe('service/kubernetes');
    expect((await k('exec', 'httpd', '--', 'sh', '-c', 'echo | nc -w 3 10.96.0.1 443 >/dev/null')).code).toBe(0);
    // The machine's own namespace listens on nothing new.
    expect(execFileSync('ss', ['-Hltn', 'sport = :6443']).toString().trim()).toBe('');
  }, 90_000);

  it('reports the lab in status --json', async () => {
    const r = await hoplab(['status', '--json'], env);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ lab, provider: 'netns', state: 'up', cni: 'flannel-host-gw' });
    expect(s.facts.nodes.map((n: any) => n.name)).toEqual(['controlplane', 'node-1', 'node-2']);
    expect(s.facts.pods.find((p: any) => p.name === 'httpd')).toMatchObject({ node: 'node-1', ip: httpdIP });
  });

  it('runs the programs of a node through one helper living in that node', async () => {
    const argv = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const node of ['controlplane', 'node-1', 'node-2']) {
      const pids = await pidsInNamespaces([nodeNs(lab, node)]);
      expect(pids.filter((p) => basename(argv(p)[0]!).startsWith('hoplab-spawner-'))).toHaveLength(1);
    }
  });

  it('lets the user who ran sudo use the lab: kubectl and status work, node shells need root (exit 3)', async () => {
    const pods = await hoplabAs(INVOKER, ['kubectl', 'get', 'pods']);
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(/^httpd\s+1\/1\s+Running/m);
    const s = await hoplabAs(INVOKER, ['status']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^state:\s+up$/m);
    expect(s.stdout).toMatch(new RegExp(`^kubeconfig: \\S+/kubeconfig\\.uid-${INVOKER.uid}$`, 'm'));
    const inPod = await hoplabAs(INVOKER, ['ssh', 'pod/httpd', '--', 'hostname']);
    expect(inPod.stdout.trim()).toBe('httpd');
    const node = await hoplabAs(INVOKER, ['ssh', 'node-1', '--', 'ip', 'route']);
    expect(node.code).toBe(3);
    expect(node.stderr).toContain('needs root: sudo hoplab ssh node-1 -- ip route');
    const down = await hoplabAs(INVOKER, ['down']);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('needs root: sudo hoplab down');
  }, 90_000);

  it('tells any other user that the lab needs root, never a crash', async () => {
    for (const args of [['kubectl', 'get', 'pods'], ['status'], ['ssh', 'node-1']]) {
      const r = await hoplabAs(OTHER, args);
      expect(r.stderr, args.join(' ')).toContain(`needs root: sudo hoplab ${args.join(' ')}`);
      expect(r.code, args.join(' ')).toBe(3);
    }
  }, 90_000);

  it('gives ErrImagePull when a node has no way out', async () => {
    expect((await hoplab(['ssh', 'node-2', '--', 'ip', 'route', 'del', 'default'], env)).code).toBe(0);
    await k('run', 'nginx', '--image=nginx:latest', `--overrides=${on('node-2')}`);
    const reason = await until('ErrImagePull', async () => {
      const w = (await podJson('nginx'))?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return w === 'ErrImagePull' || w === 'ImagePullBackOff' ? w : undefined;
    });
    expect(reason).toBe('ErrImagePull');
    const d = await k('describe', 'pod', 'nginx');
    expect(d.stdout).toMatch(/Failed to pull image "nginx:latest"/);
    await hoplab(['ssh', 'node-2', '--', 'ip', 'route', 'add', 'default', 'via', '10.0.2.2'], env);
  });

  it('answers kubectl errors as the API server does', async () => {
    const r = await k('get', 'pod', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods "nope" not found');
  });

  it('refuses bad flags with exit 2 and names the flag', async () => {
    const r = await hoplab(['up', '--workers', 'many'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers 'many': expected a whole number from 1 to 50");
    const c = await hoplab(['up', '--cni', 'weave'], env);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--cni 'weave': expected one of flannel-host-gw/);
  });
});

describe.skipIf(skip)('hoplab down after a crash', () => {
  it('removes everything a killed `up` left behind', async () => {
    const crashLab = testLabName('crash');
    const { spawn } = await import('node:child_process');
    const child = spawn('node', [HOPLAB, '--name', crashLab, 'up'], { stdio: 'ignore' });
    // Kill it once namespaces exist, mid-build; killed also when they do not come in time, or it builds a whole lab nobody takes down.
    const exited = new Promise((r) => child.on('exit', r));
    let r: Awaited<ReturnType<typeof hoplab>>;
    try {
      await until('namespaces appear', async () => ((await listNamespaces()).some((n) => n.startsWith(`hoplab-${crashLab}-`)) ? true : undefined), 10_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
      r = await hoplab(['--name', crashLab, 'down']);
    }
    expect(r.code).toBe(0);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${crashLab}-`))).toEqual([]);
  });

  it('tells a non-root user to use sudo', async () => {
    const { execFileSync } = await import('node:child_process');
    let out = '';
    let code = 0;
    try {
      execFileSync('runuser', ['-u', 'nobody', '--', 'node', HOPLAB, '--name', 'nonroot', 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err: any) {
      code = err.status;
      out = String(err.stderr);
    }
    expect(code).toBe(3);
    expect(out).toContain('needs root');
    expect(out).toContain('needs root: sudo hoplab --name nonroot up');
  });
});
