// A box of fixed height that shows a window of taller content, with a marker
// row saying there is more and which key shows it.
import { Box, Text, measureElement, type DOMElement } from 'ink';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useScroll } from './use-scroll.js';
import { useT } from './i18n.js';
import { useTheme } from './use-theme.js';

export interface ScrollBoxProps {
  height: number;
  width: number;
  /** Content changes that bring the view back to the top (the selected step). */
  resetKey: unknown;
  isActive: boolean;
  /** Given: the parent owns the position (lines from the top), and PgUp/PgDn are not this box's. */
  offset?: number;
  /** What the marker row names as the keys that scroll. */
  keys?: { down: string; up: string };
  /** Told the content's full height whenever it changes, so a layout can size the box to it. */
  onContentHeight?: (rows: number) => void;
  children: ReactNode;
}

export function ScrollBox({ height, width, resetKey, isActive, offset: given, keys = { down: 'PgDn', up: 'PgUp' }, onContentHeight, children }: ScrollBoxProps) {
  const theme = useTheme();
  const t = useT();
  const ref = useRef<DOMElement>(null);
  const [contentHeight, setContentHeight] = useState(0);
  useEffect(() => {
    if (ref.current) {
      const h = measureElement(ref.current).height;
      if (h !== contentHeight) {
        setContentHeight(h);
        onContentHeight?.(h);
      }
    }
  });
  const overflows = contentHeight > height;
  const room = overflows ? Math.max(1, height - 1) : height;
  const max = Math.max(0, contentHeight - room);
  const own = useScroll({ isActive: isActive && overflows && given === undefined, page: Math.max(1, room - 2), max, resetKey });
  const offset = given === undefined ? own : Math.min(Math.max(0, given), max);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box height={room} overflow="hidden" flexDirection="column">
        <Box ref={ref} flexDirection="column" flexShrink={0} marginTop={-offset}>
          {children}
        </Box>
      </Box>
      {overflows ? (
        <Text color={theme.tone('dim')} wrap="truncate-end">
          {offset < max ? t('↓ more below: {key}', { key: keys.down }) : t('— end —')}
          {offset > 0 ? ` · ${t('{key}: back up', { key: keys.up })}` : ''} {t('({n}/{total} lines)', { n: Math.min(contentHeight, offset + room), total: contentHeight })}
        </Text>
      ) : null}
    </Box>
  );
}
