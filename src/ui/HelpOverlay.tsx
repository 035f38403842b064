// `?`: every key of the screen behind, with what it does. Descriptions wrap
// under themselves; a list taller than the screen scrolls (PgUp/PgDn).
import { Box, Text } from 'ink';
import { useT } from './i18n.js';
import { bindingsFor, KEYMAP, type KeyContext } from './keymap.js';
import { ScrollBox } from './ScrollBox.js';
import { padEndW, textWidth, wrapSpans } from './text-width.js';
import { Hanging, Wrapped } from './Wrapped.js';

export function HelpOverlay({ behind, width, height }: { behind: KeyContext; width: number; height: number }) {
  const t = useT();
  const rows = bindingsFor(behind).filter((b) => b.command !== 'down');
  const always = KEYMAP.filter((b) => b.command === 'interrupt');
  const all = [...rows, ...always.filter((b) => !rows.includes(b))];
  const label = Math.max(...all.map((b) => textWidth(b.label)));
  // Inside the border (2) and its padding (2).
  const inner = Math.max(10, width - 4);
  const desc = Math.max(1, inner - label - 2);
  const closing = t('Esc or ? closes this help. No mouse needed.');
  const lines = 1 + all.reduce((n, b) => n + wrapSpans([{ text: t(b.description) }], desc).length, 0) + wrapSpans([{ text: closing }], inner).length;
  const box = Math.max(5, Math.min(height, lines + 2));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width} height={box}>
      <ScrollBox height={box - 2} width={inner} resetKey={behind} isActive>
        <Text bold>{t(behind === 'lab' ? 'Keys in a lab' : behind === 'start' ? 'Keys on the start screen' : 'Keys')}</Text>
        {all.map((b) => (
          <Hanging key={`${b.command}-${b.label}`} width={inner} lead={[{ text: `${padEndW(b.label, label)}  `, tone: 'accent' }]} spans={[{ text: t(b.description) }]} />
        ))}
        <Wrapped width={inner} spans={[{ text: closing, tone: 'dim' }]} />
      </ScrollBox>
    </Box>
  );
}
