// The selected step: how it went (the newest news, so right under the title),
// the commands it asks for and where they run, then what the learner asked
// for (hints, the answer) — first, so they are never below the fold — then
// the step's text. Templates show the running cluster's values.
import { Box, Text } from 'ink';
import type { ClusterFacts } from '../core/facts.js';
import { whereLabel } from '../labs/run-command.js';
import { renderTemplates } from '../labs/templates.js';
import { catchUpOffer, type LabUiState } from './lab-state.js';
import { Markdown } from './Markdown.js';
import { Hanging, Wrapped } from './Wrapped.js';
import { shellTargetLabel } from './shell-target.js';
import { STATE_SYMBOL } from './theme.js';
import { useT } from './i18n.js';

export function StepPane({ state, width, facts, provider, labName }: { state: LabUiState; width: number; facts?: ClusterFacts; provider?: string; labName?: string }) {
  // Values from the running cluster, placeholders until they exist, and hoplab commands that name this lab.
  const t = (text: string) => renderTemplates(text, facts, labName);
  const tr = useT();
  const step = state.lab.steps[state.selected];
  const ui = state.steps[state.selected];
  if (!step || !ui) return <Text>{tr('This lab has no steps.')}</Text>;
  const hints = step.hints.slice(0, ui.hintsShown);
  const behind = provider ? catchUpOffer(state, provider) : [];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {STATE_SYMBOL[ui.state]} {tr('Step {n}/{total}: {title}', { n: state.selected + 1, total: state.lab.steps.length, title: step.title })}
      </Text>
      {ui.error ? <Hanging width={width} lead={[{ text: '✗ ', tone: 'bad' }]} spans={[{ tone: 'bad', text: ui.error }]} /> : null}
      {ui.state === 'shown' && !state.complete ? (
        <Wrapped
          width={width}
          spans={[{ tone: 'accent', text: `${tr('◇ Shown: hoplab ran the solution, so this step counts as shown, not passed. r starts it over to do it yourself;')} ${state.selected < state.lab.steps.length - 1 ? tr('n or ↓: the next step.') : tr('steps not done yet are marked ○ or ✗ in the list.')}` }]}
        />
      ) : null}
      {ui.state === 'passed' && !state.complete ? (
        <Wrapped width={width} spans={[{ tone: 'ok', text: `${tr('✓ Passed.')} ${state.selected < state.lab.steps.length - 1 ? tr('n or ↓: the next step.') : tr('Steps not passed yet are marked ○ or ✗ in the list.')}` }]} />
      ) : null}
      {ui.state === 'failed' && !ui.solutionShown ? (
        <Wrapped width={width} spans={[{ tone: 'dim', text: `${tr('Not yet.')} ${ui.hintsShown < step.hints.length ? tr('h for a hint, ') : ''}${tr('a for the answer, r to start the step over.')}` }]} />
      ) : null}
      {step.run.length ? (
        <Box flexDirection="column">
          <Wrapped width={width} spans={[{ tone: 'dim', text: tr('Enter: hoplab runs these · s: your shell {where} · c: check', { where: shellTargetLabel(step, tr) }) }]} />
          {step.run.map((c, i) => {
            // Whole, never cut: a long command wraps with its lines hanging under its first word.
            const prompt = `  ${c.where.kind === 'kubectl' ? '' : whereLabel(c.where)}$ `;
            return (
              <Hanging
                key={i}
                lead={[{ text: prompt, tone: 'dim' }]}
                width={width}
                spans={[{ tone: 'code', text: t(c.where.kind === 'kubectl' ? `kubectl ${c.display.replace(/^kubectl\s+/, '')}` : c.display) }]}
              />
            );
          })}
        </Box>
      ) : null}
      {behind.length && ui.state !== 'passed' ? (
        <Wrapped
          width={width}
          spans={[
            {
              tone: 'accent',
              text:
                behind.length === 1
                  ? tr("↻ This step needs what step {n} '{title}' creates: u catches you up (runs its solution, unchecked).", { n: behind[0]! + 1, title: state.lab.steps[behind[0]!]!.title })
                  : tr('↻ This step needs what steps {list} create: u catches you up (runs their solutions, unchecked).', { list: behind.map((i) => i + 1).join(', ') }),
            },
          ]}
        />
      ) : null}
      {hints.map((h, i) => (
        <Hanging key={i} width={width} lead={[{ tone: 'warn', text: tr('hint {n}/{total}: ', { n: i + 1, total: step.hints.length }) }]} spans={[{ tone: 'warn', text: t(h) }]} />
      ))}
      {ui.solutionShown ? (
        <Box flexDirection="column" marginTop={1} borderStyle="single" paddingX={1}>
          <Text bold>{tr('Answer')}</Text>
          {step.solution ? <Markdown source={t(step.solution.text)} width={Math.max(1, width - 4)} /> : <Text>{tr('Run the commands above (Enter does it for you).')}</Text>}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Markdown source={t(step.text)} width={width} />
      </Box>
    </Box>
  );
}
