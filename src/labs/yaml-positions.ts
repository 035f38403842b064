// YAML with source positions. js-yaml reports positions only for syntax
// errors, so its parse listener is used to rebuild the node tree (start and
// end of every node) beside the plain value, and paths like
// ['steps', 2, 'checks', 0, 'from'] are looked up in that tree afterwards.
import yaml from 'js-yaml';

export type PathSegment = string | number;

export interface Position {
  line: number; // 1-based
  column: number; // 1-based
}

interface PosNode {
  start: number;
  kind: string;
  result: unknown;
  children: PosNode[];
}

export interface YamlDoc {
  value: unknown;
  /** Position of the value at path, or of its key when `key` is set; falls back to the nearest ancestor found. */
  positionOf(path: readonly PathSegment[], opts?: { key?: boolean }): Position;
}

export class YamlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: Position,
  ) {
    super(reason);
    this.name = 'YamlSyntaxError';
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function toPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The listener's "open" position is before whitespace and comments; move to the node's first character. */
function skipBlank(text: string, pos: number): number {
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    if (text[pos] !== '#') return pos;
    while (pos < text.length && text[pos] !== '\n') pos++;
  }
}

/** js-yaml sometimes opens the same node twice (a block mapping and its first key); drop the wrapper. */
function unwrap(node: PosNode): PosNode {
  let n = node;
  while (n.children.length === 1 && n.children[0]!.result === n.result) n = n.children[0]!;
  return n;
}

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** Parses one YAML document. Throws YamlSyntaxError with the position js-yaml reports. */
export function parseYaml(text: string): YamlDoc {
  const root: PosNode = { start: 0, kind: 'root', result: undefined, children: [] };
  const stack: PosNode[] = [root];
  let value: unknown;
  try {
    value = yaml.load(text, {
      schema: yaml.CORE_SCHEMA,
      listener(type, state) {
        if (type === 'open') {
          stack.push({ start: state.position, kind: '', result: undefined, children: [] });
        } else {
          const node = stack.pop()!;
          node.kind = state.kind;
          node.result = state.result;
          stack[stack.length - 1]!.children.push(node);
        }
      },
    });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      throw new YamlSyntaxError(err.reason, { line: err.mark.line + 1, column: err.mark.column + 1 });
    }
    throw err;
  }
  const starts = lineStarts(text);
  const top = root.children.length ? unwrap(root.children[root.children.length - 1]!) : undefined;

  function positionOf(path: readonly PathSegment[], opts: { key?: boolean } = {}): Position {
    let node = top;
    let best = top ? top.start : 0;
    for (let i = 0; node && i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      const kids = node.children.map(unwrap);
      let next: PosNode | undefined;
      if (Array.isArray(node.result)) {
        // Empty items (`-` alone) produce no node, so only trust a complete list.
        if (typeof seg === 'number' && kids.length === node.result.length) next = kids[seg];
      } else if (isContainer(node.result) && kids.length % 2 === 0) {
        for (let k = 0; k < kids.length; k += 2) {
          if (String(kids[k]!.result) === String(seg)) {
            const valueNode = kids[k + 1]!;
            // A null value has no text of its own: point at its key.
            if ((last && opts.key) || valueNode.result === null || valueNode.result === undefined) {
              return toPosition(starts, skipBlank(text, kids[k]!.start));
            }
            next = valueNode;
            break;
          }
        }
      }
      if (!next) break;
      node = next;
      best = node.start;
    }
    return toPosition(starts, skipBlank(text, best));
  }

  return { value, positionOf };
}

/** steps[2].checks[0].from */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
