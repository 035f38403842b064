// pods/portforward as kubelet serves it: SPDY/3.1 with the portforward.k8s.io
// protocol (every kubectl), also tunnelled through a WebSocket whose binary
// messages carry the SPDY bytes (kubectl >= 1.30 tries "SPDY/3.1+portforward.k8s.io"
// first). Each forwarded connection is a pair of streams the client opens,
// error and data, tied by their requestID header; the data stream is spliced
// to one connection to the pod's localhost:port made by the runtime.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import type { ApiContext } from './context.js';
import type { KubeObject } from './runtime.js';
import { pods as podsDef } from './core-resources.js';
import { badRequest } from './status.js';
import { serveSpdy, type SpdyStream } from './spdy-connection.js';
import { headerValues, rejectUpgrade } from './upgrade-util.js';

export const PORTFORWARD_PROTOCOL = 'portforward.k8s.io';
export const WS_TUNNEL_PROTOCOL = `SPDY/3.1+${PORTFORWARD_PROTOCOL}`;
/** Pairs a client leaves half-open are dropped after this long, as kubelet does. */
const PAIR_WAIT_MS = 30_000;

export function parsePortForwardRequest(ctx: ApiContext, namespace: string, name: string): KubeObject {
  const pod = ctx.store.require(podsDef, namespace, name);
  if (pod.status?.phase !== 'Running') throw badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);
  return pod;
}

const tunnelled = new WeakSet<IncomingMessage>();

export function createTunnelWebSocketServer(): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true });
  // ws refuses the protocol name ("/" is no token character), so the upgrade goes without it and the answer names it.
  wss.on('headers', (headers, req) => {
    if (tunnelled.has(req)) headers.push(`Sec-WebSocket-Protocol: ${WS_TUNNEL_PROTOCOL}`);
  });
  return wss;
}

export function portForwardOverSpdy(ctx: ApiContext, req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject): void {
  const offered = headerValues(req.headers['x-stream-protocol-version']);
  // Clients before 1.x sent no version header; they speak the same protocol.
  if (offered.length && !offered.includes(PORTFORWARD_PROTOCOL)) {
    return rejectUpgrade(socket, 403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${PORTFORWARD_PROTOCOL}]`);
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${PORTFORWARD_PROTOCOL}\r\n\r\n`,
  );
  servePortForward(ctx, socket, head, pod, 'SPDY/3.1');
}

export function portForwardOverWebSocket(ctx: ApiContext, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject): void {
  const offered = headerValues(req.headers['sec-websocket-protocol']);
  if (!offered.includes(WS_TUNNEL_PROTOCOL)) {
    // A refused upgrade makes kubectl fall back to SPDY.
    return rejectUpgrade(socket, 400, 'BadRequest', `unable to upgrade: none of the subprotocols [${offered.join(' ')}] is supported; use ${WS_TUNNEL_PROTOCOL}`);
  }
  delete req.headers['sec-websocket-protocol'];
  tunnelled.add(req);
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    const tunnel = createWebSocketStream(ws);
    tunnel.on('error', () => {});
    servePortForward(ctx, tunnel, Buffer.alloc(0), pod, `WebSocket ${WS_TUNNEL_PROTOCOL}`);
  });
}

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

function servePortForward(ctx: ApiContext, socket: Duplex, head: Buffer, pod: KubeObject, via: string): void {
  const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
  ctx.log(`port-forward ${where} via ${via}`);
  const pairs = new Map<string, Pair>();
  const open = new Set<() => void>();
  const entry = { close: () => conn.close() };

  const conn = serveSpdy(socket, head, {
    onStream(s) {
      const type = s.headers['streamtype'];
      if (type !== 'error' && type !== 'data') return s.end();
      // Old clients send no requestID: the pair's error stream is the one opened just before its data stream.
      const id = s.headers['requestid'] ?? String(type === 'error' ? s.id : s.id - 2);
      let pair = pairs.get(id);
      if (!pair) {
        pair = { timer: setTimeout(() => drop(id), PAIR_WAIT_MS) };
        pair.timer.unref();
        pairs.set(id, pair);
      }
      if (pair[type]) return s.end();
      pair[type] = s;
      if (pair.error && pair.data) {
        clearTimeout(pair.timer);
        pairs.delete(id);
        forward(pair.error, pair.data);
      }
    },
    onClose() {
      ctx.streams.delete(entry);
      for (const p of pairs.values()) clearTimeout(p.timer);
      for (const close of [...open]) close();
    },
    onError(err) {
      ctx.log(`port-forward ${where}: ${err.message}`);
    },
  });
  ctx.streams.add(entry);

  function drop(id: string): void {
    const p = pairs.get(id);
    pairs.delete(id);
    p?.error?.end();
    p?.data?.end();
  }

  function forward(error: SpdyStream, data: SpdyStream): void {
    const portText = data.headers['port'] ?? '';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      error.write(Buffer.from(`invalid port ${JSON.stringify(portText)}: must be between 1 and 65535`));
      error.end();
      data.end();
      return;
    }
    const c = ctx.runtime.portForward(pod, port);
    const close = () => c.close();
    open.add(close);
    error.setHandlers(() => {}, () => {});
    data.setHandlers(
      (d) => {
        if (!c.input.write(d)) {
          // No flow control in SPDY here: the client's bytes are buffered until the pod reads them.
        }
      },
      () => c.input.end(),
    );
    c.input.on('error', () => {});
    c.output.on('data', (d: Buffer) => {
      if (!data.write(d)) {
        c.output.pause();
        conn.onDrain(() => c.output.resume());
      }
    });
    c.output.on('end', () => data.end());
    void c.failed.then((why) => {
      open.delete(close);
      if (why) {
        ctx.log(`port-forward ${where} port ${port}: ${why}`);
        error.write(Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.uid}, uid : ${why}`));
      }
      error.end();
      data.end();
    });
  }
}
