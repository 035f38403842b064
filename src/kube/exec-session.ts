// One `kubectl exec` between a transport (SPDY or WebSocket) and the runtime:
// which pod, container and command the request names, the runtime session,
// output with back-pressure, and the final v1 Status on the error channel
// that carries the exit code the way kubelet reports it.
import type { ApiContext } from './context.js';
import type { ExecSession, KubeObject, PodRuntime } from './runtime.js';
import { pods as podsDef } from './core-resources.js';
import { badRequest } from './status.js';
import { boolParam } from './http-util.js';
import { containerStatus, selectContainer } from './container-select.js';

export interface ExecRequest {
  /** pods/attach: the container's main process rather than a new command (`command` is empty). */
  attach?: boolean;
  pod: KubeObject;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Validates an exec request before any upgrade, so errors go back as plain Status responses. */
export function parseExecRequest(ctx: ApiContext, namespace: string, name: string, query: URLSearchParams): ExecRequest {
  const pod = ctx.store.require(podsDef, namespace, name);
  const command = query.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least one command for the container');
  const container = selectContainer(pod, query.get('container'));
  const tty = boolParam(query, 'tty');
  const req: ExecRequest = {
    pod,
    container,
    command,
    stdin: boolParam(query, 'stdin'),
    stdout: boolParam(query, 'stdout'),
    // With a TTY the terminal carries stderr too.
    stderr: boolParam(query, 'stderr') && !tty,
    tty,
  };
  if (!req.stdin && !req.stdout && !req.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  if (!containerStatus(pod, container)?.state?.running) throw badRequest(`container not found ("${container}")`);
  return req;
}

/** pods/attach: which container, and which of its streams the client wants. */
export function parseAttachRequest(ctx: ApiContext, namespace: string, name: string, query: URLSearchParams): ExecRequest {
  const pod = ctx.store.require(podsDef, namespace, name);
  const container = selectContainer(pod, query.get('container'));
  const spec = ((pod.spec?.containers ?? []) as KubeObject[]).find((c) => c.name === container) ?? {};
  // kubelet gives a terminal only to a container that allocated one.
  const tty = boolParam(query, 'tty') && spec.tty === true;
  const req: ExecRequest = {
    attach: true,
    pod,
    container,
    command: [],
    stdin: boolParam(query, 'stdin'),
    stdout: boolParam(query, 'stdout'),
    stderr: boolParam(query, 'stderr') && !tty,
    tty,
  };
  if (!req.stdin && !req.stdout && !req.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (req.stdin && spec.stdin !== true) throw badRequest(`stdin is not enabled for container ${container}: set stdin: true in the pod spec`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot attach to a container in a completed pod; current phase is ${phase}`);
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  if (!containerStatus(pod, container)?.state?.running) throw badRequest(`container not found ("${container}")`);
  return req;
}

/** What the error channel says at the end: an exec's exit code; an attach ends with Success whatever the container did (kubectl reads its exit code from the pod). */
export function endStatus(req: ExecRequest, code: number): Record<string, unknown> {
  return req.attach ? exitStatus(0, []) : exitStatus(code, req.command);
}

export function exitStatus(code: number, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    // Exit codes travel as one byte, as a process's status does.
    details: { causes: [{ reason: 'ExitCode', message: String(code & 0xff) }] },
  };
}

export function failureStatus(message: string): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

export interface ExecOutput {
  /** false: the transport is full, call onDrain before writing more. */
  stdout(data: Buffer): boolean;
  stderr(data: Buffer): boolean;
  onDrain(cb: () => void): void;
  /** Writes the Status on the error channel and closes the connection. */
  finish(status: Record<string, unknown>): void;
}

export interface ExecInput {
  stdin(data: Buffer): void;
  stdinEnd(): void;
  resize(cols: number, rows: number): void;
  /** The client went away. */
  abort(): void;
}

const OUTPUT_GRACE_MS = 2000;

export function startExecSession(runtime: PodRuntime, req: ExecRequest, out: ExecOutput, log: (line: string) => void): ExecInput {
  let session: ExecSession;
  try {
    const opts = { tty: req.tty, stdin: req.stdin };
    session = req.attach ? runtime.attach(req.pod, req.container, opts) : runtime.exec(req.pod, req.container, req.command, opts);
  } catch (err) {
    out.finish(failureStatus((err as Error).message));
    return { stdin() {}, stdinEnd() {}, resize() {}, abort() {} };
  }

  let finished = false;
  const finish = (status: Record<string, unknown>) => {
    if (finished) return;
    finished = true;
    out.finish(status);
  };

  const pump = (src: NodeJS.ReadableStream | null, write: (d: Buffer) => boolean) =>
    new Promise<void>((resolve) => {
      if (!src) return resolve();
      src.on('data', (chunk: Buffer) => {
        if (!write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) {
          src.pause();
          out.onDrain(() => src.resume());
        }
      });
      src.on('end', resolve);
      src.on('close', resolve);
      src.on('error', () => resolve());
    });
  const outputs = Promise.all([
    pump(session.stdout, req.stdout ? out.stdout : () => true),
    pump(session.stderr, req.stderr ? out.stderr : () => true),
  ]);
  session.stdin?.on('error', () => {}); // EPIPE once the command has exited

  session.exited.then(
    async (code) => {
      // Let buffered output reach the client before the status closes the connection.
      await Promise.race([outputs, new Promise((r) => setTimeout(r, OUTPUT_GRACE_MS).unref())]);
      finish(endStatus(req, code));
    },
    (err: Error) => {
      log(`${describeRequest(req)} in ${req.pod.metadata.namespace}/${req.pod.metadata.name}: ${err.message}`);
      finish(failureStatus(err.message));
    },
  );

  return {
    stdin: (data) => {
      if (!finished) session.stdin?.write(data);
    },
    stdinEnd: () => session.stdin?.end(),
    resize: (cols, rows) => {
      if (!finished && cols > 0 && rows > 0) session.resize(cols, rows);
    },
    abort: () => {
      if (!finished) {
        finished = true;
        session.kill();
      }
    },
  };
}

/** For the daemon's log: "exec [cmd]" or "attach". */
export function describeRequest(req: ExecRequest): string {
  return req.attach ? `attach ${req.container}` : `exec [${req.command.join(' ')}]`;
}

/** Terminal sizes arrive as JSON objects ({"Width":80,"Height":24}), possibly split or batched. */
export function createResizeDecoder(onSize: (cols: number, rows: number) => void): (chunk: Buffer) => void {
  let text = '';
  return (chunk) => {
    text += chunk.toString('utf8');
    const objects = /\{[^{}]*\}/g;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = objects.exec(text))) {
      consumed = m.index + m[0].length;
      try {
        const size = JSON.parse(m[0]);
        onSize(Number(size.Width), Number(size.Height));
      } catch {
        // Not a size object: skip it.
      }
    }
    text = text.slice(consumed);
  };
}
