import { EXIT, UsageError } from '../../core/errors.js';
import { isCniMode, type CniMode } from '../../core/facts.js';
import { findLab, labDirs, LabFileError } from '../../labs/catalog.js';
import { suggest } from '../../labs/issues.js';
import { liveReport, summary } from '../../labs/report.js';
import { assertRunnable, hasOfficeLan, runLab } from '../../labs/runner.js';
import { labMode, type Lab } from '../../labs/model.js';
import { hoplabCmd } from '../../core/suggest.js';
import { openProvider } from '../../providers/index.js';
import { workingModes } from '../../providers/working-modes.js';
import type { Provider } from '../../providers/provider.js';
import { cniMode, parse } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { progressPrinter } from '../print/progress.js';

function stepIndexes(lab: Lab, ids: string[]): number[] | undefined {
  if (!ids.length) return undefined;
  return ids.map((id) => {
    const i = lab.steps.findIndex((s) => s.id === id);
    if (i < 0) {
      const near = suggest(id, lab.steps.map((s) => s.id));
      throw new UsageError(`--step ${id}: lab '${lab.id}' has no such step${near ? ` (did you mean ${near}?)` : ''}`, `steps: ${lab.steps.map((s) => s.id).join(', ')}`);
    }
    return i;
  });
}

/** A lab that is down is brought up as `hoplab up` would, for the lab's needs; one that is up is used as it is. */
async function ensureUp(provider: Provider, lab: Lab, cni: CniMode | undefined, io: CommandIO, signal: AbortSignal): Promise<void> {
  const s = await provider.status();
  if (s.state === 'up') {
    // Refused before anything is added: a calico cluster is no place for office-lan, LAN or not.
    if (s.facts) assertRunnable(lab, s.facts, { ...(cni ? { cni } : {}), cluster: provider.lab, addsLan: true });
    if (lab.cluster.lan && provider.name === 'netns' && s.facts && !hasOfficeLan(s.facts) && isCniMode(s.facts.cni)) {
      const workers = s.facts.nodes.filter((n) => !n.roles.includes('control-plane')).length;
      io.stderr.write(`lab '${lab.id}' uses the office LAN: adding it to lab '${provider.lab}'\n`);
      await provider.up({ cni: s.facts.cni, workers, lan: true, signal, onEvent: progressPrinter(io.stderr) });
    }
    return;
  }
  if (s.state === 'partial') {
    throw new UsageError(`lab '${provider.lab}' is half up: ${s.notes.join('; ')}`, `run '${hoplabCmd(provider.lab, 'down')}' first`);
  }
  const mode = (cni ?? labMode(lab, await workingModes(provider))) as CniMode;
  const workers = lab.cluster.workers ?? 2;
  io.stderr.write(`lab '${provider.lab}' is down: bringing it up (${provider.name}, ${mode}, ${workers} workers${lab.cluster.lan ? ', office LAN' : ''})\n`);
  await provider.up({ cni: mode, workers, ...(lab.cluster.lan ? { lan: true } : {}), signal, onEvent: progressPrinter(io.stderr) });
}

export const run: Command = {
  name: 'run',
  usage:
    'run LAB [--json] [--cni MODE] [--step ID]... [--labs DIR] [--name LAB] [--provider P]\n' +
    '    LAB is a lab id (hoplab labs) or a lab file; a cluster that is down is brought up first',
  async run(argv, io) {
    const { values, positionals } = parse('run', argv, {
      json: { type: 'boolean' },
      labs: { type: 'string' },
      step: { type: 'string', multiple: true },
    });
    const dirs = labDirs({ labs: values.labs as string | undefined });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length ? `run takes one lab, got ${positionals.join(' ')}` : 'run: which lab? give a lab id or file', "the labs: 'hoplab labs'");
    }
    let lab: Lab;
    try {
      lab = await findLab(positionals[0]!, dirs);
    } catch (err) {
      if (!(err instanceof LabFileError)) throw err;
      io.stderr.write(`${err.message}\n`);
      return EXIT.badInput;
    }
    const steps = stepIndexes(lab, (values.step as string[] | undefined) ?? []);
    const cni = cniMode(values);
    const provider = await openProvider(values);

    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await ensureUp(provider, lab, cni, io, abort.signal);
      const write = (t: string) => void io.stdout.write(t);
      const result = await runLab(lab, provider, {
        ...(cni ? { cni } : {}),
        ...(steps ? { steps } : {}),
        signal: abort.signal,
        ...(values.json ? {} : { onEvent: liveReport(write) }),
      });
      io.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : summary(result));
      return result.passed ? EXIT.ok : EXIT.checkFailed;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
