// The verdict as a table a learner reads in a terminal or a CI log: TTL,
// expected address with where it lives, what answered, and a mark that reads
// without colour (✓ match, ✗ differs, · no answer), then the diagnosis.
import type { EndpointRef, ExpectedHop, HopStatus, HopVerdict } from '../path/types.js';
import type { GradeResult } from './grade.js';

export type VerdictView = Pick<GradeResult, 'prediction' | 'trace' | 'verdict'> & Partial<Pick<GradeResult, 'from' | 'to'>>;

const MARK: Record<HopStatus, string> = {
  match: '✓',
  mismatch: '✗ wrong',
  missing: '✗ missing',
  extra: '✗ extra',
  'no-answer': '· no answer',
};

const C = { red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', off: '\u001b[0m' };

export function formatVerdict(result: VerdictView, opts: { color: boolean }): string {
  const paint = (code: string, s: string) => (opts.color ? `${code}${s}${C.off}` : s);
  const { prediction, verdict, trace } = result;
  const out: string[] = [];

  const from = prediction.ok && prediction.source ? prediction.source : result.from ? refText(result.from) : undefined;
  const to = prediction.ok ? prediction.target ?? prediction.destination : result.to ? refText(result.to) : undefined;
  const tool = trace.format === 'unknown' ? '' : ` (${trace.format})`;
  if (from || to) out.push(paint(C.bold, `trace${tool} from ${from ?? '?'} to ${to ?? '?'}`));

  if (verdict.hops.length > 0) {
    const rows = collapse(verdict.hops);
    const showWhere = rows.some((r) => r.where !== '');
    const w = {
      ttl: Math.max(3, ...rows.map((r) => r.ttl.length)),
      address: Math.max('expected'.length, ...rows.map((r) => r.address.length)),
      where: Math.max(0, ...rows.map((r) => r.where.length)),
      observed: Math.max('observed'.length, ...rows.map((r) => r.observed.length)),
    };
    const line = (ttl: string, address: string, where: string, observed: string, mark: string) =>
      [ttl.padStart(w.ttl), address.padEnd(w.address), ...(showWhere ? [where.padEnd(w.where)] : []), observed.padEnd(w.observed), mark].join('  ').trimEnd();
    out.push(paint(C.dim, line('TTL', 'expected', '', 'observed', '')));
    for (const r of rows) {
      const colour = r.status === 'match' ? C.green : r.status === 'no-answer' ? C.yellow : C.red;
      const where = showWhere ? paint(C.dim, r.where.padEnd(w.where)) : '';
      const cells = [r.ttl.padStart(w.ttl), r.address.padEnd(w.address), ...(showWhere ? [where] : []), r.observed.padEnd(w.observed), paint(colour, r.mark)];
      out.push(cells.join('  ').trimEnd());
    }
  }

  if (verdict.passed) out.push(paint(C.green, `PASS: the trace follows the predicted path to ${prediction.ok ? prediction.destination : '?'}`));
  else {
    const at = verdict.firstDifference !== undefined ? ` at hop ${verdict.firstDifference}` : '';
    out.push(paint(C.red, `FAIL${at}: ${verdict.diagnosis ?? 'the trace does not match the prediction'}`));
  }
  for (const n of verdict.notes ?? []) out.push(paint(C.dim, `note: ${n}`));
  if (prediction.ok) for (const n of prediction.notes) out.push(paint(C.dim, `note: ${n}`));
  return out.join('\n');
}

interface ViewRow {
  ttl: string;
  address: string;
  where: string;
  observed: string;
  mark: string;
  status: HopStatus;
}

// Thirty lines of `* * *` after a trace died say one thing; show it once.
function collapse(hops: HopVerdict[]): ViewRow[] {
  const rows: ViewRow[] = [];
  for (let i = 0; i < hops.length; ) {
    const h = hops[i]!;
    let j = i + 1;
    if (h.status === 'no-answer' && h.observed.length === 0) {
      while (j < hops.length && hops[j]!.status === 'no-answer' && hops[j]!.observed.length === 0 && hops[j]!.expected === h.expected) j++;
    }
    const run = j - i;
    if (run >= 3) {
      rows.push({ ...viewRow(h), ttl: `${h.ttl}-${hops[j - 1]!.ttl}`, mark: `· no answer (${run} hops)` });
      i = j;
    } else {
      rows.push(viewRow(h));
      i++;
    }
  }
  return rows;
}

function viewRow(h: HopVerdict): ViewRow {
  const e = h.expected;
  const observed = h.status === 'missing' ? '-' : h.observed.length ? h.observed.join(', ') : '*';
  return { ttl: String(h.ttl), address: expectedAddress(e), where: where(e), observed, mark: MARK[h.status], status: h.status };
}

function expectedAddress(e: ExpectedHop | undefined): string {
  if (!e) return '-';
  if (e.address === null) return e.many ? '(any routers)' : '(any)';
  return e.address;
}

function where(e: ExpectedHop | undefined): string {
  if (!e || e.address === null) return '';
  const parts = [e.interface, e.pod ? `pod ${e.pod}` : undefined, e.node].filter((p): p is string => Boolean(p));
  return parts.length ? `(${parts.join(', ')})` : '';
}

function refText(r: EndpointRef): string {
  return r.kind === 'address' ? r.ip : `${r.kind} ${r.name}`;
}
