// The start screen: labs with their CNI modes, time and progress; the lab
// cluster's state; what the machine is missing for the embedded lab.
import { Box, Text } from 'ink';
import { CURSOR } from './theme.js';
import { unbuildable, type ClusterView, type LabEntry, type StartState } from './start-state.js';
import { useTheme } from './use-theme.js';

const CLUSTER_WORDS: Record<ClusterView['state'], { symbol: string; word: string; tone?: 'ok' | 'busy' | 'bad' | 'dim' }> = {
  unknown: { symbol: '…', word: 'looking', tone: 'dim' },
  down: { symbol: '○', word: 'down' },
  'coming-up': { symbol: '◔', word: 'coming up', tone: 'busy' },
  up: { symbol: '●', word: 'up', tone: 'ok' },
  partial: { symbol: '✗', word: 'half there (leftovers of a crash)', tone: 'bad' },
};

export function clusterLine(c: ClusterView): string {
  const w = CLUSTER_WORDS[c.state];
  return `lab '${c.lab}' · ${c.provider} · ${w.symbol} ${w.word}${c.cni ? ` · ${c.cni}` : ''}`;
}

export function progressText(l: LabEntry): string {
  const shown = l.shown ?? 0;
  if (l.passed === 0 && shown === 0 && l.resumeAt === undefined) return 'not started';
  if (l.passed + shown >= l.steps) return `✓ complete (${l.steps}/${l.steps}${shown ? `, ${shown} shown` : ''})`;
  return `${l.passed}/${l.steps} passed${shown ? `, ${shown} shown` : ''}${l.resumeAt !== undefined ? `, resume at step ${l.resumeAt + 1}` : ''}`;
}

function LabRow({ lab, selected, width, machineModes }: { lab: LabEntry; selected: boolean; width: number; machineModes?: string[] }) {
  const theme = useTheme();
  const cannot = unbuildable(lab, machineModes);
  const modes = lab.cni === 'any' ? 'any CNI' : lab.cni.map((m) => (cannot.includes(m) ? `${m} (✗ not on this kernel)` : m)).join(', ');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" bold={selected} color={selected ? theme.tone('accent') : undefined}>
        {selected ? `${CURSOR} ` : '  '}
        {lab.title} <Text color={theme.tone('dim')}>({lab.id})</Text>
      </Text>
      <Text wrap="truncate-end" color={theme.tone('dim')}>
        {'    '}
        {modes} · ~{lab.minutes} min · {lab.steps} steps · {progressText(lab)}
      </Text>
      {selected ? (
        <Box paddingLeft={4} width={width}>
          <Text wrap="wrap">{lab.summary}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

export function StartScreen({ state, width }: { state: StartState; width: number }) {
  const theme = useTheme();
  const c = state.cluster;
  const w = CLUSTER_WORDS[c.state];
  const next =
    c.state === 'up'
      ? 'Enter opens the lab on this cluster.'
      : c.state === 'down'
        ? 'Enter on a lab brings the cluster up first (a few seconds), or press u.'
        : c.state === 'partial'
          ? 'Press d to clean up, then Enter.'
          : '';
  return (
    <Box flexDirection="column">
      <Text bold>hoplab — learn how Kubernetes moves packets, hop by hop</Text>
      <Box marginTop={1} flexDirection="column">
        <Text wrap="truncate-end">
          Cluster: <Text color={theme.tone(w.tone)}>{clusterLine(c)}</Text>
        </Text>
        {c.notes.map((n, i) => (
          <Text key={i} color={theme.tone('warn')} wrap="wrap">
            {'  '}! {n}
          </Text>
        ))}
        {state.missing.length ? (
          <Text wrap="wrap" color={theme.tone('bad')}>
            Machine: ✗ missing {state.missing.join(', ')} — install with: sudo hoplab doctor{state.install ? `  (${state.install})` : ''}
          </Text>
        ) : state.loading ? (
          <Text color={theme.tone('dim')}>Machine: … checking</Text>
        ) : (
          <Text>
            Machine: <Text color={theme.tone('ok')}>✓</Text> everything the embedded lab needs is here
          </Text>
        )}
        {next ? <Text color={theme.tone('dim')}>{next}</Text> : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Labs</Text>
        {state.labs.length === 0 && !state.loading ? <Text color={theme.tone('bad')}>No labs found in labs/.</Text> : null}
        {state.labs.map((l, i) => (
          <LabRow key={l.id} lab={l} selected={i === state.selected} width={width - 4} {...(state.modes ? { machineModes: state.modes } : {})} />
        ))}
        {state.labErrors.map((e, i) => (
          <Text key={`e${i}`} color={theme.tone('bad')} wrap="wrap">
            ✗ {e}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
