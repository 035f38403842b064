// SPDY/3.1 framing as kubectl's exec client (moby/spdystream) speaks it:
// frame encode/decode, header blocks, and the per-connection header
// compression contexts. Pure apart from zlib; the connection lives in
// spdy-connection.ts.
import { constants, inflateSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export type Frame =
  | { control: true; version: number; type: number; flags: number; payload: Buffer }
  | { control: false; streamId: number; flags: number; payload: Buffer };

/** Takes as many complete frames as `buf` holds; returns them and the unconsumed rest. */
export function decodeFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let off = 0;
  while (buf.length - off >= 8) {
    const length = buf.readUIntBE(off + 5, 3);
    if (buf.length - off < 8 + length) break;
    const flags = buf[off + 4]!;
    const payload = buf.subarray(off + 8, off + 8 + length);
    if (buf[off]! & 0x80) {
      frames.push({ control: true, version: buf.readUInt16BE(off) & 0x7fff, type: buf.readUInt16BE(off + 2), flags, payload });
    } else {
      frames.push({ control: false, streamId: buf.readUInt32BE(off) & 0x7fffffff, flags, payload });
    }
    off += 8 + length;
  }
  return { frames, rest: buf.subarray(off) };
}

export function encodeControl(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  h.writeUInt16BE(type, 2);
  h[4] = flags;
  if (payload.length > 0xffffff) throw new Error(`SPDY frame too long: ${payload.length}`);
  h.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([h, payload]);
}

export function encodeData(streamId: number, flags: number, data: Buffer): Buffer {
  if (data.length > 0xffffff) throw new Error(`SPDY frame too long: ${data.length}`);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h[4] = flags;
  h.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([h, data]);
}

export type Headers = Record<string, string>;

/** The uncompressed name/value block: u32 count, then u32-length-prefixed names and values. */
export function encodeHeaderBlock(headers: Headers): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const n = Buffer.alloc(4);
  n.writeUInt32BE(entries.length);
  parts.push(n);
  for (const [k, v] of entries) {
    for (const s of [k.toLowerCase(), v]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Headers {
  const out: Headers = {};
  if (block.length < 4) throw new Error('SPDY header block too short');
  const count = block.readUInt32BE(0);
  let off = 4;
  const str = () => {
    if (off + 4 > block.length) throw new Error('SPDY header block truncated');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw new Error('SPDY header block truncated');
    const s = block.toString('utf8', off, off + len);
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    // Several values of one header are NUL-separated; the exec streams use one.
    out[name] = str();
  }
  return out;
}

/**
 * The receiving side of a connection's header compression: one zlib stream
 * with the SPDY dictionary spans every header block. Inflating the whole
 * history each time keeps this synchronous (blocks are few and small).
 */
export function createHeaderInflater(): (compressed: Buffer) => Buffer {
  const history: Buffer[] = [];
  let produced = 0;
  return (compressed) => {
    history.push(compressed);
    const all = inflateSync(Buffer.concat(history), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const fresh = all.subarray(produced);
    produced = all.length;
    return fresh;
  };
}

/**
 * The sending side: a zlib stream of stored (uncompressed) deflate blocks.
 * A valid continuation of one zlib stream per connection, as a SPDY peer
 * expects, that needs no dictionary because it references nothing. Each
 * block ends with an empty stored block, as zlib's Z_SYNC_FLUSH does: Go's
 * inflater only hands out a stored block's bytes once it has read the next
 * block header, so without it the peer would read past the frame.
 */
export function createHeaderDeflater(): (raw: Buffer) => Buffer {
  let started = false;
  const stored = (chunk: Buffer) => {
    const h = Buffer.alloc(5);
    h[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte
    h.writeUInt16LE(chunk.length, 1);
    h.writeUInt16LE(~chunk.length & 0xffff, 3);
    return [h, chunk];
  };
  return (raw) => {
    const parts: Buffer[] = [];
    if (!started) {
      parts.push(Buffer.from([0x78, 0x01])); // deflate, 32K window, no preset dictionary
      started = true;
    }
    for (let off = 0; off < raw.length; off += 0xffff) parts.push(...stored(raw.subarray(off, off + 0xffff)));
    parts.push(...stored(Buffer.alloc(0))); // the sync-flush marker
    return Buffer.concat(parts);
  };
}

export function synStreamInfo(payload: Buffer): { streamId: number; associatedId: number; block: Buffer } {
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedId: payload.readUInt32BE(4) & 0x7fffffff,
    block: payload.subarray(10),
  };
}

export function encodeSynReply(streamId: number, flags: number, compressedBlock: Buffer): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff);
  return encodeControl(FrameType.SYN_REPLY, flags, Buffer.concat([id, compressedBlock]));
}

export function encodeSynStream(streamId: number, flags: number, compressedBlock: Buffer): Buffer {
  const p = Buffer.alloc(10);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  return encodeControl(FrameType.SYN_STREAM, flags, Buffer.concat([p, compressedBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return encodeControl(FrameType.RST_STREAM, 0, p);
}

export function encodeGoAway(lastGoodStreamId: number, status = 0): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return encodeControl(FrameType.GOAWAY, 0, p);
}
