// kubectl exec over SPDY/3.1 (every kubectl; the only transport before
// 1.30): the v4.channel.k8s.io protocol. The client opens error, stdin,
// stdout, stderr and resize streams as it needs them, each named by its
// streamtype header; the command starts once all of them exist.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiContext } from './context.js';
import { serveSpdy, type SpdyStream } from './spdy-connection.js';
import { createResizeDecoder, describeRequest, startExecSession, type ExecInput, type ExecRequest } from './exec-session.js';
import { headerValues, rejectUpgrade } from './upgrade-util.js';

export const SPDY_EXEC_PROTOCOL = 'v4.channel.k8s.io';
const STREAM_WAIT_MS = 30_000;

export function execOverSpdy(ctx: ApiContext, req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest): void {
  const offered = headerValues(req.headers['x-stream-protocol-version']);
  if (!offered.includes(SPDY_EXEC_PROTOCOL)) {
    return rejectUpgrade(
      socket,
      403,
      'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${SPDY_EXEC_PROTOCOL}]`,
    );
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${SPDY_EXEC_PROTOCOL}\r\n\r\n`,
  );
  ctx.log(`${describeRequest(exec)} ${exec.pod.metadata.namespace}/${exec.pod.metadata.name} via SPDY/3.1 ${SPDY_EXEC_PROTOCOL}`);

  const wanted: Record<string, boolean> = { error: true, stdin: exec.stdin, stdout: exec.stdout, stderr: exec.stderr, resize: exec.tty };
  const streams: Record<string, SpdyStream> = {};
  let input: ExecInput | undefined;
  const entry = { close: () => shutdown() };

  const conn = serveSpdy(socket, head, {
    onStream(s) {
      const type = s.headers['streamtype'] ?? '';
      if (!wanted[type] || streams[type]) {
        s.end();
        return;
      }
      streams[type] = s;
      if (Object.keys(wanted).every((t) => !wanted[t] || streams[t])) start();
    },
    onClose() {
      clearTimeout(timer);
      ctx.streams.delete(entry);
      input?.abort();
    },
    onError(err) {
      ctx.log(`exec SPDY connection: ${err.message}`);
    },
  });
  ctx.streams.add(entry);
  const timer = setTimeout(() => {
    if (!input) {
      ctx.log('exec: client did not open its streams in time');
      conn.close();
    }
  }, STREAM_WAIT_MS);
  timer.unref();

  function start(): void {
    clearTimeout(timer);
    const session = startExecSession(
      ctx.runtime,
      exec,
      {
        stdout: (d) => streams.stdout?.write(d) ?? true,
        stderr: (d) => streams.stderr?.write(d) ?? true,
        onDrain: (cb) => conn.onDrain(cb),
        finish: (status) => {
          streams.error?.write(Buffer.from(JSON.stringify(status)));
          conn.close();
        },
      },
      ctx.log,
    );
    input = session;
    streams.stdin?.setHandlers((d) => session.stdin(d), () => session.stdinEnd());
    const onResize = createResizeDecoder((cols, rows) => session.resize(cols, rows));
    streams.resize?.setHandlers(onResize, () => {});
  }

  function shutdown(): void {
    input?.abort();
    conn.close();
  }
}
