// When each line of a container's output arrived, for `kubectl logs
// --timestamps/--since/--since-time`. The process writes its log file itself
// (container-main.ts), so the daemon watches the file while the container
// runs (inotify) and appends to `<log>.times` one record per line as the line's
// first byte appears: "<byte offset> <unix nanoseconds>". A container runtime
// stamps the lines it reads off the container's pipe the same way (CRI log
// format). Lines written while the daemon was not watching (it restarted) get
// the time it next saw them.
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
export async function recordLineTimes(logFile: string): Promise<LineClock> {
  const out = timesFile(logFile);
  const known = await readTimes(out);
  let scanned = 0;
  let atLineStart = true;
  const last = known.offsets.length ? known.offsets[known.offsets.length - 1]! : -1;
  if (last >= 0) {
    // Carry on after the last recorded line: find where it ends.
    const size = (await stat(logFile).catch(() => ({ size: 0 }))).size;
    const tail = await readRange(logFile, last, size);
    const nl = tail.indexOf(10);
    scanned = nl < 0 ? size : last + nl + 1;
    atLineStart = nl >= 0;
  }
  let running: Promise<void> | undefined;
  let again = false;
  const scan = async (): Promise<void> => {
    const { size } = await stat(logFile).catch(() => ({ size: scanned }));
    if (size <= scanned) return;
    const buf = await readRange(logFile, scanned, size);
    const now = nowNs().toString();
    const records: string[] = [];
    for (let i = 0; i < buf.length; i++) {
      if (atLineStart) records.push(`${scanned + i} ${now}\n`);
      atLineStart = buf[i] === 10;
    }
    scanned += buf.length;
    if (records.length) await appendFile(out, records.join(''));
  };
  // One scan at a time; events during a scan make one more.
  const sync = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await scan().catch(() => undefined);
      } while (again);
      running = undefined;
    })();
    return running;
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(logFile, { persistent: false }, () => void sync());
    watcher.on('error', () => undefined);
  } catch {
    /* no inotify: readers' sync() still stamps lines when they ask */
  }
  await sync();
  return {
    sync,
    async stop() {
      watcher?.close();
      await sync();
    },
  };
}

async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  if (to <= from) return Buffer.alloc(0);
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
  offsets: number[];
  times: bigint[];
}

export async function readTimes(file: string): Promise<LineTimes> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const out: LineTimes = { offsets: [], times: [] };
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    out.offsets.push(Number(line.slice(0, sp)));
    out.times.push(BigInt(line.slice(sp + 1)));
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
  const lineTime = async (at: number): Promise<bigint> => {
    times ??= await o.times();
    const last = times.offsets.length ? times.offsets[times.offsets.length - 1]! : -1;
    if (at > last) times = await o.times();
    // Before the first record (nothing watched the file yet): the first time known, else now.
    return timeAt(times, at) ?? times.times[0] ?? nowNs();
  };
  const emit = async (line: Buffer, at: number, t: Transform) => {
    const ns = await lineTime(at);
    if (o.sinceNs !== undefined && ns < o.sinceNs) return;
    t.push(o.timestamps ? Buffer.concat([Buffer.from(`${formatRfc3339Nano(ns)} `), line]) : line);
  };
  return new Transform({
    async transform(chunk: Buffer, _enc, cb) {
      try {
        let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        let nl: number;
        while ((nl = buf.indexOf(10)) >= 0) {
          const line = buf.subarray(0, nl + 1);
          await emit(line, offset, this);
          offset += line.length;
          buf = buf.subarray(nl + 1);
        }
        pending = Buffer.from(buf);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    async flush(cb) {
      // A last line without its newline (the process has not finished it).
      if (pending.length) await emit(pending, offset, this).catch(() => undefined);
      cb();
    },
  });
}
