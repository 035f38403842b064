// When each line of a container's output arrived, for `kubectl logs
// --timestamps/--since/--since-time`. The process writes its log file itself
// (container-main.ts), so the daemon watches the file while the container
// runs (inotify) and, each time it grows, appends to `<log>.times` one record
// "<offset of the first line starting in the new bytes> <unix ns> <end>": every
// line starting from that offset up to the next record arrived then, as a
// container runtime stamps the lines of each read off the container's pipe (CRI
// log format). Under heavy output the scans are spaced (BATCH_MS), so the
// records stay few whatever the number of lines. Lines written while the daemon
// was not watching (it restarted) get the time it next saw them.
import { watch, type FSWatcher } from 'node:fs';
import { appendFile, open, readFile, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { formatRfc3339Nano, nowNs } from '../../kube/rfc3339.js';

export const timesFile = (logFile: string) => `${logFile}.times`;

export interface LineClock {
  /** Records every line that has appeared in the file up to now. */
  sync(): Promise<void>;
  /** A last sync, then stops watching. */
  stop(): Promise<void>;
}

/** Starts recording `logFile`'s line times (the file must exist), carrying on from what `.times` already holds. */
/** Spacing of the scans of a log that keeps growing: one record per batch of lines. */
const BATCH_MS = 25;

/**
 * Starts recording `logFile`'s line times (the file must exist), carrying on after
 * what `.times` already holds. The watch is dropped at the first change and made
 * again after the next scan, so a container printing without pause costs at most
 * one scan per BATCH_MS, not one wake-up per write.
 */
export async function recordLineTimes(logFile: string): Promise<LineClock> {
  const out = timesFile(logFile);
  let scanned = (await readTimes(out)).end;
  let atLineStart = scanned === 0 || (await readRange(logFile, scanned - 1, scanned))[0] === 10;
  let lastScan = 0;
  const scan = async (): Promise<void> => {
    lastScan = Date.now();
    const { size } = await stat(logFile).catch(() => ({ size: scanned }));
    if (size <= scanned) return;
    const first = atLineStart ? scanned : await lineStartIn(logFile, scanned, size);
    atLineStart = (await readRange(logFile, size - 1, size))[0] === 10;
    scanned = size;
    if (first !== undefined) await appendFile(out, `${first} ${nowNs()} ${scanned}\n`);
  };
  // One scan at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => (queue = queue.then(() => scan().catch(() => undefined)));

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped || watcher) return;
    try {
      watcher = watch(logFile, { persistent: false }, changed);
      watcher.on('error', () => undefined);
    } catch {
      /* no inotify: readers' sync() still stamps lines when they ask */
    }
  };
  function changed(): void {
    watcher?.close();
    watcher = undefined;
    if (timer || stopped) return;
    timer = setTimeout(() => {
      void sync().then(async () => {
        timer = undefined;
        arm();
        // What was written between the scan and the new watch.
        const { size } = await stat(logFile).catch(() => ({ size: scanned }));
        if (size > scanned) changed();
      });
    }, Math.max(0, lastScan + BATCH_MS - Date.now()));
  }
  await sync();
  arm();
  return {
    sync,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      await sync();
    },
  };
}

/** Where the first line starting in [from, to) of the file starts, read a chunk at a time. */
async function lineStartIn(file: string, from: number, to: number): Promise<number | undefined> {
  for (let at = from; at < to; at += 1 << 20) {
    const buf = await readRange(file, at, Math.min(to, at + (1 << 20)));
    const nl = buf.indexOf(10);
    if (nl >= 0) return at + nl + 1 < to ? at + nl + 1 : undefined;
  }
  return undefined;
}

async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  if (to <= from || from < 0) return Buffer.alloc(0);
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(to - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export interface LineTimes {
  /** Where each batch's first line starts, and when the batch arrived. */
  offsets: number[];
  times: bigint[];
  /** How far the file has been stamped. */
  end: number;
}

export async function readTimes(file: string): Promise<LineTimes> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const out: LineTimes = { offsets: [], times: [], end: 0 };
  for (const line of text.split('\n')) {
    const [offset, ns, end] = line.split(' ');
    if (!offset || !ns || !end) continue;
    out.offsets.push(Number(offset));
    out.times.push(BigInt(ns));
    out.end = Number(end);
  }
  return out;
}

/** The time of the line holding byte `offset`: the last line start recorded at or before it. */
export function timeAt(t: LineTimes, offset: number): bigint | undefined {
  let lo = 0;
  let hi = t.offsets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.offsets[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? undefined : t.times[found];
}

/**
 * Cuts a log stream that starts at byte `start` of its file into lines, drops
 * those older than `sinceNs` and prefixes each with its time when `timestamps`
 * (kubelet: tail first, then since). `times` reads the records, again for a
 * line newer than those read so far.
 */
export function stampLines(o: {
  start: number;
  timestamps: boolean;
  sinceNs?: bigint;
  times: () => Promise<LineTimes>;
}): Transform {
  let offset = o.start;
  let pending = Buffer.alloc(0);
  let times: LineTimes | undefined;
  // Read the records again when the bytes go past what they cover (once per chunk:
  // lines the daemon never saw stay past it).
  const cover = async (to: number) => {
    if (!times || to > times.end) times = await o.times();
  };
  const stamp = (line: Buffer, at: number, parts: Buffer[]) => {
    const ns = timeAt(times!, at) ?? times!.times[0] ?? nowNs();
    // Before the first record (nothing watched the file yet): the first time known, else now.
    if (o.sinceNs !== undefined && ns < o.sinceNs) return;
    if (o.timestamps) parts.push(Buffer.from(`${formatRfc3339Nano(ns)} `));
    parts.push(line);
  };
  return new Transform({
    async transform(chunk: Buffer, _enc, cb) {
      try {
        const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        await cover(offset + buf.length);
        const parts: Buffer[] = [];
        let from = 0;
        let nl: number;
        while ((nl = buf.indexOf(10, from)) >= 0) {
          stamp(buf.subarray(from, nl + 1), offset + from, parts);
          from = nl + 1;
        }
        offset += from;
        pending = Buffer.from(buf.subarray(from));
        if (parts.length) this.push(Buffer.concat(parts));
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    async flush(cb) {
      // A last line without its newline (the process has not finished it).
      if (pending.length) {
        await cover(offset + pending.length).catch(() => undefined);
        const parts: Buffer[] = [];
        if (times) stamp(pending, offset, parts);
        if (parts.length) this.push(Buffer.concat(parts));
      }
      cb();
    },
  });
}
