// `q` while the lab cluster is up: keep it for next time, or take it down.
import { Box, Text } from 'ink';
import { useT } from './i18n.js';
import { Hanging, Wrapped } from './Wrapped.js';

export function ConfirmQuit({ lab, width }: { lab: string; width: number }) {
  const t = useT();
  // Inside the border and its padding.
  const inner = Math.max(10, width - 4);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <Text bold>{t('Quit hoplab?')}</Text>
      <Wrapped width={inner} spans={[{ text: t("The lab cluster '{lab}' is up. Your progress is saved either way.", { lab }) }]} />
      <Hanging width={inner} lead={[{ text: 'y ', tone: 'accent' }]} spans={[{ text: t('quit and keep the cluster up (next time starts at once)') }]} />
      <Hanging width={inner} lead={[{ text: 'd ', tone: 'accent' }]} spans={[{ text: t('take the cluster down, then quit') }]} />
      <Hanging width={inner} lead={[{ text: 'n ', tone: 'accent' }]} spans={[{ text: t('or Esc: stay') }]} />
    </Box>
  );
}
