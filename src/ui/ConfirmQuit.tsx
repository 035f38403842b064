// `q` while the lab cluster is up: keep it for next time, or take it down.
import { Box, Text } from 'ink';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';

export function ConfirmQuit({ lab }: { lab: string }) {
  const theme = useTheme();
  const t = useT();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{t('Quit hoplab?')}</Text>
      <Text>{t("The lab cluster '{lab}' is up. Your progress is saved either way.", { lab })}</Text>
      <Text>
        <Text color={theme.tone('accent')}>y</Text> {t('quit and keep the cluster up (next time starts at once)')}
      </Text>
      <Text>
        <Text color={theme.tone('accent')}>d</Text> {t('take the cluster down, then quit')}
      </Text>
      <Text>
        <Text color={theme.tone('accent')}>n</Text> {t('or Esc: stay')}
      </Text>
    </Box>
  );
}
