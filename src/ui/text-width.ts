// Columns a text takes on a terminal: a CJK character takes two, a combining
// mark none. Every place the UI pads or measures text by hand goes through
// here (Ink measures its own boxes with the same string-width).
import stringWidth from 'string-width';

export function textWidth(s: string): number {
  return stringWidth(s);
}

export function padEndW(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - stringWidth(s)));
}

export function padStartW(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - stringWidth(s))) + s;
}
