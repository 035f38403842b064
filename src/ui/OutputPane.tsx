// The live output pane: only the rows that fit are rendered, whatever the
// command printed, so the frame costs the same at line 10 and line 100 000.
import { Box, Text } from 'ink';
import { visibleRange } from './output-buffer.js';
import type { OutputStore } from './output-store.js';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';
import { useOutput } from './use-output.js';

export interface OutputPaneProps {
  store: OutputStore;
  /** Rows for output lines (the pane adds one title row). */
  height: number;
  scrollBack: number;
  title?: string;
}

export function OutputPane({ store, height, scrollBack, title = 'output' }: OutputPaneProps) {
  useOutput(store);
  const theme = useTheme();
  const t = useT();
  const ring = store.ring;
  const rows = Math.max(1, height);
  const range = visibleRange(ring.size, rows, scrollBack);
  const lines = ring.slice(range.from, range.to);
  const dropped = ring.total - ring.size;
  const where = range.scrollBack > 0 ? ` · ${t('scrolled up {n} (PgDn/J to follow)', { n: range.scrollBack })}` : '';
  const kept = dropped > 0 ? ` ${t('(last {n} kept)', { n: ring.size })}` : '';
  return (
    <Box flexDirection="column" height={rows + 1}>
      <Text color={theme.tone('dim')} wrap="truncate-end">
        ── {title} · {t('{n} lines', { n: ring.total })}
        {kept}
        {where}
      </Text>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.stream === 'stderr' ? theme.tone('warn') : l.stream === 'info' ? theme.tone('accent') : undefined}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </Box>
  );
}
