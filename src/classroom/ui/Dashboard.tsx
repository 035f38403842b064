// The instructor's dashboard, drawn from DashState alone: the grid of
// attendees × steps, raised hands, what the room gets wrong, and on Enter the
// selected attendee's last check in full. Every state is a symbol as well as
// a colour; every attendee text was cleaned before it got here.
import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import type { Tone } from '../../ui/theme.js';
import type { Theme } from '../../ui/theme.js';
import { CELL_SYMBOL, CELL_WORD, commonWrongHops, gridRows, labsIn, lastCheckOf, minutes, shownLab, stepColumns, wrongHopLine, type Cell, type DashState } from '../dashboard.js';
import { cleanText } from '../sanitize.js';

const CELL_TONE: Record<Cell, Tone | undefined> = { passed: 'ok', shown: 'accent', failed: 'bad', current: 'busy', todo: undefined };

/** Pads to a display width (wide characters count double), cutting with … when longer. */
export function fit(s: string, width: number): string {
  if (stringWidth(s) <= width) return s + ' '.repeat(width - stringWidth(s));
  let out = '';
  for (const ch of s) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + '…' + ' '.repeat(Math.max(0, width - 1 - stringWidth(out)));
}

export const DASH_KEYS = '↑↓ select · Enter last check · ←→ lab · x clear oldest hand · X clear all · q quit';

function Detail({ state, theme }: { state: DashState; theme: Theme }) {
  const d = lastCheckOf(state.room!, state.cursor);
  if (!d) return <Text>no attendee selected</Text>;
  const c = d.check;
  if (!c) return <Text>{d.name} has not checked anything yet. (Esc: back)</Text>;
  const word = c.outcome === 'failed' ? '✗ failed' : c.outcome === 'shown' ? '◎ shown by hoplab' : '✓ passed by the learner';
  const rows = (c.hops ?? []).map((h) => [String(h.ttl), cleanText(h.expected ?? '-', 120), h.observed.length ? h.observed.map((o) => cleanText(o, 64)).join(', ') : '*', h.status === 'match' ? 'ok' : h.status.toUpperCase()]);
  const head = ['hop', 'expected', 'observed', ''];
  const widths = head.map((_, i) => Math.max(stringWidth(head[i]!), ...rows.map((r) => stringWidth(r[i]!))));
  const line = (r: string[]) => r.map((x, i) => fit(x, widths[i]!)).join('  ').trimEnd();
  return (
    <Box flexDirection="column">
      <Text bold>
        {d.name} — last check: {c.lab} step {c.step + 1}: {cleanText(c.title, 160)}
      </Text>
      <Text color={theme.tone(CELL_TONE[c.outcome])}>{word}: {cleanText(c.summary, 300)}</Text>
      {rows.length ? (
        <>
          <Text> </Text>
          <Text color={theme.tone('dim')}>{line(head)}</Text>
          {rows.map((r, i) => (
            <Text key={i} color={theme.tone(c.hops![i]!.status === 'match' ? 'ok' : c.hops![i]!.status === 'no-answer' ? undefined : 'bad')}>
              {line(r)}
            </Text>
          ))}
        </>
      ) : null}
      {c.diagnosis ? <Text>diagnosis: {cleanText(c.diagnosis, 500)}</Text> : null}
      <Text color={theme.tone('dim')}>Esc: back to the room</Text>
    </Box>
  );
}

