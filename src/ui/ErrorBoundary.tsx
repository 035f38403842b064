// A render error is a bug in hoplab: say so in one line and leave cleanly,
// rather than Ink's stack-trace overview on a workshop's projector.
import { Box, Text } from 'ink';
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ onError: (err: Error) => void; children: ReactNode }, { error?: Error }> {
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
        <Text>hoplab: internal error: {this.state.error.message}</Text>
        <Text>this is a bug in hoplab; your progress is saved. The headless commands (hoplab run, hoplab status) still work.</Text>
      </Box>
    );
  }
}
