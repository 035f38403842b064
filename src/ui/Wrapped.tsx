// Text wrapped by hoplab, not by Ink: styled runs broken into lines of the
// given width, wide characters counted as two columns, and no continuation
// line starting with the space it was broken at.
import { Box, Text } from 'ink';
import type { Tone } from '../topology/text.js';
import { wrapSpans } from './text-width.js';
import { useTheme } from './use-theme.js';

export interface Span {
  text: string;
  tone?: Tone;
  bold?: boolean;
  underline?: boolean;
}

export function Wrapped({ spans, width }: { spans: Span[]; width: number }) {
  const theme = useTheme();
  const lines = wrapSpans(spans, width);
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length ? line.map((s, k) => (
            <Text key={k} color={theme.tone(s.tone)} bold={s.bold} underline={s.underline}>
              {s.text}
            </Text>
          )) : ' '}
        </Text>
      ))}
    </Box>
  );
}
