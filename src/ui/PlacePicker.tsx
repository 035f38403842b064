// `s` on a step whose commands run in several places: pick where the shell opens.
import { Box, Text } from 'ink';
import { placeLabel, type ShellPlace } from './shell-target.js';
import { CURSOR } from './theme.js';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';

export function PlacePicker({ places, selected }: { places: ShellPlace[]; selected: number }) {
  const theme = useTheme();
  const t = useT();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{t('Open a shell where? This step runs commands in {n} places.', { n: places.length })}</Text>
      {places.map((p, i) => (
        <Text key={i} bold={i === selected} color={i === selected ? theme.tone('accent') : undefined}>
          {i === selected ? `${CURSOR} ` : '  '}
          {placeLabel(p, t)}
        </Text>
      ))}
      <Text color={theme.tone('dim')}>{t('↑↓ choose · Enter opens it · Esc cancels. Type exit in the shell to come back.')}</Text>
    </Box>
  );
}
