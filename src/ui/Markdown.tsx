// A step's text, drawn from the blocks markdown-parse.ts parses: `code` and fenced
// blocks stand out by colour and by indentation, so they also read in mono.
// Wrapped at the pane's width by hoplab (Wrapped), not by Ink.
import { Box, Text } from 'ink';
import { parseMarkdown, type Inline } from './markdown-parse.js';
import { padStartW } from './text-width.js';
import { Hanging, Wrapped, type Span } from './Wrapped.js';
import { useTheme } from './use-theme.js';

/** The runs of a paragraph as drawn: `code` coloured, or in backquotes when colour is off. */
function spans(parts: Inline[], color: boolean, extra: Partial<Span> = {}): Span[] {
  return parts.map((p) => (p.code ? { ...extra, text: color ? p.text : `\`${p.text}\``, tone: 'code' } : { ...extra, text: p.text, ...(p.bold ? { bold: true } : {}) }));
}

export function Markdown({ source, width }: { source: string; width: number }) {
  const theme = useTheme();
  const blocks = parseMarkdown(source);
  return (
    <Box flexDirection="column">
      {blocks.map((b, i) => {
        const gap = i > 0 ? 1 : 0;
        switch (b.kind) {
          case 'heading':
            return (
              <Box key={i} marginTop={gap} flexShrink={0}>
                <Wrapped spans={spans(b.inlines, theme.color, { bold: true, underline: true })} width={width} />
              </Box>
            );
          case 'paragraph':
            return (
              <Box key={i} marginTop={gap} flexShrink={0}>
                <Wrapped spans={spans(b.inlines, theme.color)} width={width} />
              </Box>
            );
          case 'list':
            return (
              <Box key={i} flexDirection="column" marginTop={gap} flexShrink={0}>
                {b.items.map((item, k) => {
                  // The marker keeps its column and its space; the item's lines hang under its first word.
                  const marker = b.ordered ? `${padStartW(`${k + 1}.`, String(b.items.length).length + 1)} ` : '• ';
                  return <Hanging key={k} lead={marker} spans={spans(item, theme.color)} width={width} />;
                })}
              </Box>
            );
          case 'code':
            return (
              <Box key={i} flexDirection="column" marginTop={gap} paddingLeft={2}>
                {b.lines.map((l, k) => (
                  <Text key={k} color={theme.tone('code')} wrap="truncate-end">
                    {l || ' '}
                  </Text>
                ))}
              </Box>
            );
        }
      })}
    </Box>
  );
}
