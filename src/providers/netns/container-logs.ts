// Container output lives in a file per container run, written by the process
// itself, so logs survive the daemon and `kubectl logs -f` is a tail.
import { createReadStream, statSync, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, Readable, type Transform } from 'node:stream';

/** Where the last `n` lines of `buf` start (a last line without its newline counts). */
export function tailStart(buf: Buffer, n: number): number {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 10) end--;
  let at = end;
  for (let i = 0; i < n; i++) {
    if (at <= 0) return 0;
    const nl = buf.lastIndexOf(10, at - 1);
    if (nl < 0) return 0;
    at = nl;
  }
  return n === 0 ? buf.length : at + 1;
}

/**
 * Streams `file`; with `follow`, keeps reading what is appended until `ended()`
 * says the container stopped (and the file has been drained) or the signal aborts.
 * `from`: the byte offset to start at (an attach starts where the output is when it comes).
 * `lines`: what the output goes through, made once the byte offset it starts at is known
 * (log-times.ts: --timestamps and --since).
 */
export function streamLog(
  file: string,
  opts: { follow: boolean; tailLines?: number; signal: AbortSignal; ended: () => boolean; from?: number; lines?: (start: number) => Transform },
): Readable {
  if (!opts.follow && opts.tailLines === undefined && opts.from === undefined && !opts.lines) {
    // Up to the end the file has now: a container that keeps printing does not hold the answer open.
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      /* no output yet */
    }
    if (size === 0) return Readable.from([]);
    const s = createReadStream(file, { end: size - 1 });
    s.on('error', () => undefined);
    return s;
  }
  const result = new PassThrough();
  let out: PassThrough | Transform = result;
  let offset = 0;
  const pump = async (): Promise<void> => {
    // Woken by the file's changes (an attached terminal answers at once), polled as a fallback.
    let wake: (() => void) | undefined;
    const watcher = opts.follow ? tryWatch(file, () => wake?.()) : undefined;
    const fh = await open(file, 'r').catch(() => undefined);
    try {
      if (!fh) return;
      // Without follow, what the file holds now: a container that keeps printing does not hold the answer open.
      const until = opts.follow ? Infinity : (await fh.stat()).size;
      if (opts.tailLines !== undefined) {
        const { size } = await fh.stat();
        const buf = Buffer.alloc(size);
        await fh.read(buf, 0, size, 0);
        offset = tailStart(buf, opts.tailLines);
      } else if (opts.from !== undefined) {
        offset = opts.from;
      }
      if (opts.lines) {
        out = opts.lines(offset);
        out.on('error', () => result.destroy());
        out.pipe(result);
      }
      while (!opts.signal.aborted && !result.destroyed) {
        // Asked before the size is read: what the container wrote before it ended is then always read
        // (asked after, an end that came during the stat would drop its last output, or all of it).
        const over = opts.follow && opts.ended();
        const size = Math.min(until, (await stat(file)).size);
        if (size > offset) {
          const buf = Buffer.alloc(size - offset);
          await fh.read(buf, 0, buf.length, offset);
          offset = size;
          // Backpressure: a slow client holds the reading, not the daemon's memory.
          if (!out.write(buf)) {
            await new Promise<void>((resolve) => {
              out.once('drain', resolve);
              result.once('close', resolve);
            });
          }
          continue;
        }
        if (!opts.follow || over) break;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => (wake = undefined, resolve()), 100);
          wake = () => {
            clearTimeout(t);
            wake = undefined;
            resolve();
          };
        });
      }
    } catch {
      /* file removed with its pod: end the stream */
    } finally {
      watcher?.close();
      await fh?.close();
      out.end();
    }
  };
  void pump();
  return result;
}

function tryWatch(file: string, onChange: () => void): { close(): void } | undefined {
  try {
    const w = watch(file, { persistent: false }, onChange);
    w.on('error', () => undefined);
    return w;
  } catch {
    return undefined;
  }
}
