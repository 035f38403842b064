// The selected step: the commands it asks for and where they run, then what
// the learner asked for (hints, the answer) — first, so they are never below
// the fold — then the step's text. Templates show the running cluster's values.
import { Box, Text } from 'ink';
import type { ClusterFacts } from '../core/facts.js';
import { whereLabel } from '../labs/run-command.js';
import { renderTemplates } from '../labs/templates.js';
import type { LabUiState } from './lab-state.js';
import { Markdown } from './Markdown.js';
import { shellTargetLabel } from './shell-target.js';
import { STATE_SYMBOL } from './theme.js';
import { useTheme } from './use-theme.js';

export function StepPane({ state, width, facts }: { state: LabUiState; width: number; facts?: ClusterFacts }) {
  const theme = useTheme();
  const t = (text: string) => renderTemplates(text, facts);
  const step = state.lab.steps[state.selected];
  const ui = state.steps[state.selected];
  if (!step || !ui) return <Text>This lab has no steps.</Text>;
  const hints = step.hints.slice(0, ui.hintsShown);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {STATE_SYMBOL[ui.state]} Step {state.selected + 1}/{state.lab.steps.length}: {step.title}
      </Text>
      {step.run.length ? (
        <Box flexDirection="column">
          <Text color={theme.tone('dim')} wrap="truncate-end">
            Enter: hoplab runs these · s: your shell {shellTargetLabel(step)} · c: check
          </Text>
          {step.run.map((c, i) => (
            <Text key={i} wrap="truncate-end">
              {'  '}
              <Text color={theme.tone('dim')}>{c.where.kind === 'kubectl' ? '' : whereLabel(c.where)}$</Text>{' '}
              <Text color={theme.tone('code')}>{t(c.where.kind === 'kubectl' ? `kubectl ${c.display.replace(/^kubectl\s+/, '')}` : c.display)}</Text>
            </Text>
          ))}
        </Box>
      ) : null}
      {hints.map((h, i) => (
        <Text key={i} wrap="wrap" color={theme.tone('warn')}>
          hint {i + 1}/{step.hints.length}: {t(h)}
        </Text>
      ))}
      {ui.error ? (
        <Text color={theme.tone('bad')} wrap="wrap">
          ✗ {ui.error}
        </Text>
      ) : null}
      {ui.state === 'shown' && !state.complete ? (
        <Text color={theme.tone('accent')} wrap="wrap">
          ◇ Shown: hoplab ran the solution, so this step counts as shown, not passed. r starts it over to do it yourself;{' '}
          {state.selected < state.lab.steps.length - 1 ? 'n or ↓: the next step.' : 'steps not done yet are marked ○ or ✗ in the list.'}
        </Text>
      ) : null}
      {ui.state === 'passed' && !state.complete ? (
        <Text color={theme.tone('ok')} wrap="wrap">
          ✓ Passed.{' '}
          {state.selected < state.lab.steps.length - 1 ? 'n or ↓: the next step.' : 'Steps not passed yet are marked ○ or ✗ in the list.'}
        </Text>
      ) : null}
      {ui.state === 'failed' && !ui.solutionShown ? (
        <Text color={theme.tone('dim')} wrap="wrap">
          Not yet. {ui.hintsShown < step.hints.length ? 'h for a hint, ' : ''}a for the answer, r to start the step over.
        </Text>
      ) : null}
      {ui.solutionShown ? (
        <Box flexDirection="column" marginTop={1} borderStyle="single" paddingX={1}>
          <Text bold>Answer</Text>
          {step.solution ? <Markdown source={t(step.solution.text)} /> : <Text>Run the commands above (Enter does it for you).</Text>}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Markdown source={t(step.text)} />
      </Box>
    </Box>
  );
}
