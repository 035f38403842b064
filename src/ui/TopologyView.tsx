// `t`: the cluster drawing at the terminal's current size; PgUp/PgDn scroll
// it when it is taller than the screen (many workers).
import { Box, Text } from 'ink';
import type { ClusterFacts } from '../core/facts.js';
import { SegmentLine } from './Segments.js';
import { drawTopology } from '../topology/text.js';
import type { TracedPath } from '../topology/path.js';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';

export interface TopologyViewProps {
  facts?: ClusterFacts;
  path?: TracedPath;
  width: number;
  height: number;
  scroll: number;
}

export function TopologyView({ facts, path, width, height, scroll }: TopologyViewProps) {
  const theme = useTheme();
  const t = useT();
  if (!facts) {
    return (
      <Box height={height}>
        <Text color={theme.tone('dim')}>{t('No cluster to draw: the lab cluster is not up.')}</Text>
      </Box>
    );
  }
  const lines = drawTopology(facts, { width, ...(path ? { path } : {}) });
  const room = lines.length > height ? Math.max(1, height - 1) : height;
  const top = Math.max(0, Math.min(scroll, lines.length - room));
  const shown = lines.slice(top, top + room);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((l, i) => (
        <SegmentLine key={i} line={l} />
      ))}
      {lines.length > height ? (
        <Text color={theme.tone('dim')}>
          {t('lines {from}-{to} of {n} · PgUp/PgDn to scroll', { from: top + 1, to: top + shown.length, n: lines.length })}
        </Text>
      ) : null}
    </Box>
  );
}
