// A check's result: one line per check, and for a hops check the table of
// expected vs observed hops (address, interface, node), each row ✓ or ✗,
// with the diagnosis of the first wrong hop and, beside it, the evidence
// from the machine where the path went wrong.
import { Box, Text } from 'ink';
import type { Evidence } from '../check/evidence.js';
import type { CheckResult } from '../labs/results.js';
import { learnerText } from '../labs/templates.js';
import type { HopStatus, HopVerdict } from '../path/types.js';
import { useT, type T } from './i18n.js';
import { padEndW, padStartW, textWidth } from './text-width.js';
import { useTheme } from './use-theme.js';
import { Hanging, Wrapped } from './Wrapped.js';

export const HOP_MARK: Record<HopStatus, { mark: string; tone: 'ok' | 'bad' | 'dim'; word: string }> = {
  match: { mark: '✓', tone: 'ok', word: '' },
  'no-answer': { mark: '·', tone: 'dim', word: 'no answer (*)' },
  mismatch: { mark: '✗', tone: 'bad', word: 'wrong hop' },
  missing: { mark: '✗', tone: 'bad', word: 'missing' },
  extra: { mark: '✗', tone: 'bad', word: 'extra hop' },
};

export interface HopRow {
  ttl: string;
  mark: string;
  tone: 'ok' | 'bad' | 'dim';
  address: string;
  iface: string;
  node: string;
  observed: string;
}

export function hopRows(hops: HopVerdict[], t: T = (s) => s): HopRow[] {
  return hops.map((h) => {
    const m = HOP_MARK[h.status];
    const e = h.expected;
    return {
      ttl: String(h.ttl),
      mark: m.mark,
      tone: m.tone,
      address: e ? (e.address ?? 'any') : '—',
      iface: e?.interface ?? '',
      node: e?.node ?? '',
      observed: `${h.observed.length ? h.observed.join(' ') : '*'}${m.word ? `  ${t(m.word)}` : ''}`,
    };
  });
}

function HopTable({ hops }: { hops: HopVerdict[] }) {
  const theme = useTheme();
  const t = useT();
  const rows = hopRows(hops, t);
  const head = { hop: t('hop'), address: t('expected'), iface: t('interface'), node: t('node') };
  const w = {
    hop: Math.max(6, textWidth(head.hop)),
    address: Math.max(16, textWidth(head.address), ...rows.map((r) => textWidth(r.address))),
    iface: Math.max(9, textWidth(head.iface), ...rows.map((r) => textWidth(r.iface))),
    node: Math.max(12, textWidth(head.node), ...rows.map((r) => textWidth(r.node))),
  };
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {padEndW(head.hop, w.hop)} {padEndW(head.address, w.address)} {padEndW(head.iface, w.iface)} {padEndW(head.node, w.node)} {t('observed')}
      </Text>
      {rows.map((r) => (
        <Text key={r.ttl} wrap="truncate-end">
          {padStartW(r.ttl, 3)} <Text color={theme.tone(r.tone)}>{r.mark}</Text>
          {' '.repeat(w.hop - 4)}
          {padEndW(r.address, w.address)} {padEndW(r.iface, w.iface)} {padEndW(r.node, w.node)}{' '}
          <Text color={theme.tone(r.tone === 'bad' ? 'bad' : undefined)}>{r.observed}</Text>
        </Text>
      ))}
    </Box>
  );
}

/** The commands hoplab ran where the path went wrong, each with its few lines of output. */
function EvidenceBlock({ evidence, width }: { evidence: Evidence; width: number }) {
  const theme = useTheme();
  const t = useT();
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Wrapped width={width - 2} spans={[{ text: t('evidence on {machine}, where the path went wrong:', { machine: evidence.machine }) }]} />
      {evidence.items.map((i) => (
        <Box key={i.command} flexDirection="column" paddingLeft={2}>
          <Hanging width={width - 4} lead={[{ text: `${evidence.machine}$ `, tone: 'dim' }]} spans={[{ text: i.command }]} />
          {i.error ? <Hanging width={width - 4} lead="  " spans={[{ tone: 'bad', text: t('failed: {error}', { error: i.error }) }]} /> : null}
          {i.lines.map((l, n) => (
            <Text key={n} wrap="truncate-end">
              {'  '}
              {l}
            </Text>
          ))}
          {i.omitted ? (
            <Text color={theme.tone('dim')}>
              {'  '}
              {t('… {n} more lines', { n: i.omitted })}
            </Text>
          ) : null}
          {i.note ? <Hanging width={width - 4} lead="  " spans={[{ tone: 'bad', text: `(${i.note})` }]} /> : null}
        </Box>
      ))}
    </Box>
  );
}

export function CheckList({ checks, width }: { checks: CheckResult[]; width: number }) {
  const t = useT();
  if (!checks.length) return <Wrapped width={width} spans={[{ tone: 'dim', text: t('No check has run for this step yet: Enter runs it, c checks what you did.') }]} />;
  return (
    <Box flexDirection="column">
      {checks.map((c) => {
        const mark = c.skipped ? '–' : c.passed ? '✓' : '✗';
        const tone = c.skipped ? 'dim' : c.passed ? 'ok' : 'bad';
        const v = c.hops?.verdict;
        // A failed trace's summary is its diagnosis, which the table's last line gives: say it once.
        const diagnosed = Boolean(v && !v.passed && v.diagnosis);
        const summary = diagnosed && c.summary === v!.diagnosis ? t('the trace differs from the expected path at hop {n}', { n: v!.firstDifference ?? '?' }) : learnerText(c.summary);
        // Once: an error that only repeats the summary (with the lab file's position) is not shown again.
        const error = c.error && learnerText(c.error) !== learnerText(c.summary) && !c.error.endsWith(`: ${c.summary}`) ? learnerText(c.error) : undefined;
        return (
          <Box key={c.id} flexDirection="column">
            <Hanging width={width} lead={[{ text: `${mark} `, tone }]} spans={[{ text: c.title, bold: true }, { text: ` — ${c.skipped ? t('not checked') : summary}` }]} />
            {c.hops ? (
              <Hanging
                width={width}
                lead="  "
                spans={[{ tone: 'dim', text: `${c.hops.from} → ${c.hops.to} ${t('(expected from the {source})', { source: t(c.hops.expectedFrom === 'engine' ? 'path engine' : 'lab') })}` }]}
              />
            ) : null}
            {v ? <HopTable hops={v.hops} /> : null}
            {diagnosed ? (
              <Hanging width={width} lead={[{ text: '  → ', tone: 'bad' }]} spans={[{ tone: 'bad', text: `${v!.firstDifference !== undefined ? t('hop {n}: ', { n: v!.firstDifference }) : ''}${v!.diagnosis}` }]} />
            ) : null}
            {c.hops?.evidence ? <EvidenceBlock evidence={c.hops.evidence} width={width} /> : null}
            {c.answer && !c.passed ? <Hanging width={width} lead="  " spans={[{ text: t('you said: {answer}', { answer: c.answer.given ?? t('(nothing)') }) }]} /> : null}
            {error ? <Hanging width={width} lead="  " spans={[{ tone: 'bad', text: error }]} /> : null}
          </Box>
        );
      })}
    </Box>
  );
}
