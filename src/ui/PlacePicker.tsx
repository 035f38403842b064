// `s` on a step whose commands run in several places: pick where the shell opens.
import { Box, Text } from 'ink';
import { placeLabel, type ShellPlace } from './shell-target.js';
import { CURSOR } from './theme.js';
import { useTheme } from './use-theme.js';

export function PlacePicker({ places, selected }: { places: ShellPlace[]; selected: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Open a shell where? This step runs commands in {places.length} places.</Text>
      {places.map((p, i) => (
        <Text key={i} bold={i === selected} color={i === selected ? theme.tone('accent') : undefined}>
          {i === selected ? `${CURSOR} ` : '  '}
          {placeLabel(p)}
        </Text>
      ))}
      <Text color={theme.tone('dim')}>↑↓ choose · Enter opens it · Esc cancels. Type exit in the shell to come back.</Text>
    </Box>
  );
}
