// The key footer: drawn from the keymap for the context in front, wrapped
// at item boundaries so it stays readable at any width.
import { Box, Text } from 'ink';
import { bindingsFor, type KeyContext, type KeyBinding } from './keymap.js';
import { useTheme } from './use-theme.js';

export function footerItems(context: KeyContext, keymap?: KeyBinding[]): string[] {
  return bindingsFor(context, keymap)
    .filter((b) => b.footer && !b.notInFooter?.includes(context))
    .map((b) => `${b.label} ${b.short}`);
}

export function wrapItems(items: string[], width: number, sep = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + sep.length + item.length > width) {
      lines.push(line);
      line = item;
    } else line = line ? `${line}${sep}${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

export function footerLines(context: KeyContext, width: number): string[] {
  return wrapItems(footerItems(context), width);
}

export function Footer({ context, width }: { context: KeyContext; width: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {footerLines(context, width).map((l, i) => (
        <Text key={i} color={theme.tone('dim')} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}
