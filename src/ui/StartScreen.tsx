// The start screen: labs with their CNI modes, time and progress; the lab
// cluster's state; what the machine is missing for the embedded lab.
import { Box, Text } from 'ink';
import { CURSOR } from './theme.js';
import { unbuildable, type ClusterView, type LabEntry, type StartState } from './start-state.js';
import { translate, useT, type T } from './i18n.js';
import { useTheme } from './use-theme.js';
import { Hanging, Wrapped } from './Wrapped.js';

const CLUSTER_WORDS: Record<ClusterView['state'], { symbol: string; word: string; tone?: 'ok' | 'busy' | 'bad' | 'dim' }> = {
  unknown: { symbol: '…', word: 'looking', tone: 'dim' },
  down: { symbol: '○', word: 'down' },
  'coming-up': { symbol: '◔', word: 'coming up', tone: 'busy' },
  up: { symbol: '●', word: 'up', tone: 'ok' },
  partial: { symbol: '✗', word: 'half there (leftovers of a crash)', tone: 'bad' },
};

export function clusterLine(c: ClusterView, t: T = (s, v) => translate('en', s, v)): string {
  const w = CLUSTER_WORDS[c.state];
  return `lab '${c.lab}' · ${c.provider} · ${w.symbol} ${t(w.word)}${c.cni ? ` · ${c.cni}` : ''}`;
}

export function progressText(l: LabEntry, t: T = (s, v) => translate('en', s, v)): string {
  const shown = l.shown ?? 0;
  if (l.passed === 0 && shown === 0 && l.resumeAt === undefined) return t('not started');
  const shownText = shown ? t(', {n} shown', { n: shown }) : '';
  if (l.passed + shown >= l.steps) return `${t('✓ complete ({n}/{n})', { n: l.steps })}${shownText}`;
  return `${t('{passed}/{n} passed', { passed: l.passed, n: l.steps })}${shownText}${l.resumeAt !== undefined ? t(', resume at step {n}', { n: l.resumeAt + 1 }) : ''}`;
}

function LabRow({ lab, selected, width, machineModes }: { lab: LabEntry; selected: boolean; width: number; machineModes?: string[] }) {
  const theme = useTheme();
  const t = useT();
  const cannot = unbuildable(lab, machineModes);
  const modes = lab.cni === 'any' ? t('any CNI') : lab.cni.map((m) => (cannot.includes(m) ? `${m} ${t('(✗ not on this kernel)')}` : m)).join(', ');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" bold={selected} color={selected ? theme.tone('accent') : undefined}>
        {selected ? `${CURSOR} ` : '  '}
        {lab.title} <Text color={theme.tone('dim')}>({lab.id})</Text>
      </Text>
      <Text wrap="truncate-end" color={theme.tone('dim')}>
        {'    '}
        {modes} · {t('~{n} min', { n: lab.minutes })} · {t('{n} steps', { n: lab.steps })} · {progressText(lab, t)}
      </Text>
      {selected ? (
        <Box paddingLeft={4} width={width}>
          <Wrapped spans={[{ text: lab.summary }]} width={Math.max(1, width - 4)} />
        </Box>
      ) : null}
    </Box>
  );
}

export function StartScreen({ state, width }: { state: StartState; width: number }) {
  const theme = useTheme();
  const t = useT();
  const c = state.cluster;
  const w = CLUSTER_WORDS[c.state];
  const next =
    c.state === 'up'
      ? t('Enter opens the lab on this cluster.')
      : c.state === 'down'
        ? t('Enter on a lab brings the cluster up first (a few seconds), or press u.')
        : c.state === 'partial'
          ? t('Press d to clean up, then Enter.')
          : '';
  return (
    <Box flexDirection="column">
      <Text bold>{t('hoplab — learn how Kubernetes moves packets, hop by hop')}</Text>
      <Box marginTop={1} flexDirection="column">
        <Text wrap="truncate-end">
          {t('Cluster:')} <Text color={theme.tone(w.tone)}>{clusterLine(c, t)}</Text>
        </Text>
        {c.notes.map((n, i) => (
          <Hanging key={i} width={width} lead={[{ text: '  ! ', tone: 'warn' }]} spans={[{ tone: 'warn', text: n }]} />
        ))}
        {state.missing.length ? (
          <Hanging
            width={width}
            lead={`${t('Machine:')} `}
            spans={[{ tone: 'bad', text: `${t('✗ missing {what} — install with: sudo hoplab doctor', { what: state.missing.join(', ') })}${state.install ? `  (${state.install})` : ''}` }]}
          />
        ) : state.loading ? (
          <Text color={theme.tone('dim')}>{t('Machine:')} {t('… checking')}</Text>
        ) : (
          <Text>
            {t('Machine:')} <Text color={theme.tone('ok')}>✓</Text> {t('everything the embedded lab needs is here')}
          </Text>
        )}
        {next ? <Text color={theme.tone('dim')}>{next}</Text> : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>{t('Labs')}</Text>
        {state.labs.length === 0 && !state.loading ? <Text color={theme.tone('bad')}>{t('No labs found in labs/.')}</Text> : null}
        {state.labs.map((l, i) => (
          <LabRow key={l.id} lab={l} selected={i === state.selected} width={width - 4} {...(state.modes ? { machineModes: state.modes } : {})} />
        ))}
        {state.labErrors.map((e, i) => (
          <Hanging key={`e${i}`} width={width} lead={[{ text: '✗ ', tone: 'bad' }]} spans={[{ tone: 'bad', text: e }]} />
        ))}
      </Box>
    </Box>
  );
}
