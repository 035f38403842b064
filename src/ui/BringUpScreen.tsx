// Bring-up: per node, each phase with its state; elapsed time; the last
// lines of output; on failure the message and what to do — never a stack.
import { Box, Text } from 'ink';
import { elapsed, phasesByNode, type BringUpState, type PhaseRow } from './bring-up-state.js';
import { useT } from './i18n.js';
import { padEndW, textWidth } from './text-width.js';
import { useTheme } from './use-theme.js';
import { Hanging, Wrapped } from './Wrapped.js';

const MARK = { start: '◔', done: '✓', failed: '✗' } as const;
const TONE = { start: 'busy', done: 'ok', failed: 'bad' } as const;

function Phase({ p }: { p: PhaseRow }) {
  const theme = useTheme();
  const ms = p.endedAt !== undefined ? ` ${p.endedAt - p.startedAt}ms` : '';
  return (
    <Text color={theme.tone(TONE[p.state])}>
      {MARK[p.state]} {p.phase}
      <Text color={theme.tone('dim')}>{ms}</Text>
      {'  '}
    </Text>
  );
}

export function BringUpScreen({ state, width }: { state: BringUpState; width: number }) {
  const theme = useTheme();
  const t = useT();
  const what = state.what;
  const groups = phasesByNode(state);
  const nodeWidth = Math.max(8, ...groups.map((g) => textWidth(g.node || t('cluster'))));
  const title =
    state.status === 'running'
      ? t('◔ bringing up {what}', { what })
      : state.status === 'aborting'
        ? t('◔ stopping: undoing what was built of {what}', { what })
        : state.status === 'done'
          ? t('✓ {what} is up', { what })
          : t('✗ bringing up {what} failed', { what });
  // Inside the error box's border and padding.
  const inner = Math.max(10, width - 4);
  const tone = state.status === 'done' ? 'ok' : state.status === 'failed' ? 'bad' : 'busy';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={theme.tone(tone)}>
        {title} <Text color={theme.tone('dim')}>· {elapsed(state)}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {groups.length === 0 ? <Text color={theme.tone('dim')}>{t('checking the machine…')}</Text> : null}
        {groups.map((g) => (
          <Text key={g.node} wrap="truncate-end">
            {padEndW(g.node || t('cluster'), nodeWidth)}
            {'  '}
            {g.phases.map((p) => (
              <Phase key={p.phase} p={p} />
            ))}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text color={theme.tone('dim')}>{t('── output')}</Text>
        {state.log.map((l, i) => (
          <Text key={i} wrap="truncate-end" color={theme.tone('dim')}>
            {l}
          </Text>
        ))}
      </Box>
      {state.error ? (
        <Box flexDirection="column" marginTop={1} borderStyle="single" paddingX={1}>
          <Hanging width={inner} lead={[{ text: '✗ ', tone: 'bad' }]} spans={[{ tone: 'bad', text: state.error.message }]} />
          {state.error.hint ? <Hanging width={inner} lead="→ " spans={[{ text: state.error.hint }]} /> : null}
          <Wrapped width={inner} spans={[{ tone: 'dim', text: t('Esc goes back to the start screen; nothing of the lab was left half-built.') }]} />
        </Box>
      ) : null}
    </Box>
  );
}
