// `?`: every key of the screen behind, with what it does.
import { Box, Text } from 'ink';
import { bindingsFor, KEYMAP, type KeyContext } from './keymap.js';
import { useTheme } from './use-theme.js';

export function HelpOverlay({ behind }: { behind: KeyContext }) {
  const theme = useTheme();
  const rows = bindingsFor(behind).filter((b) => b.command !== 'down');
  const always = KEYMAP.filter((b) => b.command === 'interrupt');
  const all = [...rows, ...always.filter((b) => !rows.includes(b))];
  const width = Math.max(...all.map((b) => b.label.length));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys{behind === 'lab' ? ' in a lab' : behind === 'start' ? ' on the start screen' : ''}</Text>
      {all.map((b) => (
        <Text key={`${b.command}-${b.label}`} wrap="truncate-end">
          <Text color={theme.tone('accent')}>{b.label.padEnd(width)}</Text>  {b.description}
        </Text>
      ))}
      <Text color={theme.tone('dim')}>Esc or ? closes this help. No mouse needed.</Text>
    </Box>
  );
}
