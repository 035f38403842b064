import { describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { formatRfc3339Nano, parseRfc3339 } from '../../src/kube/rfc3339.js';
import { readTimes, recordLineTimes, stampLines, timeAt, timesFile, type LineTimes } from '../../src/providers/netns/log-times.js';
import { tailStart } from '../../src/providers/netns/container-logs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RFC 3339 times as kubelet prints them', () => {
  it('formats nanoseconds in UTC with trailing zeros of the fraction dropped (Go RFC3339Nano)', () => {
    expect(formatRfc3339Nano(1733306400123456789n)).toBe('2024-12-04T10:00:00.123456789Z');
    expect(formatRfc3339Nano(1733306400120000000n)).toBe('2024-12-04T10:00:00.12Z');
    expect(formatRfc3339Nano(1733306400000000000n)).toBe('2024-12-04T10:00:00Z');
  });

  it('parses what kubectl sends as sinceTime, with a zone or a fraction', () => {
    expect(parseRfc3339('2024-12-04T10:00:00Z')).toBe(1733306400000000000n);
    expect(parseRfc3339('2024-12-04T11:00:00.5+01:00')).toBe(1733306400500000000n);
    expect(parseRfc3339('yesterday')).toBeUndefined();
    expect(parseRfc3339('2024-12-04 10:00:00')).toBeUndefined();
  });
});

describe('tail', () => {
  it('finds where the last n lines start, a last line without newline included', () => {
    const b = Buffer.from('one\ntwo\nthree\n');
    expect(tailStart(b, 1)).toBe(8);
    expect(tailStart(b, 2)).toBe(4);
    expect(tailStart(b, 5)).toBe(0);
    expect(tailStart(b, 0)).toBe(b.length);
    expect(tailStart(Buffer.from('one\ntwo'), 1)).toBe(4);
  });
});

describe('line times of a log file', () => {
  it('records each batch of lines once, when it appears, and carries on after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoplab-logtimes-'));
    try {
      const log = join(dir, 'c.log');
      await writeFile(log, 'a\n');
      const clock = await recordLineTimes(log);
      await sleep(30);
      await appendFile(log, 'b\nc');
      await clock.sync();
      await appendFile(log, 'c-end\n');
      await clock.sync();
      await clock.stop();
      const t = await readTimes(timesFile(log));
      // "a" at 0; "b" and "c" (started) in the second batch; "c-end" finishes c: no new line.
      expect(t.offsets).toEqual([0, 2]);
      expect(t.end).toBe(5); // a batch with no new line leaves no record
      expect(t.times[1]! - t.times[0]!).toBeGreaterThanOrEqual(25_000_000n);
      expect(timeAt(t, 4)).toBe(t.times[1]);
      // A new recorder (the daemon restarted) records only the lines after the last recorded one.
      await appendFile(log, 'd\n');
      const again = await recordLineTimes(log);
      await again.stop();
      expect((await readTimes(timesFile(log))).offsets).toEqual([0, 2, 11]);
      expect((await readFile(log, 'utf8')).slice(11)).toBe('d\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the time of the line holding an offset', () => {
    const t: LineTimes = { offsets: [0, 10, 20], times: [1n, 2n, 3n], end: 30 };
    expect(timeAt(t, 0)).toBe(1n);
    expect(timeAt(t, 15)).toBe(2n);
    expect(timeAt(t, 99)).toBe(3n);
    expect(timeAt({ offsets: [5], times: [9n], end: 9 }, 1)).toBeUndefined();
  });
});

describe('stamping and since', () => {
  const s = 1_000_000_000n;
  // Lines at offsets 0, 6, 12: "first\n" at 10 s, "second" split across chunks at 20 s, "third" (no newline) at 30 s.
  const times: LineTimes = { offsets: [0, 6, 13], times: [10n * s, 20n * s, 30n * s], end: 18 };
  const collect = async (o: { timestamps: boolean; sinceNs?: bigint; start?: number }, chunks: string[]) => {
    const t = stampLines({ start: o.start ?? 0, timestamps: o.timestamps, sinceNs: o.sinceNs, times: async () => times });
    const out: Buffer[] = [];
    t.on('data', (d: Buffer) => out.push(d));
    await new Promise<void>((resolve, reject) => {
      t.on('end', resolve).on('error', reject);
      Readable.from(chunks.map((c) => Buffer.from(c))).pipe(t);
    });
    return Buffer.concat(out).toString();
  };

  it('prefixes every line with its arrival time, a line split over chunks once', async () => {
    expect(await collect({ timestamps: true }, ['first\nsec', 'ond\nthird'])).toBe(
      '1970-01-01T00:00:10Z first\n1970-01-01T00:00:20Z second\n1970-01-01T00:00:30Z third',
    );
  });

  it('drops lines older than since, and starts at the byte a tail picked', async () => {
    expect(await collect({ timestamps: false, sinceNs: 20n * s }, ['first\nsecond\nthird'])).toBe('second\nthird');
    expect(await collect({ timestamps: false, sinceNs: 31n * s }, ['first\nsecond\nthird'])).toBe('');
    expect(await collect({ timestamps: true, start: 13 }, ['third\n'])).toBe('1970-01-01T00:00:30Z third\n');
  });
});
