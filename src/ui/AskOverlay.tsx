// A yes/no question before something that cannot be undone (taking the
// cluster down, starting a lab over) or that changes the cluster (adding the
// office LAN a lab needs).
import { Box } from 'ink';
import type { Ask } from './app-state.js';
import { useT } from './i18n.js';
import { Hanging, Wrapped } from './Wrapped.js';

export function AskOverlay({ ask, width }: { ask: Ask; width: number }) {
  const t = useT();
  // Inside the border and its padding.
  const inner = Math.max(10, width - 4);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <Wrapped width={inner} spans={[{ text: ask.title, bold: true }]} />
      {ask.lines.map((l, i) => (
        <Wrapped key={i} width={inner} spans={[{ text: l }]} />
      ))}
      <Hanging width={inner} lead={[{ text: 'y ', tone: 'accent' }]} spans={[{ text: ask.yes }]} />
      <Hanging width={inner} lead={[{ text: 'n ', tone: 'accent' }]} spans={[{ text: t('or Esc: leave it as it is') }]} />
    </Box>
  );
}
