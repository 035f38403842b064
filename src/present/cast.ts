// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON
// header line, then one [seconds, "o", data] line per write to the terminal.
// What the presenter shows is exactly what is recorded, so `asciinema play`
// replays the demo as it was projected.
import { createWriteStream, type WriteStream } from 'node:fs';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
}

export function castHeader(width: number, height: number, title: string, now = Date.now()): CastHeader {
  return { version: 2, width, height, timestamp: Math.floor(now / 1000), title, env: { TERM: 'xterm-256color' } };
}

export function castEvent(seconds: number, data: string): string {
  return JSON.stringify([Number(seconds.toFixed(6)), 'o', data]);
}

export interface Recorder {
  write(data: string): void;
  close(): Promise<void>;
}

/** Records to a file from now on; times are seconds since the recorder was made. */
export function castRecorder(file: string, width: number, height: number, title: string): Recorder {
  const started = performance.now();
  const out: WriteStream = createWriteStream(file, { mode: 0o644 });
  out.write(JSON.stringify(castHeader(width, height, title)) + '\n');
  return {
    write(data) {
      out.write(castEvent((performance.now() - started) / 1000, data) + '\n');
    },
    close: () => new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve()))),
  };
}