export function Dashboard({ state, server, width, height, theme }: { state: DashState; server: string; width: number; height: number; theme: Theme }) {
  const room = state.room;
  const labs = labsIn(room);
  const lab = shownLab(state);
  const header = (
    <Text bold wrap="truncate-end">
      hoplab classroom <Text color={theme.tone('dim')}>· {server} · {room ? `${room.attendees.length} attendee${room.attendees.length === 1 ? '' : 's'}` : 'connecting…'}{lab ? ` · lab ${lab}${labs.length > 1 ? ` (${labs.indexOf(lab) + 1}/${labs.length}, ←→)` : ''}` : ''}</Text>
    </Text>
  );
  const error = state.error ? <Text color={theme.tone('bad')} wrap="truncate-end">✗ {state.error}{room ? ' (showing the last room received)' : ''}</Text> : null;
  if (!room) return <Box flexDirection="column">{header}{error}</Box>;
  if (state.detail) return <Box flexDirection="column">{header}{error}<Detail state={state} theme={theme} /></Box>;
  if (!lab) {
    return (
      <Box flexDirection="column">
        {header}
        {error}
        <Text>{room.attendees.length ? `${room.attendees.length} joined; nobody has started a lab yet.` : 'Nobody has joined yet: attendees run the join command serve printed.'}</Text>
        {room.attendees.map((a) => <Text key={a.id}>  {cleanText(a.name, 40)}</Text>)}
        <Text color={theme.tone('dim')}>{DASH_KEYS}</Text>
      </Box>
    );
  }
  const cols = stepColumns(room, lab);
  const rows = gridRows(room, lab, state.stuckMinutes);
  const wrong = commonWrongHops(room, lab);
  const nameW = Math.min(18, Math.max(8, ...rows.map((r) => stringWidth(r.name))));
  const handsShown = room.hands.slice(0, 4);
  const below = 1 + handsShown.length + (room.hands.length > 4 ? 1 : 0) + (wrong.length ? 1 + Math.min(wrong.length, 6) : 0) + 2;
  const gridRoom = Math.max(3, height - 3 - (error ? 1 : 0) - below);
  const first = Math.min(Math.max(0, state.cursor - gridRoom + 1), Math.max(0, rows.length - gridRoom));
  const visible = rows.slice(first, first + gridRoom);
  const stepHead = cols.map((c) => String(c.index + 1).slice(-1)).join(' ');
  return (
    <Box flexDirection="column">
      {header}
      {error}
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {'  '}{fit('attendee', nameW)}  {stepHead}   now
      </Text>
      {visible.map((r, k) => {
        const i = first + k;
        const sel = i === state.cursor;
        return (
          <Text key={r.id} wrap="truncate-end" {...(sel ? { bold: true } : {})}>
            {sel ? '› ' : '  '}
            <Text color={theme.tone(r.stuck ? 'warn' : undefined)}>{fit(r.name, nameW)}</Text>
            {'  '}
            {r.cells.map((c, j) => (
              <Text key={j} color={theme.tone(CELL_TONE[c])}>
                {CELL_SYMBOL[c]}{j < r.cells.length - 1 ? ' ' : ''}
              </Text>
            ))}
            {'   '}
            {r.at ? <Text color={theme.tone(r.stuck ? 'warn' : 'dim')}>step {r.at.step + 1} · {minutes(r.at.ms)}{r.stuck ? ` · STUCK > ${state.stuckMinutes} min` : ''}</Text> : r.finished !== undefined ? <Text color={theme.tone('dim')}>finished</Text> : null}
            {r.hand ? <Text color={theme.tone('warn')}> ✋</Text> : null}
          </Text>
        );
      })}
      {rows.length > visible.length ? <Text color={theme.tone('dim')}>  … {rows.length - visible.length} more (↑↓ scrolls)</Text> : null}
      <Text wrap="truncate-end" color={theme.tone('dim')}>
        {Object.entries(CELL_SYMBOL).map(([k, v]) => `${v} ${CELL_WORD[k as Cell]}`).join('  ')}
      </Text>
      <Text bold color={theme.tone(room.hands.length ? 'warn' : 'dim')}>
        ✋ hands: {room.hands.length ? `${room.hands.length} (x clears the oldest)` : 'none'}
      </Text>
      {handsShown.map((h, i) => (
        <Text key={h.id} wrap="truncate-end">
          {'  '}{i + 1}. {cleanText(h.name, 40)} <Text color={theme.tone('dim')}>({minutes(Math.max(0, room.now - h.at))}{h.lab ? `, ${h.lab}${h.step !== undefined ? ` step ${h.step + 1}` : ''}` : ''})</Text>{h.message ? `: ${cleanText(h.message, 200)}` : ''}
        </Text>
      ))}
      {room.hands.length > 4 ? <Text color={theme.tone('dim')}>  … {room.hands.length - 4} more</Text> : null}
      {wrong.length ? <Text bold>What the room gets wrong</Text> : null}
      {wrong.slice(0, 6).map((w, i) => (
        <Text key={i} wrap="truncate-end">
          {'  '}step {w.step + 1}: <Text color={theme.tone('bad')}>{wrongHopLine(w)}</Text>
        </Text>
      ))}
      <Text color={theme.tone('dim')} wrap="truncate-end">{fit(DASH_KEYS, Math.max(10, width))}</Text>
    </Box>
  );
}
