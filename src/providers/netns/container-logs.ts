// Container output lives in a file per container run, written by the process
// itself, so logs survive the daemon and `kubectl logs -f` is a tail.
import { createReadStream } from 'node:fs';
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
 */
export function streamLog(
  file: string,
  opts: { follow: boolean; tailLines?: number; signal: AbortSignal; ended: () => boolean },
): Readable {
  if (!opts.follow && opts.tailLines === undefined) {
    const s = createReadStream(file);
    s.on('error', () => undefined);
    return s;
  }
  const out = new PassThrough();
  let offset = 0;
  const pump = async (): Promise<void> => {
    try {
      const fh = await open(file, 'r').catch(() => undefined);
      if (!fh) return void out.end();
      try {
        if (opts.tailLines !== undefined) {
          const { size } = await fh.stat();
          const buf = Buffer.alloc(size);
          await fh.read(buf, 0, size, 0);
          out.write(lastLines(buf.toString('utf8'), opts.tailLines));
          offset = size;
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
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await fh.close();
      }
    } catch {
      /* file removed with its pod: end the stream */
    }
    out.end();
  };
  void pump();
  return out;
}
