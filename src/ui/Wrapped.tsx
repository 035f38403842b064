// Text wrapped by hoplab, not by Ink: styled runs broken into lines of the
// given width, wide characters counted as two columns, and no continuation
// line starting with the space it was broken at.
import { Box, Text } from 'ink';
import type { Tone } from '../topology/text.js';
import { textWidth, wrapSpans } from './text-width.js';
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

/**
 * A bullet, mark or label, then text whose wrapped lines hang under the
 * text, not under the lead: "✗ the trace …" / "  went …". The lead keeps its
 * spaces and its column; its width is measured as the terminal draws it (a
 * wide character is two columns).
 */
export function Hanging({ lead, spans, width }: { lead: string | Span[]; spans: Span[]; width: number }) {
  const theme = useTheme();
  const leadSpans = typeof lead === 'string' ? [{ text: lead }] : lead;
  const w = Math.min(textWidth(leadSpans.map((s) => s.text).join('')), Math.floor(width / 2));
  return (
    <Box width={width} flexShrink={0}>
      <Box width={w} flexShrink={0}>
        <Text wrap="truncate-end">
          {leadSpans.map((s, k) => (
            <Text key={k} color={theme.tone(s.tone)} bold={s.bold} underline={s.underline}>
              {s.text}
            </Text>
          ))}
        </Text>
      </Box>
      <Wrapped spans={spans} width={Math.max(1, width - w)} />
    </Box>
  );
}
