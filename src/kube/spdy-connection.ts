// The server end of one SPDY/3.1 connection after the HTTP upgrade: accepts
// the streams the client opens (answering each with SYN_REPLY, as
// apimachinery's spdy server does), routes DATA frames to them, answers PINGs,
// and writes DATA back. No flow control, like spdystream.
import type { Duplex } from 'node:stream';
import {
  createHeaderDeflater,
  createHeaderInflater,
  decodeFrames,
  decodeHeaderBlock,
  encodeControl,
  encodeData,
  encodeGoAway,
  encodeHeaderBlock,
  encodeSynReply,
  FLAG_FIN,
  FrameType,
  synStreamInfo,
  SPDY_VERSION,
  type Frame,
  type Headers,
} from './spdy.js';

export interface SpdyStream {
  readonly id: number;
  readonly headers: Headers;
  /** Data the client sent on this stream; set it to receive (earlier data is buffered until then). */
  setHandlers(onData: (data: Buffer) => void, onEnd: () => void): void;
  /** False when the socket's buffer is full; wait for the connection's drain. */
  write(data: Buffer): boolean;
  /** Half-closes our side (DATA with FIN). */
  end(): void;
}

export interface SpdyConnection {
  /** FIN on every stream we have not ended, GOAWAY, then the socket closes. */
  close(): void;
  onDrain(cb: () => void): void;
  readonly closed: boolean;
}

const MAX_DATA = 32 * 1024;

interface StreamState {
  stream: SpdyStream;
  localEnded: boolean;
  remoteEnded: boolean;
  pending: Buffer[];
  onData?: (d: Buffer) => void;
  onEnd?: () => void;
}

export function serveSpdy(
  socket: Duplex,
  head: Buffer,
  handlers: { onStream(stream: SpdyStream): void; onClose(): void; onError(err: Error): void },
): SpdyConnection {
  const inflate = createHeaderInflater();
  const deflate = createHeaderDeflater();
  const streams = new Map<number, StreamState>();
  let buffer: Buffer = Buffer.alloc(0);
  let lastStreamId = 0;
  let closed = false;

  const send = (frame: Buffer): boolean => (closed || socket.destroyed ? false : socket.write(frame));

  function remoteEnd(st: StreamState): void {
    if (st.remoteEnded) return;
    st.remoteEnded = true;
    st.onEnd?.();
  }

  function makeStream(id: number, headers: Headers): StreamState {
    const st: StreamState = { localEnded: false, remoteEnded: false, pending: [], stream: undefined as unknown as SpdyStream };
    st.stream = {
      id,
      headers,
      setHandlers(onData, onEnd) {
        st.onData = onData;
        st.onEnd = onEnd;
        for (const d of st.pending.splice(0)) onData(d);
        if (st.remoteEnded) onEnd();
      },
      write(data) {
        if (st.localEnded) return true;
        let ok = true;
        for (let off = 0; off < data.length; off += MAX_DATA) ok = send(encodeData(id, 0, data.subarray(off, off + MAX_DATA))) && ok;
        return ok;
      },
      end() {
        if (st.localEnded) return;
        st.localEnded = true;
        send(encodeData(id, FLAG_FIN, Buffer.alloc(0)));
      },
    };
    return st;
  }

  function onControl(f: Extract<Frame, { control: true }>): void {
    if (f.version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${f.version}`);
    switch (f.type) {
      case FrameType.SYN_STREAM: {
        const { streamId, block } = synStreamInfo(f.payload);
        const headers = decodeHeaderBlock(inflate(block));
        lastStreamId = Math.max(lastStreamId, streamId);
        const st = makeStream(streamId, headers);
        streams.set(streamId, st);
        send(encodeSynReply(streamId, 0, deflate(encodeHeaderBlock({}))));
        if (f.flags & FLAG_FIN) st.remoteEnded = true;
        handlers.onStream(st.stream);
        return;
      }
      case FrameType.HEADERS:
        // Keep the compression context in step even though exec needs no trailers.
        inflate(f.payload.subarray(4));
        return;
      case FrameType.RST_STREAM: {
        const st = streams.get(f.payload.readUInt32BE(0) & 0x7fffffff);
        if (st) {
          st.localEnded = true;
          remoteEnd(st);
        }
        return;
      }
      case FrameType.PING:
        send(encodeControl(FrameType.PING, 0, f.payload));
        return;
      case FrameType.GOAWAY:
        conn.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, SYN_REPLY: nothing to do
    }
  }

  function onData(f: Extract<Frame, { control: false }>): void {
    const st = streams.get(f.streamId);
    if (!st) return;
    if (f.payload.length) {
      if (st.onData) st.onData(Buffer.from(f.payload));
      else st.pending.push(Buffer.from(f.payload));
    }
    if (f.flags & FLAG_FIN) remoteEnd(st);
  }

  function consume(chunk: Buffer): void {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    const { frames, rest } = decodeFrames(buffer);
    buffer = Buffer.from(rest);
    for (const f of frames) {
      if (f.control) onControl(f);
      else onData(f);
    }
  }

  const conn: SpdyConnection = {
    get closed() {
      return closed;
    },
    close() {
      if (closed) return;
      for (const st of streams.values()) st.stream.end();
      send(encodeGoAway(lastStreamId));
      closed = true;
      socket.end();
      setTimeout(() => socket.destroy(), 5000).unref();
    },
    onDrain(cb) {
      socket.once('drain', cb);
    },
  };

  const fail = (err: Error) => {
    handlers.onError(err);
    closed = true;
    socket.destroy();
  };
  socket.on('data', (chunk: Buffer) => {
    try {
      consume(chunk);
    } catch (err) {
      fail(err as Error);
    }
  });
  socket.on('error', (err) => handlers.onError(err));
  socket.on('close', () => {
    closed = true;
    for (const st of streams.values()) remoteEnd(st);
    handlers.onClose();
  });
  if (head.length) {
    queueMicrotask(() => {
      try {
        consume(head);
      } catch (err) {
        fail(err as Error);
      }
    });
  }
  return conn;
}

