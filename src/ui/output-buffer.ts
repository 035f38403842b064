// The output pane's memory: a ring of the last `capacity` lines, so 100k
// lines of traceroute or kubectl output cost the same as 2k, plus the pure
// arithmetic of which lines a pane of a given height shows.

export interface OutputLine {
  text: string;
  stream: 'stdout' | 'stderr' | 'info';
}

export class OutputRing {
  private readonly lines: (OutputLine | undefined)[];
  private start = 0;
  private count = 0;
  /** Lines ever pushed, including the ones the ring has forgotten. */
  total = 0;

  constructor(readonly capacity = 2000) {
    this.lines = new Array(capacity);
  }

  push(line: OutputLine): void {
    const at = (this.start + this.count) % this.capacity;
    this.lines[at] = line;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.total++;
  }

  get size(): number {
    return this.count;
  }

  /** Lines [from, to) of what the ring holds, oldest first. */
  slice(from: number, to: number): OutputLine[] {
    const out: OutputLine[] = [];
    const end = Math.min(to, this.count);
    for (let i = Math.max(0, from); i < end; i++) out.push(this.lines[(this.start + i) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.total = 0;
    this.lines.fill(undefined);
  }
}

/**
 * Which held lines a pane of `height` rows shows. `scrollBack` counts lines
 * up from the bottom: 0 follows the output as it arrives.
 */
export function visibleRange(size: number, height: number, scrollBack: number): { from: number; to: number; scrollBack: number } {
  const h = Math.max(0, height);
  const maxBack = Math.max(0, size - h);
  const back = Math.min(Math.max(0, scrollBack), maxBack);
  const to = size - back;
  return { from: Math.max(0, to - h), to, scrollBack: back };
}

const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** One terminal row of plain text: escapes and control characters out, tabs expanded, carriage returns keep the last overwrite. */
export function sanitizeLine(raw: string, maxLength = 400): string {
  // A pane row never shows more than a terminal's width; the cap keeps a
  // pathological megabyte line from costing a megabyte per frame.
  let s = raw.length > maxLength * 4 ? raw.slice(0, maxLength * 4) : raw;
  s = s.replace(ANSI, '').replace(/\r+$/, '');
  const cr = s.lastIndexOf('\r');
  if (cr >= 0) s = s.slice(cr + 1);
  s = s.replace(/\t/g, '    ');
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, '').slice(0, maxLength);
}
