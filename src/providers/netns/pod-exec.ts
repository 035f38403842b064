// A command in a pod of the embedded lab, as `kubectl exec` runs it: the
// pods/exec subresource over WebSocket (v5.channel.k8s.io), its exit code from
// the Status on the error channel, and kubectl's words when it fails. A lab's
// checks run many of these; starting kubectl for each cost 0.12 s of CPU, a
// request costs a few milliseconds. What a learner types still goes through
// the real kubectl.
import WebSocket from 'ws';
import type { RunOptions, RunResult } from '../../core/exec.js';
import type { ApiRecord } from './state.js';

const CH_STDIN = 0;
const CH_STDOUT = 1;
const CH_STDERR = 2;
const CH_ERROR = 3;
const CH_CLOSE = 255;

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

export function execInPodOverApi(api: ApiRecord, pod: PodRef, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const text = (b: Buffer[]) => Buffer.concat(b).toString();
  return new Promise<RunResult>((resolve) => {
    let done = false;
    const finish = (r: { exitCode: number; stderr?: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      ws.terminate();
      resolve({ exitCode: r.exitCode, stdout: text(stdout), stderr: text(stderr) + (r.stderr ?? '') });
    };
    const ws = new WebSocket(`${api.url.replace(/^https:/, 'wss:')}${execPath(pod, argv, opts.input !== undefined)}`, ['v5.channel.k8s.io'], {
      ca: api.ca,
      headers: { authorization: `Bearer ${api.token}` },
      perMessageDeflate: false,
    });
    // The same words and code as a program that ran out of time or was cancelled (core/exec.ts).
    const timer = opts.timeoutMs ? setTimeout(() => finish({ exitCode: 127, stderr: `timed out after ${opts.timeoutMs} ms\n` }), opts.timeoutMs) : undefined;
    const onAbort = () => finish({ exitCode: 127, stderr: 'cancelled\n' });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_req, res) => {
      const body: Buffer[] = [];
      res.on('data', (c: Buffer) => body.push(c));
      res.on('end', () => {
        let status: Status = {};
        try {
          status = JSON.parse(text(body)) as Status;
        } catch {
          /* not a Status: the code says enough */
        }
        finish({ exitCode: 1, stderr: refusal(res.statusCode ?? 0, status) });
      });
    });
    ws.on('open', () => {
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
    ws.on('error', (err) => finish({ exitCode: 1, stderr: `error: ${err.message}\n` }));
  });
}
