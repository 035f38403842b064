// Draws lines of tagged segments (the topology's output) with the theme.
import { Text } from 'ink';
import type { Line } from '../topology/text.js';
import { useTheme } from './use-theme.js';

export function SegmentLine({ line }: { line: Line }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-end">
      {line.length === 0 ? ' ' : null}
      {line.map((s, i) => (
        <Text key={i} color={theme.tone(s.tone)} bold={s.bold}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
