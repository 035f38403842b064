import { EXIT, UsageError } from '../../core/errors.js';
import { isCniMode, type CniMode } from '../../core/facts.js';
import { labDirs } from '../../labs/catalog.js';
import { suggest } from '../../core/did-you-mean.js';
import { liveReport, summary } from '../../labs/report.js';
import { assertRunnable, hasOfficeLan, runLab } from '../../labs/runner.js';
import { labMode, type Lab } from '../../labs/model.js';
import { hoplabCmd } from '../../core/suggest.js';
import { openProvider } from '../../providers/index.js';
import { withNativeSpawner } from '../../providers/netns/init-helper.js';
import type { Provider } from '../../providers/provider.js';
import { cniMode, langOption, parse, providerPick } from '../args.js';
import { labFromArg } from '../lab-arg.js';
import type { Command, CommandIO } from '../command.js';
import { progressPrinter } from '../print/progress.js';
import { openAttendee, statusLine } from '../../classroom/attendee.js';
import { outcomeOf } from '../../classroom/outcome.js';
import { labJunit, labMarkdown, REPORT_FORMATS, type ReportFormat } from '../../labs/report-files.js';
import { reportRunEvents, teeSinks } from '../../labs/reporter.js';
import { writeFile } from 'node:fs/promises';

function stepIndex(lab: Lab, flag: string, id: string): number {
  // A step number (1-based, as the TUI and the live report count) or an id.
  const i = /^\d+$/.test(id) ? Number(id) - 1 : lab.steps.findIndex((s) => s.id === id);
  if (i < 0 || i >= lab.steps.length) {
    const ids = lab.steps.map((s) => s.id);
    const near = /^\d+$/.test(id) ? undefined : suggest(id, ids);
    throw new UsageError(`--${flag} ${id}: lab '${lab.id}' has no such step${near ? ` (did you mean ${near}?)` : ''}`, `steps: ${ids.map((s, n) => `${n + 1} ${s}`).join(', ')}`);
  }
  return i;
}

/** --step IDs, or --from ID and every step after it; undefined: the whole lab. */
function stepIndexes(lab: Lab, ids: string[], from: string | undefined): number[] | undefined {
  if (from !== undefined && ids.length) throw new UsageError('--from and --step do not go together', '--from STEP runs that step and every one after it; --step STEP runs only the steps named');
  if (from !== undefined) {
    const start = stepIndex(lab, 'from', from);
    return lab.steps.map((_, i) => i).filter((i) => i >= start);
  }
  if (!ids.length) return undefined;
  return ids.map((id) => stepIndex(lab, 'step', id));
}

/** A lab that is down is brought up as `hoplab up` would, for the lab's needs; one that is up is used as it is. */
export async function ensureUp(provider: Provider, lab: Lab, cni: CniMode | undefined, io: CommandIO, signal: AbortSignal): Promise<void> {
  const s = await provider.status();
  if (s.state === 'up') {
    // Refused before anything is added: a calico cluster is no place for office-lan, LAN or not.
    if (s.facts) assertRunnable(lab, s.facts, { ...(cni ? { cni } : {}), cluster: provider.lab, addsLan: true });
    if (lab.cluster.lan && provider.buildsOfficeLan && s.facts && !hasOfficeLan(s.facts) && isCniMode(s.facts.cni)) {
      const workers = s.facts.nodes.filter((n) => !n.roles.includes('control-plane')).length;
      io.stderr.write(`lab '${lab.id}' uses the office LAN: adding it to lab '${provider.lab}'\n`);
      await provider.up({ cni: s.facts.cni, workers, lan: true, signal, onEvent: progressPrinter(io.stderr) });
    }
    return;
  }
  if (s.state === 'partial') {
    throw new UsageError(`lab '${provider.lab}' is half up: ${s.notes.join('; ')}`, `run '${hoplabCmd(provider.lab, 'down')}' first`);
  }
  const mode = (cni ?? labMode(lab, await provider.workingModes?.())) as CniMode;
  const workers = lab.cluster.workers ?? 2;
  io.stderr.write(`lab '${provider.lab}' is down: bringing it up (${provider.name}, ${mode}, ${workers} workers${lab.cluster.lan ? ', office LAN' : ''})\n`);
  await provider.up({ cni: mode, workers, ...(lab.cluster.lan ? { lan: true } : {}), signal, onEvent: progressPrinter(io.stderr) });
}

