// A render error is a bug in hoplab: say so in one line and leave cleanly,
// rather than Ink's stack-trace overview on a workshop's projector.
import { Box, Text } from 'ink';
import { Component, type ReactNode } from 'react';
import type { Lang } from '../core/lang.js';
import { LangContext, translate } from './i18n.js';

export class ErrorBoundary extends Component<{ onError: (err: Error) => void; children: ReactNode }, { error?: Error }> {
  static override contextType = LangContext;
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    this.props.onError(error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Box flexDirection="column">
        <Text>{translate(this.context as Lang, 'hoplab: internal error: {error}', { error: this.state.error.message })}</Text>
        <Text>{translate(this.context as Lang, 'this is a bug in hoplab; your progress is saved. The headless commands (hoplab run, hoplab status) still work.')}</Text>
      </Box>
    );
  }
}
