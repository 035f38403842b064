// The step list: number, state symbol and title; the cursor is a › so the
// selection shows without colour too.
import { Box, Text } from 'ink';
import type { LabUiState } from './lab-state.js';
import { CURSOR, STATE_SYMBOL, STATE_TONE } from './theme.js';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';

/** Which steps fit in `rows`, keeping the selected one in view. */
export function stepWindow(count: number, selected: number, rows: number): { from: number; to: number } {
  if (count <= rows) return { from: 0, to: count };
  const room = Math.max(1, rows);
  const from = Math.min(Math.max(0, selected - Math.floor(room / 2)), count - room);
  return { from, to: from + room };
}

export function StepList({ state, width, height = 100 }: { state: LabUiState; width: number; height?: number }) {
  const theme = useTheme();
  const t = useT();
  const n = state.lab.steps.length;
  // Title, counter and legend take three rows; more-markers one each when shown.
  const fits = n <= height - 3;
  const win = stepWindow(n, state.selected, fits ? n : Math.max(1, height - 5));
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Text bold>{t('Steps')}</Text>
      {!fits ? <Text color={theme.tone('dim')}>{win.from > 0 ? `  ${t('↑ {n} more', { n: win.from })}` : ' '}</Text> : null}
      {state.lab.steps.slice(win.from, win.to).map((st, k) => {
        const i = win.from + k;
        const ui = state.steps[i]!;
        const selected = i === state.selected;
        return (
          <Text key={st.id} wrap="truncate-end" bold={selected}>
            {selected ? `${CURSOR} ` : '  '}
            <Text color={theme.tone(STATE_TONE[ui.state])}>{STATE_SYMBOL[ui.state]}</Text> {i + 1}. {st.title}
          </Text>
        );
      })}
      {!fits ? <Text color={theme.tone('dim')}>{win.to < n ? `  ${t('↓ {n} more', { n: n - win.to })}` : ' '}</Text> : null}
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {' '}
        {t('{passed}/{n} passed', { passed: state.steps.filter((s) => s.state === 'passed').length, n: state.steps.length })}
        {state.steps.some((s) => s.state === 'shown') ? t(', {n} shown', { n: state.steps.filter((s) => s.state === 'shown').length }) : ''}
      </Text>
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {' '}
        {t('○ todo ◔ running ✓ yours ◇ shown ✗')}
      </Text>
    </Box>
  );
}