export const run: Command = {
  name: 'run',
  usage:
    'run LAB [--json] [--cni MODE] [--from STEP | --step STEP...] [--labs DIR] [--lang LANG] [--name LAB] [--provider P]\n' +
    '    [--report junit|md FILE] [--classroom URL --code CODE --as NAME]\n' +
    '    LAB is a lab id (hoplab labs) or a lab file; a cluster that is down is brought up first.\n' +
    '    --from STEP: catch up (run the solutions of the earlier steps it depends on, unchecked), then run and check STEP and every step after it\n' +
    '    --step STEP: only that step (again for more), caught up the same way; STEP is a step id or its number\n' +
    '    LANG: en, ru, zh, pt for the step and check titles (default: from LC_ALL/LANG).\n' +
    '    --report writes the run as JUnit XML or Markdown; --classroom reports it to a classroom once\n' +
    '    (after hoplab join, every run reports there without flags)',
  async run(argv, io) {
    const { values, positionals } = parse('run', argv, {
      json: { type: 'boolean' },
      labs: { type: 'string' },
      step: { type: 'string', multiple: true },
      report: { type: 'string' },
      classroom: { type: 'string' },
      code: { type: 'string' },
      as: { type: 'string' },
      lang: { type: 'string' },
      from: { type: 'string' },
    });
    const dirs = labDirs({ labs: values.labs as string | undefined });
    let reportTo: { format: ReportFormat; file: string } | undefined;
    if (values.report !== undefined) {
      const format = values.report as string;
      if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--report '${format}': expected ${REPORT_FORMATS.join(' or ')}, then the file: --report junit results.xml`);
      if (positionals.length !== 2) throw new UsageError(`--report ${format}: which file? give it after the format: --report ${format} FILE`);
      reportTo = { format: format as ReportFormat, file: positionals.pop()! };
    }
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length ? `run takes one lab, got ${positionals.join(' ')}` : 'run: which lab? give a lab id or file', "the labs: 'hoplab labs'");
    }
    const lab = await labFromArg(positionals[0]!, dirs, io, langOption(values));
    if (!lab) return EXIT.badInput;
    const steps = stepIndexes(lab, (values.step as string[] | undefined) ?? [], values.from as string | undefined);
    const cni = cniMode(values);
    const provider = await openProvider(providerPick(values));
    const attendee = await openAttendee({ classroom: values.classroom as string | undefined, code: values.code as string | undefined, as: values.as as string | undefined });

    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await ensureUp(provider, lab, cni, io, abort.signal);
      const write = (t: string) => void io.stdout.write(t);
      const result = await withNativeSpawner('hoplab-run-spawner', () =>
        runLab(lab, provider, {
          ...(cni ? { cni } : {}),
          ...(steps ? { steps, catchUp: true } : {}),
          signal: abort.signal,
          onEvent: teeSinks(values.json ? undefined : liveReport(write), attendee && reportRunEvents(attendee.reporter, 'hoplab', lab)),
        }),
      );
      io.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : summary(result));
      if (reportTo) {
        const text = reportTo.format === 'junit' ? labJunit(result, outcomeOf, 'hoplab') : labMarkdown(result, outcomeOf, 'hoplab');
        await writeFile(reportTo.file, text).catch((err: Error) => {
          throw new UsageError(`--report ${reportTo.format} ${reportTo.file}: cannot write it: ${err.message}`);
        });
      }
      return result.passed ? EXIT.ok : EXIT.checkFailed;
    } finally {
      if (attendee) {
        // A bounded last try; what does not go now stays queued for the next hoplab.
        await attendee.client.close(3000);
        io.stderr.write(`${statusLine(attendee.client.status())}\n`);
      }
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
