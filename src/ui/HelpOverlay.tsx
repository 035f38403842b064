// `?`: every key of the screen behind, with what it does.
import { Box, Text } from 'ink';
import { useT } from './i18n.js';
import { bindingsFor, KEYMAP, type KeyContext } from './keymap.js';
import { padEndW, textWidth } from './text-width.js';
import { useTheme } from './use-theme.js';

export function HelpOverlay({ behind }: { behind: KeyContext }) {
  const theme = useTheme();
  const t = useT();
  const rows = bindingsFor(behind).filter((b) => b.command !== 'down');
  const always = KEYMAP.filter((b) => b.command === 'interrupt');
  const all = [...rows, ...always.filter((b) => !rows.includes(b))];
  const width = Math.max(...all.map((b) => textWidth(b.label)));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{t(behind === 'lab' ? 'Keys in a lab' : behind === 'start' ? 'Keys on the start screen' : 'Keys')}</Text>
      {all.map((b) => (
        <Text key={`${b.command}-${b.label}`} wrap="truncate-end">
          <Text color={theme.tone('accent')}>{padEndW(b.label, width)}</Text>  {t(b.description)}
        </Text>
      ))}
      <Text color={theme.tone('dim')}>{t('Esc or ? closes this help. No mouse needed.')}</Text>
    </Box>
  );
}
