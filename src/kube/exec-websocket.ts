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
    const send = (channel: number, data: Buffer): boolean => {
      if (ws.readyState !== ws.OPEN) return true;
      ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
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
          ws.close(1000);
        },
      },
      ctx.log,
    );
    const onResize = createResizeDecoder((cols, rows) => session.resize(cols, rows));
    ws.on('message', (data) => {
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
      ctx.streams.delete(entry);
      session.abort();
    });
    ws.on('error', (err) => ctx.log(`exec WebSocket: ${err.message}`));
  });
}
