// The lab screen: steps on the left, the selected step on the right, and
// below them the live output or the last check's table.
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { ClusterFacts } from '../core/facts.js';
import { CheckList } from './CheckTable.js';
import type { LabUiState } from './lab-state.js';
import { OutputPane } from './OutputPane.js';
import { PlacePicker } from './PlacePicker.js';
import { ScrollBox } from './ScrollBox.js';
import type { OutputStore } from './output-store.js';
import { StepList } from './StepList.js';
import { StepPane } from './StepPane.js';
import { useT } from './i18n.js';
import { textWidth, wrapSpans } from './text-width.js';
import { useTheme } from './use-theme.js';
import { Hanging } from './Wrapped.js';

export interface LabScreenProps {
  state: LabUiState;
  facts?: ClusterFacts;
  output: OutputStore;
  width: number;
  height: number;
  /** False while an overlay is in front, so PgUp/PgDn do not scroll behind it. */
  isActive?: boolean;
  /** The provider's name: which earlier steps a catch-up would run depends on it. */
  provider?: string;
  /** The lab's name (--name): the hoplab commands a step's text suggests name it. */
  labName?: string;
}

export function LabScreen({ state, facts, output, width, height, isActive = true, provider, labName }: LabScreenProps) {
  const theme = useTheme();
  const t = useT();
  const listWidth = Math.min(34, Math.max(22, Math.floor(width * 0.3)));
  const question = state.answer ? wrapSpans([{ text: state.answer.queue[0]?.question ?? '' }], width - 2) : [];
  const status = state.answer ? question.length + 1 : state.busy || state.paste || state.complete ? 1 : 0;
  const ui = state.steps[state.selected];
  const hasChecks = (ui?.checks.length ?? 0) > 0;
  // The lower pane appears once the step has output or a check to show; until then the text gets the room.
  const showLower = Boolean(state.busy) || hasChecks || state.outputFor === state.selected || Boolean(state.pick) || Boolean(state.paste);
  const showChecks = state.pane === 'check' && !state.busy && hasChecks && !state.pick && !state.paste;
  const [stepRows, setStepRows] = useState(0);
  const [checkRows, setCheckRows] = useState(0);
  const { upper, lower } = splitRows(height - 1 - status, showLower, stepRows, showChecks && checkRows ? checkRows + 1 : 0);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">
        {state.lab.title} <Text color={theme.tone('dim')}>· {state.lab.id} · {t('~{n} min', { n: state.lab.minutes })}</Text>
      </Text>
      <Box height={upper} overflow="hidden">
        <StepList state={state} width={listWidth} height={upper} />
        <Box marginLeft={1}>
          <ScrollBox height={upper} width={width - listWidth - 1} resetKey={state.selected} isActive={isActive && !state.answer && !state.pick && !state.paste} onContentHeight={setStepRows}>
            <StepPane state={state} width={width - listWidth - 1} {...(facts ? { facts } : {})} {...(provider ? { provider } : {})} {...(labName ? { labName } : {})} />
          </ScrollBox>
        </Box>
      </Box>
      {state.complete ? (
        <Text bold color={theme.tone('ok')}>
          {t('★ lab complete — every step passed. q quits; t shows the last path on the cluster.')}
        </Text>
      ) : state.paste ? (
        <Text color={theme.tone('accent')} wrap="truncate-end">
          {t('paste what you ran in your own terminal, commands and their output · Ctrl-D checks · Esc cancels')}
        </Text>
      ) : state.answer ? (
        <AnswerPrompt question={state.answer.queue[0]?.question ?? ''} value={state.answer.value} width={width} />
      ) : state.busy ? (
        <Text color={theme.tone('busy')} wrap="truncate-end">
          ◔ {t(state.busy.kind === 'check' ? 'checking' : state.busy.kind === 'reset' ? 'cleaning up' : 'running')} {t('step {n}', { n: state.busy.step + 1 })}
          {state.busy.doing ? `: ${state.busy.doing}` : '…'} {t('(Ctrl-C stops)')}
        </Text>
      ) : null}
      {showLower ? <Box height={lower} flexDirection="column" overflow="hidden">
        {state.paste ? (
          <PasteBox text={state.paste.text} height={lower} />
        ) : state.pick ? (
          <PlacePicker places={state.pick.places} selected={state.pick.selected} />
        ) : showChecks ? (
          <>
            <Text color={theme.tone('dim')}>{t('── check of step {n} (Tab: output · K/J scroll)', { n: state.selected + 1 })}</Text>
            <ScrollBox height={lower - 1} width={width} resetKey={state.selected} isActive={false} offset={state.checkScroll} keys={{ down: 'J', up: 'K' }} onContentHeight={setCheckRows}>
              <CheckList checks={ui!.checks} width={width} />
            </ScrollBox>
          </>
        ) : (
          <OutputPane store={output} height={lower - 1} scrollBack={state.scrollBack} title={t(hasChecks ? 'output (Tab: check · K/J scroll)' : 'output (K/J scroll)')} />
        )}
      </Box> : null}
    </Box>
  );
}

/** The paste box: the last lines pasted so far, with a cursor. */
function PasteBox({ text, height }: { text: string; height: number }) {
  const theme = useTheme();
  const t = useT();
  const lines = text.split('\n');
  const shown = lines.slice(-Math.max(1, height - 1));
  return (
    <Box flexDirection="column">
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {t('── pasted: {n} lines (p: paste box)', { n: text ? lines.length : 0 })}
      </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
          {i === shown.length - 1 ? <Text inverse> </Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/**
 * Rows for the step pane (upper) and the lower pane out of `avail`. The
 * output pane keeps half (it grows as a command prints); a check table takes
 * only the rows it has, and whichever pane needs less than half gives the
 * rest to the other, so no pane says "more below" over blank rows.
 */
export function splitRows(avail: number, showLower: boolean, stepRows: number, checkRows: number): { upper: number; lower: number } {
  if (!showLower) return { upper: avail, lower: 0 };
  const half = Math.max(6, Math.floor(avail * 0.5));
  let upper = half;
  if (checkRows > 0) {
    if (stepRows > 0 && stepRows + checkRows <= avail) upper = avail - checkRows;
    else if (stepRows > 0 && stepRows < half) upper = stepRows;
    else if (checkRows < avail - half) upper = avail - checkRows;
  }
  upper = Math.min(Math.max(6, upper), avail - 3);
  return { upper, lower: Math.max(3, avail - upper) };
}

/**
 * The question, wrapped, then the line being typed: its end (where the
 * cursor is) always shows, the key hint only while there is room for it.
 */
function AnswerPrompt({ question, value, width }: { question: string; value: string; width: number }) {
  const theme = useTheme();
  const t = useT();
  const hint = t('(Enter answers, Esc cancels)');
  const room = width - 3; // "› " and the cursor
  let shown = value;
  if (textWidth(shown) > room) {
    // Keep the tail: drop characters from the front until it fits behind "…".
    const chars = [...shown];
    while (chars.length && textWidth(chars.join('')) > room - 1) chars.shift();
    shown = `…${chars.join('')}`;
  }
  const withHint = textWidth(shown) + 4 + textWidth(hint) <= width;
  return (
    <Box flexDirection="column">
      <Hanging width={width} lead={[{ text: '? ', tone: 'accent' }]} spans={[{ text: question, tone: 'accent' }]} />
      <Text wrap="truncate-end">
        › {shown}
        <Text inverse> </Text>
        {withHint ? <Text color={theme.tone('dim')}> {hint}</Text> : null}
      </Text>
    </Box>
  );
}
