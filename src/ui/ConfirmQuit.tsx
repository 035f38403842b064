// `q` while the lab cluster is up: keep it for next time, or take it down.
import { Box, Text } from 'ink';
import { useTheme } from './use-theme.js';

export function ConfirmQuit({ lab }: { lab: string }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Quit hoplab?</Text>
      <Text>The lab cluster '{lab}' is up. Your progress is saved either way.</Text>
      <Text>
        <Text color={theme.tone('accent')}>y</Text> quit and keep the cluster up (next time starts at once)
      </Text>
      <Text>
        <Text color={theme.tone('accent')}>d</Text> take the cluster down, then quit
      </Text>
      <Text>
        <Text color={theme.tone('accent')}>n</Text> or Esc: stay
      </Text>
    </Box>
  );
}
