// kubectl exec over WebSocket (kubectl >= 1.30 tries it first): binary
// messages whose first byte is the channel (0 stdin, 1 stdout, 2 stderr,
// 3 error, 4 resize); v5.channel.k8s.io adds 255 to half-close a channel.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { ApiContext } from './context.js';
import { createResizeDecoder, describeRequest, startExecSession, type ExecRequest } from './exec-session.js';
import { headerValues, rejectUpgrade } from './upgrade-util.js';

export const WS_EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const CH_STDIN = 0;
const CH_STDOUT = 1;
const CH_STDERR = 2;
const CH_ERROR = 3;
const CH_RESIZE = 4;
const CH_CLOSE = 255;

const HIGH_WATER = 1 << 20;
/** How long frames wait for a client that answers no ping (see execOverWebSocket). */
const READY_WAIT_MS = 1000;

export function createExecWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => WS_EXEC_PROTOCOLS.find((p) => protocols.has(p)) ?? false,
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function execOverWebSocket(ctx: ApiContext, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest): void {
  const offered = headerValues(req.headers['sec-websocket-protocol']);
  const protocol = WS_EXEC_PROTOCOLS.find((p) => offered.includes(p));
  if (!protocol) {
    // A refused upgrade makes kubectl fall back to SPDY.
    return rejectUpgrade(socket, 400, 'BadRequest', `unable to upgrade: none of the subprotocols [${offered.join(' ')}] is supported; use one of [${WS_EXEC_PROTOCOLS.join(' ')}]`);
  }
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    ctx.log(`${describeRequest(exec)} ${exec.pod.metadata.namespace}/${exec.pod.metadata.name} via WebSocket ${protocol}`);
    // client-go starts reading the connection as it makes its streams, and drops a message for a
    // stream it has not made yet ("Unknown stream id"): kubectl run -i then lost the output an attach
    // replays at once, and the exit code with it. A real apiserver's first bytes come a hop later,
    // from the kubelet. So frames wait until the client has shown it reads: its first message, or
    // its answer to a ping sent now (a round trip, by which time its streams are made).
    // The frames held until then; undefined once the client is ready.
    let held: Buffer[] | undefined = [];
    let closeWhenReady = false;
    const markReady = () => {
      if (!held) return;
      clearTimeout(readyTimer);
      const frames = held;
      held = undefined;
      for (const f of frames) if (ws.readyState === ws.OPEN) ws.send(f, { binary: true });
      if (closeWhenReady) ws.close(1000);
    };
    // A client that answers no ping is not kept waiting past this.
    const readyTimer = setTimeout(markReady, READY_WAIT_MS);
    ws.once('pong', markReady);
    ws.ping();
    const send = (channel: number, data: Buffer): boolean => {
      if (ws.readyState !== ws.OPEN) return true;
      const frame = Buffer.concat([Buffer.from([channel]), data]);
      if (held) {
        held.push(frame);
        return true;
      }
      ws.send(frame, { binary: true });
      return ws.bufferedAmount < HIGH_WATER;
    };
    const whenDrained = (cb: () => void) => {
      const check = () => (ws.readyState !== ws.OPEN || ws.bufferedAmount < HIGH_WATER / 2 ? cb() : setTimeout(check, 10));
      check();
    };
    const entry = { close: () => ws.terminate() };
    ctx.streams.add(entry);
    const session = startExecSession(
      ctx.runtime,
      exec,
      {
        stdout: (d) => send(CH_STDOUT, d),
        stderr: (d) => send(CH_STDERR, d),
        onDrain: whenDrained,
        finish: (status) => {
          send(CH_ERROR, Buffer.from(JSON.stringify(status)));
          if (held) closeWhenReady = true;
          else ws.close(1000);
        },
      },
      ctx.log,
    );
    const onResize = createResizeDecoder((cols, rows) => session.resize(cols, rows));
    ws.on('message', (data) => {
      markReady();
      const buf = toBuffer(data);
      if (buf.length === 0) return;
      const payload = buf.subarray(1);
      switch (buf[0]) {
        case CH_STDIN:
          if (payload.length) session.stdin(payload);
          break;
        case CH_RESIZE:
          onResize(payload);
          break;
        case CH_CLOSE:
          if (protocol === 'v5.channel.k8s.io' && payload[0] === CH_STDIN) session.stdinEnd();
          break;
      }
    });
    ws.on('close', () => {
      clearTimeout(readyTimer);
      ctx.streams.delete(entry);
      session.abort();
    });
    ws.on('error', (err) => ctx.log(`exec WebSocket: ${err.message}`));
  });
}
