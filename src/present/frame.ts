// The presenter's screen as lines, from its state and the terminal's size:
// a header bar, the step's title and text, then either the commands typed
// out with their output, or (once the step ran) the check table and the
// topology with the traced path lit up to the current hop. Pure, so it is
// tested without a terminal and reflows on resize; widths are measured
// wide-character-aware.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import type { ClusterFacts } from '../core/facts.js';
import type { CheckResult } from '../labs/results.js';
import { hopTable } from '../labs/checks/hops.js';
import type { TracedPath } from '../topology/path.js';
import { drawTopology, lineText } from '../topology/text.js';

export interface PresentState {
  labTitle: string;
  mode: string;
  step: number;
  steps: number;
  title: string;
  /** Markdown, templates rendered. */
  text: string;
  /** Commands as typed so far, and their output, in order. */
  log: { kind: 'command' | 'output' | 'note'; text: string }[];
  checks: CheckResult[];
  /** running: commands and output; done: checks and topology. */
  phase: 'running' | 'done' | 'end';
  facts?: ClusterFacts;
  path?: TracedPath;
  /** How many hops of the path are lit so far. */
  lit: number;
  topology: boolean;
  /** The path is being lit: when checks and topology do not both fit, the topology wins. */
  lighting?: boolean;
  status: string;
}

const B = (s: string) => `\x1b[1m${s}\x1b[22m`;
const DIM = (s: string) => `\x1b[2m${s}\x1b[22m`;
const INV = (s: string) => `\x1b[7m${s}\x1b[27m`;
const CYAN = (s: string) => `\x1b[36m${s}\x1b[39m`;
const MAG = (s: string) => `\x1b[95m${s}\x1b[39m`;
const RED = (s: string) => `\x1b[31m${s}\x1b[39m`;
const GREEN = (s: string) => `\x1b[32m${s}\x1b[39m`;

/** Cuts or pads a line to exactly `cols` columns (escape sequences kept). */
export function fitLine(line: string, cols: number): string {
  const w = stringWidth(line);
  if (w <= cols) return line + ' '.repeat(cols - w);
  return wrapAnsi(line, Math.max(1, cols - 1), { hard: true, trim: false }).split('\n')[0]! + '…';
}

function wrap(text: string, cols: number): string[] {
  return wrapAnsi(text, Math.max(10, cols), { hard: true, trim: false }).split('\n');
}

/** Markdown to plain lines for the projector: code fences kept, emphasis marks dropped. */
function plainMarkdown(md: string): string {
  return md
    .replace(/```[a-z]*\n?/g, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, (_m, c: string) => CYAN(c))
    .trimEnd();
}

function checkLines(checks: CheckResult[]): string[] {
  const out: string[] = [];
  for (const c of checks) {
    const mark = c.passed ? GREEN('✓ PASS') : c.skipped ? DIM('– SKIP') : RED('✗ FAIL');
    out.push(`${mark}  ${c.title}: ${c.summary}`);
    if (c.kind === 'hops' && !c.skipped) out.push(...hopTable(c).map((l) => `        ${l}`));
  }
  return out;
}

/** The path cut to its first `lit` hops, to light hop by hop. */
export function partialPath(path: TracedPath, lit: number): TracedPath {
  return { ...path, hops: path.hops.slice(0, Math.max(0, lit)) };
}

function topologyLines(s: PresentState, cols: number): string[] {
  if (!s.facts) return [DIM('(no cluster facts to draw)')];
  const path = s.path ? partialPath(s.path, s.lit) : undefined;
  const drawn = drawTopology(s.facts, { width: cols, ...(path ? { path } : {}) });
  // The path summary first: on a small screen it is what must not be cut off.
  const at = drawn.findIndex((l) => lineText(l).startsWith('path: '));
  const ordered = at > 0 ? [...drawn.slice(at), ...drawn.slice(0, at)] : drawn;
  return ordered.map((l) =>
    l.map((seg) => (seg.tone === 'path' ? MAG(B(seg.text)) : seg.tone === 'bad' ? RED(seg.text) : seg.tone === 'dim' ? DIM(seg.text) : seg.bold ? B(seg.text) : seg.text)).join(''),
  );
}

export function presentFrame(s: PresentState, cols: number, rows: number): string[] {
  cols = Math.max(40, cols);
  rows = Math.max(12, rows);
  const head = ` hoplab · ${s.labTitle} · ${s.mode} · step ${s.step + 1}/${s.steps} `;
  const keys = ' space/→ next · ← back · p pause · t topology · q quit ';
  const bar = stringWidth(head) + stringWidth(keys) <= cols ? head + ' '.repeat(cols - stringWidth(head) - stringWidth(keys)) + keys : head;
  const lines: string[] = [INV(fitLine(bar, cols)), ''];
  if (s.phase === 'end') {
    lines.push(B(`  ${s.labTitle}: the end`), '', `  ${s.status}`);
    while (lines.length < rows) lines.push('');
    return lines.map((l) => fitLine(l, cols));
  }
  lines.push(...wrap(B(`${s.step + 1}. ${s.title}`), cols - 2).map((l) => ` ${l}`));
  const body = rows - lines.length - 2;
  if (s.topology) {
    lines.push(...topologyLines(s, cols).slice(0, body));
  } else {
    const textLines = wrap(plainMarkdown(s.text), cols - 4).map((l) => `  ${l}`);
    const textRoom = Math.max(2, Math.floor(body * 0.35));
    const shownText = textLines.length > textRoom ? [...textLines.slice(0, textRoom - 1), DIM('  …')] : textLines;
    lines.push(...shownText, '');
    const room = rows - lines.length - 1;
    if (s.phase === 'running') {
      const log = s.log.flatMap((e) => (e.kind === 'command' ? wrap(`${CYAN('$')} ${B(e.text)}`, cols - 2) : e.kind === 'note' ? [DIM(e.text)] : [e.text]).map((l) => ` ${l}`));
      lines.push(...log.slice(Math.max(0, log.length - room)));
    } else {
      const checks = checkLines(s.checks).flatMap((l) => wrap(l, cols - 2).map((x) => ` ${x}`));
      const topo = s.path ? topologyLines(s, cols) : [];
      // Checks first; the topology when it fits beside them, else the `t` key shows it.
      if (topo.length && checks.length + topo.length + 1 <= room) lines.push(...checks, '', ...topo);
      else if (topo.length && s.lighting) lines.push(...checks.slice(0, 1), ...topo.slice(0, room - 1));
      else if (topo.length && checks.length <= 2 && topo.length <= room - checks.length) lines.push(...checks, ...topo);
      else lines.push(...checks.slice(0, room - (topo.length ? 1 : 0)), ...(topo.length ? [DIM(' t: the topology with the traced path')] : []));
    }
  }
  while (lines.length < rows - 1) lines.push('');
  const out = lines.slice(0, rows - 1);
  out.push(DIM(` ${s.status}`));
  return out.map((l) => fitLine(l, cols));
}
