// Live output outside React: producers push lines as fast as they come, and
// subscribers hear about it at most once per `throttleMs`. A command that
// prints 100k lines therefore costs a few dozen renders, not 100k.
import { OutputRing, sanitizeLine, type OutputLine } from './output-buffer.js';

export class OutputStore {
  readonly ring: OutputRing;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private partial = '';

  constructor(capacity = 2000, private readonly throttleMs = 33) {
    this.ring = new OutputRing(capacity);
  }

  /** A chunk of a stream: complete lines go in now, a trailing partial line waits for its end. */
  write(chunk: string, stream: OutputLine['stream'] = 'stdout'): void {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.ring.push({ text: sanitizeLine(p), stream });
    if (parts.length) this.changed();
  }

  /** One whole line. */
  line(text: string, stream: OutputLine['stream'] = 'stdout'): void {
    if (this.partial) this.endPartial(stream);
    for (const p of text.split('\n')) this.ring.push({ text: sanitizeLine(p), stream });
    this.changed();
  }

  endPartial(stream: OutputLine['stream'] = 'stdout'): void {
    if (!this.partial) return;
    this.ring.push({ text: sanitizeLine(this.partial), stream });
    this.partial = '';
    this.changed();
  }

  clear(): void {
    this.ring.clear();
    this.partial = '';
    this.changed();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  /** Tell subscribers now, without waiting for the throttle. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.version++;
    for (const fn of this.listeners) fn();
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.throttleMs);
    this.timer.unref?.();
  }
}
