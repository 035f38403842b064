// A command in a pod, as `kubectl exec` runs it: the pods/exec subresource
// over WebSocket, its exit code from the Status on the error channel, and
// kubectl's words when it fails. A lab's steps and checks run many of these;
// starting kubectl for each cost 0.14 s of CPU, a request costs a few
// milliseconds. What a learner types still goes through the real kubectl.
// Used on the embedded lab's API (netns) and on any cluster whose kubeconfig
// node:https can follow (kubeconfig/reader-plan.ts).
import WebSocket from 'ws';
import type { RunOptions, RunResult } from '../core/exec.js';

const CH_STDIN = 0;
const CH_STDOUT = 1;
const CH_STDERR = 2;
const CH_ERROR = 3;
const CH_CLOSE = 255;

/** Where the API is and how to prove who we are: what kubectl takes from a kubeconfig. */
export interface ApiConnection {
  /** https://host:port, with any path prefix, without a trailing slash. */
  url: string;
  /** PEM of the CA the server's certificate must chain to; absent with `insecure`. */
  ca?: string;
  insecure?: boolean;
  cert?: string;
  key?: string;
  token?: string;
}

// v5 half-closes stdin (channel 255): a command reading its input sees the end of it. v4 (every
// API server since 1.4) cannot, so it carries only commands without input.
const WITH_INPUT = ['v5.channel.k8s.io'];
const WITHOUT_INPUT = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/**
 * The command did not reach the pod this way: the server answered the upgrade
 * with no Kubernetes Status (a proxy), refused the offered protocols (v5 only,
 * for input, before 1.30), or the connection failed before it (TLS, refused).
 * kubectl, which falls back to SPDY and words connection failures itself, is
 * the one to run the command.
 */
export interface ExecUnsupported {
  unsupported: string;
  /** Only this call: the pod has several containers and names none, and kubectl picks its default one itself. */
  thisCallOnly?: true;
}

export interface PodRef {
  namespace: string;
  name: string;
  container?: string;
}

export function execPath(pod: PodRef, argv: string[], stdin: boolean): string {
  const q = new URLSearchParams();
  for (const a of argv) q.append('command', a);
  if (pod.container) q.set('container', pod.container);
  q.set('stdout', 'true');
  q.set('stderr', 'true');
  if (stdin) q.set('stdin', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/exec?${q}`;
}

interface Status {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** kubectl's exit code and words for the Status that ended a stream. */
export function streamEnd(status: Status): { exitCode: number; stderr: string } {
  if (status.status === 'Success') return { exitCode: 0, stderr: '' };
  const code = status.reason === 'NonZeroExitCode' ? Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message) : NaN;
  if (Number.isInteger(code)) return { exitCode: code, stderr: `command terminated with exit code ${code}\n` };
  return { exitCode: 1, stderr: `error: ${status.message ?? 'the exec failed'}\n` };
}

/** kubectl's words for an exec the API refused before the stream (what it prints, it exits 1). */
export function refusal(httpStatus: number, status: Status): string {
  const message = status.message ?? `the API answered ${httpStatus}`;
  if (httpStatus === 404 || status.reason === 'NotFound') return `Error from server (NotFound): ${message}\n`;
  // kubectl reads the pod first and says this itself; the rest comes back from the upgrade.
  if (message.startsWith('cannot exec into')) return `error: ${message}\n`;
  return `error: unable to upgrade connection: ${message}\n`;
}

const isStatus = (v: unknown): v is Status => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';

export function execOverApi(api: ApiConnection, pod: PodRef, argv: string[], opts: RunOptions = {}): Promise<RunResult | ExecUnsupported> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const text = (b: Buffer[]) => Buffer.concat(b).toString();
  return new Promise<RunResult | ExecUnsupported>((resolve) => {
    let done = false;
    const settle = (r: RunResult | ExecUnsupported) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      ws.terminate();
      resolve(r);
    };
    const finish = (r: { exitCode: number; stderr?: string }) => settle({ exitCode: r.exitCode, stdout: text(stdout), stderr: text(stderr) + (r.stderr ?? '') });
    const ws = new WebSocket(`${api.url.replace(/^https:/, 'wss:')}${execPath(pod, argv, opts.input !== undefined)}`, opts.input !== undefined ? WITH_INPUT : WITHOUT_INPUT, {
      ...(api.insecure ? { rejectUnauthorized: false } : { ca: api.ca }),
      ...(api.cert ? { cert: api.cert, key: api.key } : {}),
      headers: { 'user-agent': 'hoplab', ...(api.token ? { authorization: `Bearer ${api.token}` } : {}) },
      perMessageDeflate: false,
    });
    let opened = false;
    // The same words and code as a program that ran out of time or was cancelled (core/exec.ts).
    const timer = opts.timeoutMs ? setTimeout(() => finish({ exitCode: 127, stderr: `timed out after ${opts.timeoutMs} ms\n` }), opts.timeoutMs) : undefined;
    const onAbort = () => finish({ exitCode: 127, stderr: 'cancelled\n' });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_req, res) => {
      const body: Buffer[] = [];
      res.on('data', (c: Buffer) => body.push(c));
      res.on('end', () => {
        let status: unknown;
        try {
          status = JSON.parse(text(body));
        } catch {
          /* not a Status */
        }
        // Kubernetes said no (RBAC, no such pod, a container not running): kubectl would say the same,
        // but it picks a pod's default container itself.
        if (isStatus(status) && !pod.container && /container name must be specified/.test(status.message ?? '')) {
          settle({ unsupported: status.message ?? '', thisCallOnly: true });
        } else if (isStatus(status) && !(res.statusCode === 400 && /protocol/i.test(status.message ?? ''))) {
          finish({ exitCode: 1, stderr: refusal(res.statusCode ?? 0, status) });
        } else {
          // No Status, or none of the offered protocols: kubectl falls back to SPDY here.
          const why = isStatus(status) ? `: ${status.message ?? ''}` : '';
          settle({ unsupported: `the API server answered the exec upgrade with ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim() + why });
        }
      });
    });
    ws.on('open', () => {
      opened = true;
      if (opts.input === undefined) return;
      if (opts.input.length) ws.send(Buffer.concat([Buffer.from([CH_STDIN]), Buffer.from(opts.input)]));
      ws.send(Buffer.from([CH_CLOSE, CH_STDIN]));
    });
    ws.on('message', (data: Buffer) => {
      if (data.length === 0) return;
      const payload = data.subarray(1);
      if (data[0] === CH_STDOUT) stdout.push(payload);
      else if (data[0] === CH_STDERR) stderr.push(payload);
      else if (data[0] === CH_ERROR) {
        let status: Status = {};
        try {
          status = JSON.parse(payload.toString()) as Status;
        } catch {
          status = { message: payload.toString() };
        }
        finish(streamEnd(status));
      }
    });
    // Closed without a Status: the API went away mid-command (kubectl says as much and exits 1).
    ws.on('close', () => finish({ exitCode: 1, stderr: 'error: the lab\'s API closed the exec stream before the command ended\n' }));
    // Before the upgrade, an error is the connection's (TLS, refused): kubectl meets the same one and words it.
    ws.on('error', (err) => (opened ? finish({ exitCode: 1, stderr: `error: ${err.message}\n` }) : settle({ unsupported: err.message })));
  });
}
