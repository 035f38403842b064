// The root: finished lines in <Static> (written once, above), the live
// screen below it sized to the terminal, the notice and the key footer.
import { Box, Static, Text } from 'ink';
import type { AppAction, AppState } from './app-state.js';
import { keyContext } from './app-state.js';
import { AskOverlay } from './AskOverlay.js';
import { BringUpScreen } from './BringUpScreen.js';
import { ConfirmQuit } from './ConfirmQuit.js';
import type { Controller } from './controller.js';
import { Footer, footerLines } from './Footer.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LangContext, translate, type T } from './i18n.js';
import { LabScreen } from './LabScreen.js';
import type { OutputStore } from './output-store.js';
import type { ClassroomLink } from './ports.js';
import { StartScreen } from './StartScreen.js';
import type { Store } from './store.js';
import type { Theme } from './theme.js';
import { TopologyView } from './TopologyView.js';
import { useKeys } from './use-keys.js';
import { useStore } from './use-store.js';
import { useTerminalSize } from './use-terminal-size.js';
import { ThemeContext } from './use-theme.js';

export interface AppProps {
  store: Store<AppState, AppAction>;
  controller: Controller;
  output: OutputStore;
  theme: Theme;
  /** Journal entries already printed by an earlier mount (before a shell took the terminal). */
  journalFrom?: number;
}

function Body({ state, output, width, height }: { state: AppState; output: OutputStore; width: number; height: number }) {
  if (state.overlay === 'help') return <HelpOverlay behind={state.screen} width={width} height={height} />;
  if (state.overlay === 'topology') {
    return <TopologyView width={width} height={height} scroll={state.topologyScroll} {...(state.facts ? { facts: state.facts } : {})} {...(state.lab?.lastPath ? { path: state.lab.lastPath } : {})} />;
  }
  if (state.overlay === 'confirm-quit') return <ConfirmQuit lab={state.start.cluster.lab} width={width} />;
  if (state.overlay === 'ask' && state.ask) return <AskOverlay ask={state.ask} width={width} />;
  if (state.screen === 'bringup' && state.bringUp) return <BringUpScreen state={state.bringUp} width={width} />;
  if (state.screen === 'lab' && state.lab) {
    return <LabScreen state={state.lab} output={output} width={width} height={height} isActive={!state.overlay} provider={state.start.cluster.provider} labName={state.start.cluster.lab} {...(state.facts ? { facts: state.facts } : {})} />;
  }
  return <StartScreen state={state.start} width={width} />;
}

/** The classroom indicator: connected, or how many results wait for the server. */
export function classroomLine(c: ClassroomLink, t: T = (s, v) => translate('en', s, v)): string {
  const n = c.queued;
  const state =
    c.connection === 'connected'
      ? n ? t('● classroom: connected, sending {n}', { n }) : t('● classroom: connected')
      : c.connection === 'refused'
        ? t('✗ classroom: refused (hoplab join again)')
        : n ? t('○ classroom: offline, {n} queued', { n }) : t('○ classroom: offline');
  return t('{state} · ! raises your hand', { state });
}

export function App({ store, controller, output, theme, journalFrom = 0 }: AppProps) {
  const state = useStore(store);
  const { width, height } = useTerminalSize();
  useKeys(store, controller);
  const footer = footerLines(keyContext(state), width, state.lang);
  // One row short of the terminal: a frame as tall as the screen makes Ink clear it on every update.
  const live = Math.max(8, height - 1);
  const body = live - footer.length - (state.notice ? 1 : 0) - (state.hand !== undefined || state.classroom ? 1 : 0);
  return (
    <ThemeContext.Provider value={theme}>
      <LangContext.Provider value={state.lang}>
      <Static items={state.journal.slice(journalFrom)}>
        {(e) => (
          <Text key={e.id} color={theme.tone(e.tone)}>
            {e.text}
          </Text>
        )}
      </Static>
      <Box flexDirection="column" height={live} width={width}>
        <Box height={body} flexDirection="column" overflow="hidden">
          {/* flexShrink 0: content taller than the room is clipped, never squeezed into overlapping rows. */}
          <Box flexDirection="column" flexShrink={0}>
            <Body state={state} output={output} width={width} height={body} />
          </Box>
        </Box>
        {state.hand !== undefined ? (
          <Text wrap="truncate-end">
            <Text color={theme.tone('accent')}>{translate(state.lang, '✋ raise hand, message (optional)')}</Text> › {state.hand}
            <Text inverse> </Text> <Text color={theme.tone('dim')}>{translate(state.lang, '(Enter raises it, Esc cancels)')}</Text>
          </Text>
        ) : state.classroom ? (
          <Text color={theme.tone(state.classroom.connection === 'connected' && !state.classroom.queued ? 'dim' : 'warn')} wrap="truncate-end">
            {classroomLine(state.classroom, (s, v) => translate(state.lang, s, v))}
          </Text>
        ) : null}
        {state.notice ? (
          <Text color={theme.tone(state.notice.tone)} wrap="truncate-end">
            {state.notice.text}
          </Text>
        ) : null}
        <Footer context={keyContext(state)} width={width} />
      </Box>
      </LangContext.Provider>
    </ThemeContext.Provider>
  );
}
