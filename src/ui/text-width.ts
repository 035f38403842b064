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

/** Punctuation that never starts a line, and punctuation that never ends one. */
const CLOSE = new Set([...'，。、；：！？）」』》】〉,.;:!?)]}\'"…']);
const OPEN = new Set([...'（「『《【〈([{']);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

interface Ch {
  g: string;
  w: number;
  /** The span it came from. */
  k: number;
}

/**
 * Lines of at most `width` columns from runs of differently styled text.
 * Breaks go at spaces, which the break swallows (Ink's own wrap keeps them:
 * " the image over eth0."), and between wide (CJK) characters, which have no
 * spaces; a word longer than the line is cut where it must be.
 */
export function wrapSpans<S extends { text: string }>(spans: S[], width: number): S[][] {
  const max = Math.max(1, width);
  // Units never broken (but for a word longer than a line), each with the whitespace before it.
  const units: { before: Ch[]; chars: Ch[]; newline?: boolean }[] = [];
  let ws: Ch[] = [];
  let cur: Ch[] = [];
  const close = (newline = false) => {
    if (cur.length || newline) units.push({ before: ws, chars: cur, ...(newline ? { newline } : {}) });
    if (cur.length || newline) ws = [];
    cur = [];
  };
  spans.forEach((s, k) => {
    for (const { segment: g } of graphemes.segment(s.text)) {
      if (g === '\n') {
        close();
        close(true);
      } else if (/^\s+$/.test(g)) {
        close();
        ws.push({ g, w: stringWidth(g), k });
      } else {
        const ch = { g, w: stringWidth(g), k };
        const last = cur[cur.length - 1];
        if (last && (ch.w > 1 || last.w > 1) && !CLOSE.has(g) && !OPEN.has(last.g)) close();
        cur.push(ch);
      }
    }
  });
  close();
  const lines: Ch[][] = [[]];
  let used = 0;
  const put = (ch: Ch) => {
    if (used + ch.w > max && used > 0) {
      lines.push([]);
      used = 0;
    }
    lines[lines.length - 1]!.push(ch);
    used += ch.w;
  };
  for (const u of units) {
    if (u.newline) {
      lines.push([]);
      used = 0;
      continue;
    }
    const w = u.chars.reduce((n, c) => n + c.w, 0);
    const space = u.before.reduce((n, c) => n + c.w, 0);
    if (used > 0 && used + space + w > max) {
      lines.push([]);
      used = 0;
    }
    if (used > 0) for (const c of u.before) put(c);
    for (const c of u.chars) put(c);
  }
  return lines.map((line) => {
    const out: S[] = [];
    let last = -1;
    for (const c of line) {
      if (c.k === last) out[out.length - 1]!.text += c.g;
      else out.push({ ...spans[c.k]!, text: c.g });
      last = c.k;
    }
    return out;
  });
}
