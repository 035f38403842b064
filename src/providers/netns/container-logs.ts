// Container output lives in a file per container run, written by the process
// itself, so logs survive the daemon and `kubectl logs -f` is a tail.
import { createReadStream, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';

function lastLines(text: string, n: number): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(Math.max(0, lines.length - n)).map((l) => l + '\n').join('');
}

/**
 * Streams `file`; with `follow`, keeps reading what is appended until `ended()`
 * says the container stopped (and the file has been drained) or the signal aborts.
 * `from`: the byte offset to start at (an attach starts where the output is when it comes).
 */
export function streamLog(
  file: string,
  opts: { follow: boolean; tailLines?: number; signal: AbortSignal; ended: () => boolean; from?: number },
): Readable {
  if (!opts.follow && opts.tailLines === undefined && opts.from === undefined) {
    const s = createReadStream(file);
    s.on('error', () => undefined);
    return s;
  }
  const out = new PassThrough();
  let offset = 0;
  const pump = async (): Promise<void> => {
    // Woken by the file's changes (an attached terminal answers at once), polled as a fallback.
    let wake: (() => void) | undefined;
    const watcher = opts.follow ? tryWatch(file, () => wake?.()) : undefined;
    const fh = await open(file, 'r').catch(() => undefined);
    try {
      if (!fh) return;
      if (opts.tailLines !== undefined) {
        const { size } = await fh.stat();
        const buf = Buffer.alloc(size);
        await fh.read(buf, 0, size, 0);
        out.write(lastLines(buf.toString('utf8'), opts.tailLines));
        offset = size;
      } else if (opts.from !== undefined) {
        offset = opts.from;
      }
      while (!opts.signal.aborted && !out.destroyed) {
        const { size } = await stat(file);
        if (size > offset) {
          const buf = Buffer.alloc(size - offset);
          await fh.read(buf, 0, buf.length, offset);
          offset = size;
          out.write(buf);
          continue;
        }
        if (!opts.follow || opts.ended()) break;
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
  return out;
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
