// The little Markdown a step's text uses, turned into blocks the step pane
// draws: paragraphs with `code` and **bold**, fenced blocks, lists, headings.
// Anything else is shown as the text it is.

export type Inline = { text: string; code?: boolean; bold?: boolean };

export type Block =
  | { kind: 'heading'; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; lang?: string; lines: string[] };

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push(m[1] !== undefined ? { text: m[1], code: true } : { text: m[2]!, bold: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

const LIST_ITEM = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;

// Chinese (and Japanese) text has no spaces between words: a line break inside a
// paragraph joins without one when both sides are CJK characters or marks.
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

export function joinLines(lines: string[]): string {
  return lines.reduce((out, l) => (!out ? l : CJK.test(out[out.length - 1]!) && CJK.test(l[0] ?? '') ? out + l : `${out} ${l}`), '');
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', inlines: parseInline(joinLines(para)) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i++) body.push(lines[i]!);
      blocks.push({ kind: 'code', ...(fence[2] ? { lang: fence[2] } : {}), lines: body });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', inlines: parseInline(heading[1]!) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      const ordered = item[2] !== undefined;
      const prev = blocks[blocks.length - 1];
      const list = prev?.kind === 'list' && prev.ordered === ordered ? prev : undefined;
      if (list) list.items.push(parseInline(item[3]!));
      else blocks.push({ kind: 'list', ordered, items: [parseInline(item[3]!)] });
      continue;
    }
    const prev = blocks[blocks.length - 1];
    if (!para.length && prev?.kind === 'list' && /^\s+\S/.test(line)) {
      // An indented line right after a list item continues that item.
      const items = prev.items;
      items[items.length - 1] = [...items[items.length - 1]!, { text: ' ' }, ...parseInline(line.trim())];
      continue;
    }
    para.push(line.trim());
  }
  flush();
  return blocks;
}
