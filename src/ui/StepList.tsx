// The step list: number, state symbol and title; the cursor is a › so the
// selection shows without colour too.
import { Box, Text } from 'ink';
import type { LabUiState } from './lab-state.js';
import { CURSOR, STATE_SYMBOL, STATE_TONE } from './theme.js';
import { useTheme } from './use-theme.js';

export function StepList({ state, width }: { state: LabUiState; width: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Steps</Text>
      {state.lab.steps.map((st, i) => {
        const ui = state.steps[i]!;
        const selected = i === state.selected;
        return (
          <Text key={st.id} wrap="truncate-end" bold={selected}>
            {selected ? `${CURSOR} ` : '  '}
            <Text color={theme.tone(STATE_TONE[ui.state])}>{STATE_SYMBOL[ui.state]}</Text> {i + 1}. {st.title}
          </Text>
        );
      })}
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {' '}
        {state.steps.filter((s) => s.state === 'passed').length}/{state.steps.length} passed
      </Text>
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {' '}○ todo ◔ running ✓ ✗
      </Text>
    </Box>
  );
}
