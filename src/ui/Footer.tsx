// The key footer: drawn from the keymap for the context in front, wrapped
// at item boundaries so it stays readable at any width.
import { Box, Text } from 'ink';
import { useContext } from 'react';
import type { Lang } from '../core/lang.js';
import { LangContext, translate } from './i18n.js';
import { bindingsFor, type KeyContext, type KeyBinding } from './keymap.js';
import { textWidth } from './text-width.js';
import { useTheme } from './use-theme.js';

export function footerItems(context: KeyContext, keymap?: KeyBinding[], lang: Lang = 'en'): string[] {
  return bindingsFor(context, keymap)
    .filter((b) => b.footer && !b.notInFooter?.includes(context))
    .map((b) => `${b.label} ${translate(lang, b.short)}`);
}

export function wrapItems(items: string[], width: number, sep = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && textWidth(line) + sep.length + textWidth(item) > width) {
      lines.push(line);
      line = item;
    } else line = line ? `${line}${sep}${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

export function footerLines(context: KeyContext, width: number, lang: Lang = 'en'): string[] {
  return wrapItems(footerItems(context, undefined, lang), width);
}

export function Footer({ context, width }: { context: KeyContext; width: number }) {
  const theme = useTheme();
  const lang = useContext(LangContext);
  return (
    <Box flexDirection="column">
      {footerLines(context, width, lang).map((l, i) => (
        <Text key={i} color={theme.tone('dim')} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}
