import { describe, expect, it } from 'vitest';
import { createDeflate, constants, inflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { SPDY3_DICTIONARY } from '../../src/kube/spdy-dictionary.js';
import {
  createHeaderDeflater,
  createHeaderInflater,
  decodeFrames,
  decodeHeaderBlock,
  encodeControl,
  encodeData,
  encodeHeaderBlock,
  encodeSynStream,
  FLAG_FIN,
  FrameType,
} from '../../src/kube/spdy.js';
import { serveSpdy, type SpdyStream } from '../../src/kube/spdy-connection.js';

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A client-side header compressor like Go's: one zlib stream with the dictionary, sync-flushed per block. */
function goLikeCompressor() {
  const d = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
  return (raw: Buffer) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const on = (c: Buffer) => chunks.push(c);
      d.on('data', on);
      d.write(raw);
      d.flush(constants.Z_SYNC_FLUSH, () => {
        d.off('data', on);
        resolve(Buffer.concat(chunks));
      });
    });
}

describe('SPDY/3 dictionary', () => {
  it('is the 1423-byte spec dictionary whose zlib id kubectl sends (adler32 e3c6a7c2)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe('e3c6a7c2');
    expect(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex')).toBe('51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });
});

describe('SPDY frames', () => {
  it('round-trips control and data frames and keeps a partial frame for later', () => {
    const ping = encodeControl(FrameType.PING, 0, Buffer.from([0, 0, 0, 1]));
    const data = encodeData(5, FLAG_FIN, Buffer.from('hi'));
    const both = Buffer.concat([ping, data]);
    const { frames, rest } = decodeFrames(both.subarray(0, both.length - 1));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ control: true, version: 3, type: FrameType.PING, flags: 0 });
    expect(rest.length).toBe(data.length - 1);
    const all = decodeFrames(both).frames;
    expect(all[1]).toMatchObject({ control: false, streamId: 5, flags: FLAG_FIN });
    expect(all[1]!.payload.toString()).toBe('hi');
  });

  it('encodes name/value header blocks with lower-case names', () => {
    const block = encodeHeaderBlock({ StreamType: 'stdout', port: '80' });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: 'stdout', port: '80' });
  });

  it("inflates a client's header blocks that share one zlib stream", async () => {
    const compress = goLikeCompressor();
    const inflate = createHeaderInflater();
    for (const t of ['error', 'stdin', 'stdout', 'stderr', 'resize']) {
      const block = await compress(encodeHeaderBlock({ streamtype: t }));
      expect(decodeHeaderBlock(inflate(block))).toEqual({ streamtype: t });
    }
  });

  it('deflates into stored blocks, each closed by the sync-flush marker Go needs to hand the bytes out', () => {
    const deflate = createHeaderDeflater();
    const a = deflate(encodeHeaderBlock({}));
    const b = deflate(encodeHeaderBlock({ x: 'y' }));
    expect(a.subarray(0, 2)).toEqual(Buffer.from([0x78, 0x01]));
    for (const blk of [a, b]) expect(blk.subarray(blk.length - 5)).toEqual(Buffer.from([0, 0, 0, 0xff, 0xff]));
    const all = inflateSync(Buffer.concat([a, b]), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(all).toEqual(Buffer.concat([encodeHeaderBlock({}), encodeHeaderBlock({ x: 'y' })]));
  });
});

describe('SPDY connection', () => {
  it('replies to streams, routes data, answers pings and closes with FIN and GOAWAY', async () => {
    const streams: SpdyStream[] = [];
    const server = createServer((socket) => {
      const conn = serveSpdy(socket, Buffer.alloc(0), {
        onStream(s) {
          streams.push(s);
          if (s.headers.streamtype !== 'stdin') return;
          let got = '';
          s.setHandlers(
            (d) => (got += d.toString()),
            () => {
              streams.find((x) => x.headers.streamtype === 'error')!.write(Buffer.from(`done:${got}`));
              conn.close();
            },
          );
        },
        onClose() {},
        onError() {},
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const client: Socket = connect(port, '127.0.0.1');
    await once(client, 'connect');
    const compress = goLikeCompressor();
    client.write(encodeSynStream(1, 0, await compress(encodeHeaderBlock({ streamtype: 'error' }))));
    client.write(encodeSynStream(3, 0, await compress(encodeHeaderBlock({ streamtype: 'stdin' }))));
    client.write(encodeData(3, 0, Buffer.from('hel')));
    client.write(encodeControl(FrameType.PING, 0, Buffer.from([0, 0, 0, 1])));
    client.write(encodeData(3, FLAG_FIN, Buffer.from('lo')));

    const chunks: Buffer[] = [];
    client.on('data', (c: Buffer) => chunks.push(c));
    await once(client, 'end');
    client.destroy();
    server.close();

    const { frames, rest } = decodeFrames(Buffer.concat(chunks));
    expect(rest.length).toBe(0);
    const inflate = createHeaderInflater();
    const summary = frames.map((f) => {
      if (!f.control) return `DATA ${f.streamId}${f.flags & FLAG_FIN ? ' FIN' : ''} ${f.payload.toString()}`.trim();
      if (f.type === FrameType.SYN_REPLY) return `SYN_REPLY ${f.payload.readUInt32BE(0)} ${JSON.stringify(decodeHeaderBlock(inflate(f.payload.subarray(4))))}`;
      return `CONTROL ${f.type}`;
    });
    expect(summary).toEqual([
      'SYN_REPLY 1 {}',
      'SYN_REPLY 3 {}',
      `CONTROL ${FrameType.PING}`,
      'DATA 1 done:hello',
      'DATA 1 FIN',
      'DATA 3 FIN',
      `CONTROL ${FrameType.GOAWAY}`,
    ]);
    expect(streams.map((s) => [s.id, s.headers.streamtype])).toEqual([
      [1, 'error'],
      [3, 'stdin'],
    ]);
  });
});
