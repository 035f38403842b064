// `hoplab classroom export`: the room as one report. JSON is the room view
// itself; JUnit has a suite per attendee and lab and a case per step (so a CI
// dashboard shows who passed what); Markdown is the grid and what the room
// got wrong, for the workshop's notes.
import { junitXml, type JunitCase, type JunitSuite } from '../labs/junit.js';
import { CELL_SYMBOL, CELL_WORD, commonWrongHops, gridRows, labsIn, stepColumns, wrongHopLine } from './dashboard.js';
import type { RoomView } from './room.js';
import { cleanText } from './sanitize.js';

export const EXPORT_FORMATS = ['json', 'junit', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function roomJunit(room: RoomView): string {
  const suites: JunitSuite[] = [];
  for (const a of room.attendees) {
    const name = cleanText(a.name, 40);
    for (const [lab, l] of Object.entries(a.labs)) {
      const cols = stepColumns(room, lab);
      const cases: JunitCase[] = cols.map((col) => {
        const r = l.results.find((x) => x.index === col.index);
        const title = col.title ?? col.id ?? `step ${col.index + 1}`;
        const base = { classname: `${lab}.${name}`, name: `${col.index + 1}. ${title}` };
        if (!r?.outcome) return { ...base, skipped: 'not reached' };
        const failed = r.checks.filter((c) => c.outcome === 'failed');
        const body = r.checks.map((c) => `${c.outcome}: ${c.title}: ${c.summary}${c.diagnosis ? `\n  ${c.diagnosis}` : ''}`).join('\n');
        if (failed.length) return { ...base, failure: { message: `${failed[0]!.title}: ${failed[0]!.summary}`, body }, out: body };
        return { ...base, out: `${CELL_WORD[r.outcome]}\n${body}` };
      });
      suites.push({ name: `${name}: ${lab}`, cases });
    }
  }
  return junitXml('hoplab classroom', suites);
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

export function roomMarkdown(room: RoomView, stuckMinutes = 5): string {
  const out = ['# Classroom', '', `${room.attendees.length} attendee(s), ${room.hands.length} hand(s) raised. ${Object.entries(CELL_SYMBOL).map(([k, v]) => `${v} ${CELL_WORD[k as keyof typeof CELL_WORD]}`).join(' · ')}`];
  for (const lab of labsIn(room)) {
    const cols = stepColumns(room, lab);
    out.push('', `## ${lab}`, '', `| attendee | ${cols.map((c) => `${c.index + 1}`).join(' | ')} | now |`, `|---|${cols.map(() => '---|').join('')}---|`);
    for (const r of gridRows(room, lab, stuckMinutes).filter((x) => x.cells.some((c) => c !== 'todo') || x.at)) {
      out.push(`| ${mdCell(r.name)} | ${r.cells.map((c) => CELL_SYMBOL[c]).join(' | ')} | ${r.at ? `step ${r.at.step + 1}${r.stuck ? ' (stuck)' : ''}` : r.finished ? 'finished' : ''} |`);
    }
    out.push('', ...cols.map((c) => `${c.index + 1}. ${mdCell(c.title ?? c.id ?? '?')}`));
    const wrong = commonWrongHops(room, lab);
    if (wrong.length) out.push('', '### What the room gets wrong', '', ...wrong.map((w) => `- step ${w.step + 1}: ${mdCell(wrongHopLine(w))}`));
  }
  if (room.hands.length) out.push('', '## Hands raised', '', ...room.hands.map((h) => `- ${mdCell(cleanText(h.name, 40))}${h.message ? `: ${mdCell(cleanText(h.message, 200))}` : ''}`));
  return out.join('\n') + '\n';
}

export function exportRoom(room: RoomView, format: ExportFormat): string {
  if (format === 'json') return JSON.stringify(room, null, 2) + '\n';
  return format === 'junit' ? roomJunit(room) : roomMarkdown(room);
}
