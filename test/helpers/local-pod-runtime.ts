// A PodRuntime for tests: each pod's container is a plain local child
// process (no namespaces, no network), its output kept for `kubectl logs`,
// and exec runs the command locally (node-pty when a TTY is asked for). It
// reports status and events in the order kubelet does. It never restarts a
// container: a pod whose process ends is Succeeded or Failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { EventEmitter } from 'node:events';
import { ptySession } from '../../src/providers/netns/container-exec.js';
import type { ExecSession, KubeObject, LogOptions, PodReport, PodRuntime, PortForwardConnection } from '../../src/kube/runtime.js';
import { connect } from 'node:net';

interface RunningPod {
  uid: string;
  container: string;
  child?: ChildProcess;
  output: Buffer[];
  ended: boolean;
  events: EventEmitter; // 'data' (Buffer), 'end'
  exited: Promise<void>;
}

export interface LocalPodRuntime extends PodRuntime {
  /** pod uid -> what is running */
  running: Map<string, RunningPod>;
  shutdown(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Images whose name starts with this fail to pull, to exercise ErrImagePull. */
export const UNPULLABLE_PREFIX = 'unreachable.invalid/';

export function createLocalPodRuntime(opts: { podCIDRs: Record<string, string> }): LocalPodRuntime {
  const running = new Map<string, RunningPod>();
  const nextHost = new Map<string, number>();

  function podIP(node: string): string {
    const cidr = opts.podCIDRs[node] ?? '10.88.0.0/24';
    const base = cidr.split('/')[0]!.split('.').map(Number);
    const n = (nextHost.get(node) ?? 1) + 1;
    nextHost.set(node, n);
    return `${base[0]}.${base[1]}.${base[2]}.${n}`;
  }

  return {
    running,
    startPod(pod: KubeObject, report: (r: PodReport) => void) {
      const c = pod.spec.containers[0];
      const node = pod.spec.nodeName as string;
      const hostIP = `192.168.56.${10 + Object.keys(opts.podCIDRs).indexOf(node)}`;
      const base = {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
      };
      const startTime = now();
      report({ status: { phase: 'Pending', hostIP, startTime, containerStatuses: [{ ...base, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} }] } });
      report({ event: { type: 'Normal', reason: 'Pulling', message: `Pulling image "${c.image}"`, container: c.name } });
      if (String(c.image).startsWith(UNPULLABLE_PREFIX)) {
        const msg = `Failed to pull image "${c.image}": failed to resolve reference "${c.image}": not found`;
        report({ event: { type: 'Warning', reason: 'Failed', message: msg, container: c.name } });
        report({ status: { containerStatuses: [{ ...base, state: { waiting: { reason: 'ErrImagePull', message: msg } }, lastState: {} }] } });
        return;
      }
      report({ event: { type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${c.image}" in 5ms (5ms including waiting). Image size: 0 bytes.`, container: c.name } });
      const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
      const cmd = argv.length ? argv : ['sleep', 'infinity'];
      const entry: RunningPod = { uid: pod.metadata.uid, container: c.name, output: [], ended: false, events: new EventEmitter(), exited: Promise.resolve() };
      running.set(pod.metadata.uid, entry);
      const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      entry.child = child;
      const ip = podIP(node);
      const collect = (d: Buffer) => {
        entry.output.push(d);
        entry.events.emit('data', d);
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      report({ event: { type: 'Normal', reason: 'Created', message: `Created container: ${c.name}`, container: c.name } });
      report({ event: { type: 'Normal', reason: 'Started', message: `Started container ${c.name}`, container: c.name } });
      const startedAt = now();
      report({
        status: {
          phase: 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          conditions: [
            { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
            { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
            { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
            { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startTime },
          ],
          containerStatuses: [{ ...base, ready: true, started: true, state: { running: { startedAt } }, lastState: {} }],
        },
      });
      entry.exited = new Promise<void>((resolve) => {
        child.on('close', (code, signal) => {
          entry.ended = true;
          entry.events.emit('end');
          const exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
          const finishedAt = now();
          report({
            status: {
              phase: exitCode === 0 ? 'Succeeded' : 'Failed',
              conditions: [
                { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
                { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: finishedAt, reason: 'PodCompleted' },
                { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: finishedAt, reason: 'PodCompleted' },
                { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startTime },
              ],
              containerStatuses: [
                {
                  ...base,
                  state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt } },
                  lastState: {},
                },
              ],
            },
          });
          resolve();
        });
        child.on('error', (err) => {
          collect(Buffer.from(`exec: ${err.message}\n`));
        });
      });
    },

    async deletePod(pod: KubeObject) {
      const entry = running.get(pod.metadata.uid);
      if (!entry) return;
      if (entry.child && !entry.ended) {
        entry.child.kill('SIGTERM');
        const t = setTimeout(() => entry.child?.kill('SIGKILL'), 2000);
        await entry.exited;
        clearTimeout(t);
      }
      running.delete(pod.metadata.uid);
    },

    logs(pod: KubeObject, _container: string, o: LogOptions): Readable {
      const entry = running.get(pod.metadata.uid);
      const out = new PassThrough();
      if (!entry) {
        out.end();
        return out;
      }
      let text = Buffer.concat(entry.output);
      if (o.tailLines !== undefined) {
        const lines = text.toString('utf8').split(/(?<=\n)/);
        text = Buffer.from(lines.slice(Math.max(0, lines.length - o.tailLines)).join(''));
      }
      out.write(text);
      if (!o.follow || entry.ended) {
        out.end();
        return out;
      }
      const onData = (d: Buffer) => out.write(d);
      const onEnd = () => stop();
      const stop = () => {
        entry.events.off('data', onData);
        entry.events.off('end', onEnd);
        out.end();
      };
      entry.events.on('data', onData);
      entry.events.on('end', onEnd);
      o.signal.addEventListener('abort', stop, { once: true });
      return out;
    },

    exec(_pod: KubeObject, _container: string, command: string[], o: { tty: boolean; stdin: boolean }): ExecSession {
      if (o.tty) return ptySession(command, process.env as Record<string, string>);
      const child = spawn(command[0]!, command.slice(1), { stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      const stderr = new PassThrough();
      child.stderr!.pipe(stderr);
      const exited = new Promise<number>((resolve) => {
        child.on('error', (err) => {
          stderr.write(`exec: ${err.message}\n`);
          resolve(127);
        });
        child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
      });
      return {
        stdin: child.stdin ?? null,
        stdout: child.stdout!,
        stderr,
        resize: () => {},
        exited,
        kill: () => child.kill('SIGKILL'),
      };
    },

    // The double's pods have no stdin and no network of their own: attach follows the output, port-forward reaches this machine's localhost.
    attach(pod: KubeObject, container: string, o: { tty: boolean; stdin: boolean }): ExecSession {
      const ac = new AbortController();
      const stdout = this.logs(pod, container, { follow: true, tailLines: 0, signal: ac.signal });
      const exited = new Promise<number>((resolve) => stdout.on('end', () => resolve(0)));
      return { stdin: null, stdout, stderr: null, resize: () => {}, exited, kill: () => ac.abort() };
    },

    portForward(_pod: KubeObject, port: number): PortForwardConnection {
      const socket = connect(port, '127.0.0.1');
      const failed = new Promise<string | undefined>((resolve) => {
        socket.on('error', (e) => resolve(e.message));
        socket.on('close', () => resolve(undefined));
      });
      return { input: socket, output: socket, failed, close: () => socket.destroy() };
    },

    async shutdown() {
      await Promise.all([...running.values()].map(async (e) => {
        if (e.child && !e.ended) {
          e.child.kill('SIGKILL');
          await e.exited;
        }
      }));
      running.clear();
    },
  };
}
