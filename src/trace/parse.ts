// parseTrace: pasted text in, hops out, whatever the tool. Detects the
// format from the lines themselves, skips prompts and chatter, stops where a
// second command begins, and never throws: what it cannot read becomes a
// warning with its line number.
import type { ParsedTrace } from '../path/types.js';
import { type LineReader, newBuilder, warn } from './builder.js';
import { HOP as MTR_HOP, readMtrLine } from './mtr.js';
import { HOP as TRACEPATH_HOP, readTracepathLine } from './tracepath.js';
import { HEADER as TRACEROUTE_HEADER, HOP as TRACEROUTE_HOP, looksBusybox, readTracerouteLine } from './traceroute.js';
import { type Line, readPrompt, toLines } from './text.js';

type Family = 'traceroute' | 'tracepath' | 'mtr';

const READERS: Record<Family, LineReader> = {
  traceroute: readTracerouteLine,
  tracepath: readTracepathLine,
  mtr: readMtrLine,
};

/** Votes for a tool from lines only it prints; traceroute wins ties, being the most common. */
export function detectFamily(lines: string[]): Family | undefined {
  const votes: Record<Family, number> = { traceroute: 0, tracepath: 0, mtr: 0 };
  for (const t of lines) {
    if (/^\s*HOST:.*Loss%/.test(t)) votes.mtr += 5;
    else if (MTR_HOP.test(t)) votes.mtr += /[|`]--/.test(t) ? 2 : 1;
    else if (/\[LOCALHOST\]|^\s*Resume: pmtu/.test(t)) votes.tracepath += 5;
    else if (TRACEPATH_HOP.test(t)) votes.tracepath += 2;
    else if (TRACEROUTE_HEADER.test(t)) votes.traceroute += 5;
    else if (TRACEROUTE_HOP.test(t)) votes.traceroute += 1;
  }
  const best = (Object.keys(votes) as Family[]).reduce((a, b) => (votes[b] > votes[a] ? b : a), 'traceroute');
  return votes[best] > 0 ? best : undefined;
}

export function parseTrace(text: string): ParsedTrace {
  const lines = toLines(typeof text === 'string' ? text : String(text ?? ''));
  const family = detectFamily(lines.map((l) => l.text));
  const b = newBuilder();
  if (!family) {
    const content = lines.filter((l) => l.text.trim() !== '');
    if (content.length === 0) b.warnings.push('the text is empty');
    else b.warnings.push(`no line looks like traceroute, tracepath or mtr --report output (read ${content.length} line${content.length === 1 ? '' : 's'})`);
    for (const l of content.slice(0, 5)) warn(b, l, 'not trace output');
    return { format: 'unknown', hops: [], warnings: b.warnings };
  }

  const read = READERS[family];
  let promptDestination: string | undefined;
  let started = false; // a header or hop has been read
  let endedAt: Line | undefined;
  let command: string | undefined; // a prompt line continued with `\`
  for (const line of lines) {
    const t = line.text;
    if (command !== undefined) {
      command += ` ${t.replace(/\\$/, '')}`;
      if (!t.endsWith('\\')) {
        const full = readPrompt(`$ ${command}`);
        if (full?.isTrace && full.destination) promptDestination = full.destination;
        command = undefined;
      }
      continue;
    }
    if (t.trim() === '' || /^\s*\^C\s*$/.test(t)) continue;
    if (family === 'traceroute' && b.hops.length > 0 && TRACEROUTE_HEADER.test(t)) {
      endedAt = line; // a second traceroute pasted after the first
      break;
    }
    const prompt = readPrompt(t);
    const kind = prompt ? 'prompt' : read(line, b);
    if (kind === 'prompt') {
      if (started) {
        endedAt = line;
        break;
      }
      if (prompt?.isTrace && prompt.destination) promptDestination = prompt.destination;
      if (t.endsWith('\\')) command = prompt!.command.replace(/\\$/, '');
      continue;
    }
    if (kind === 'end') {
      started = true;
      endedAt = lines.find((l) => l.no > line.no && l.text.trim() !== '');
      break;
    }
    if (kind === 'unread') warn(b, line, started ? 'not a hop line' : 'not trace output');
    else started = true;
  }
  if (endedAt) {
    const last = lines.filter((l) => l.text.trim() !== '').at(-1)!.no;
    b.warnings.push(`line ${endedAt.no}: another command or trace starts here; lines ${endedAt.no}-${last} were not read`);
  }
  b.hops.sort((x, y) => x.ttl - y.ttl);
  if (b.hops.length === 0) b.warnings.push(`no hop lines found in what looks like ${family} output`);
  if (b.destination === undefined && promptDestination !== undefined) b.destination = promptDestination;
  if (b.hops.length === 0 && b.destination === undefined) return { format: 'unknown', hops: [], warnings: b.warnings };
  const format = family === 'traceroute' ? (looksBusybox(lines.map((l) => l.text)) ? 'busybox' : 'gnu') : family;
  return { format, destination: b.destination, hops: b.hops, warnings: b.warnings };
}
