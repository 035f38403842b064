// One `kubectl port-forward` connection, made as kubelet makes it: to
// localhost:port inside the pod's network namespace, by a socat the daemon
// starts in that namespace (the daemon itself stays in the machine's, and adds
// nothing there). socat's stdin and stdout are the connection.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { PortForwardConnection } from '../../kube/runtime.js';
import { inNs } from './namespaces.js';

/**
 * Once one direction has ended, how long the other may go on: containerd's port-forward waits 1 s,
 * then ends the stream, and kubectl holds the local connection until then (a server that answers
 * with `Connection: close` is read to its end that much later).
 */
const HALF_CLOSE_SECONDS = 1;

export function connectInNs(ns: string | undefined, port: number): PortForwardConnection {
  if (!ns) {
    const output = new PassThrough();
    output.end();
    return { input: new PassThrough(), output, failed: Promise.resolve('the pod has no network namespace yet'), close: () => undefined };
  }
  const argv = inNs(ns, ['socat', '-t', String(HALF_CLOSE_SECONDS), '-', `TCP4:127.0.0.1:${port}`]);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')).length > 4096 && (stderr = stderr.slice(-4096)));
  const failed = new Promise<string | undefined>((resolve) => {
    child.on('error', (err) => resolve(`socat: ${err.message}`));
    child.on('close', (code) => {
      if (code === 0) return resolve(undefined);
      // socat says "E connect(5, AF=2 127.0.0.1:80, 16): Connection refused": kubelet's words for it.
      const why = /E connect\([^)]*\): (.*)/.exec(stderr)?.[1]?.trim().toLowerCase() ?? (stderr.trim() || `exit code ${code}`);
      resolve(`failed to connect to localhost:${port} inside namespace "${ns}", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${why}`);
    });
  });
  return { input: child.stdin!, output: child.stdout!, failed, close: () => child.kill('SIGKILL') };
}
