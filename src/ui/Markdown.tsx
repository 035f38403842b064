// A step's text, drawn from the blocks markdown.ts parses: `code` and fenced
// blocks stand out by colour and by indentation, so they also read in mono.
import { Box, Text } from 'ink';
import { parseMarkdown, type Inline } from './markdown.js';
import { useTheme } from './use-theme.js';

function Inlines({ parts }: { parts: Inline[] }) {
  const theme = useTheme();
  return (
    <>
      {parts.map((p, i) =>
        p.code ? (
          <Text key={i} color={theme.tone('code')}>
            {theme.color ? p.text : `\`${p.text}\``}
          </Text>
        ) : (
          <Text key={i} bold={p.bold}>
            {p.text}
          </Text>
        ),
      )}
    </>
  );
}

export function Markdown({ source }: { source: string }) {
  const theme = useTheme();
  const blocks = parseMarkdown(source);
  return (
    <Box flexDirection="column">
      {blocks.map((b, i) => {
        const gap = i > 0 ? 1 : 0;
        switch (b.kind) {
          case 'heading':
            return (
              <Box key={i} marginTop={gap}>
                <Text bold underline>
                  <Inlines parts={b.inlines} />
                </Text>
              </Box>
            );
          case 'paragraph':
            return (
              <Box key={i} marginTop={gap}>
                <Text wrap="wrap">
                  <Inlines parts={b.inlines} />
                </Text>
              </Box>
            );
          case 'list':
            return (
              <Box key={i} flexDirection="column" marginTop={gap}>
                {b.items.map((item, k) => (
                  <Box key={k}>
                    <Text>{b.ordered ? `${k + 1}. ` : '• '}</Text>
                    <Text wrap="wrap">
                      <Inlines parts={item} />
                    </Text>
                  </Box>
                ))}
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
