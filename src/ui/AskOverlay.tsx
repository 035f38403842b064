// A yes/no question before something that cannot be undone (taking the
// cluster down, starting a lab over) or that changes the cluster (adding the
// office LAN a lab needs).
import { Box, Text } from 'ink';
import type { Ask } from './app-state.js';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';

export function AskOverlay({ ask }: { ask: Ask }) {
  const theme = useTheme();
  const t = useT();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{ask.title}</Text>
      {ask.lines.map((l, i) => (
        <Text key={i}>{l}</Text>
      ))}
      <Text>
        <Text color={theme.tone('accent')}>y</Text> {ask.yes}
      </Text>
      <Text>
        <Text color={theme.tone('accent')}>n</Text> {t('or Esc: leave it as it is')}
      </Text>
    </Box>
  );
}
