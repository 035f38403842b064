// `hoplab check LAB --step ID`: grade a step from what the learner did in
// their own terminal (`hoplab shell`, `hoplab ssh`): the session's text,
// pasted or piped (e.g. a `script` log), is the evidence, as the TUI's `c`
// grades the shells it opened. Cluster state (pods, Services) is read live.
import { suggest } from '../../core/did-you-mean.js';
import { EXIT, UsageError } from '../../core/errors.js';
import { labDirs } from '../../labs/catalog.js';
import { checkStep } from '../../labs/checks.js';
import { checkLines } from '../../labs/report.js';
import { openProvider } from '../../providers/index.js';
import { parse, providerPick } from '../args.js';
import { labFromArg } from '../lab-arg.js';
import type { Command } from '../command.js';
import { readText } from '../read-input.js';

function answersOf(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--answer '${a}': expected CHECK-ID=VALUE, e.g. --answer node-1-eth1=192.168.56.11`);
    out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

export const check: Command = {
  name: 'check',
  usage:
    'check LAB --step ID [--answer CHECK=VALUE]... [--file FILE] [--json] [--labs DIR] [--name LAB]\n' +
    '    the shell session (commands and their output) comes from --file or stdin: paste it, end with Ctrl-D',
  async run(argv, io) {
    const { values, positionals } = parse('check', argv, {
      step: { type: 'string' },
      answer: { type: 'string', multiple: true },
      file: { type: 'string' },
      json: { type: 'boolean' },
      labs: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('check: which lab? give a lab id or file', "the labs: 'hoplab labs'");
    const lab = await labFromArg(positionals[0]!, labDirs({ labs: values.labs as string | undefined }), io);
    if (!lab) return EXIT.badInput;
    const id = values.step as string | undefined;
    const index = id === undefined ? -1 : lab.steps.findIndex((s) => s.id === id);
    if (index < 0) {
      const near = id === undefined ? undefined : suggest(id, lab.steps.map((s) => s.id));
      throw new UsageError(id === undefined ? 'check: which step? --step ID' : `--step ${id}: lab '${lab.id}' has no such step${near ? ` (did you mean ${near}?)` : ''}`, `steps: ${lab.steps.map((s) => s.id).join(', ')}`);
    }
    const answers = answersOf((values.answer as string[] | undefined) ?? []);
    const transcript = await readText(values.file as string | undefined, io, 'check: paste what you typed and what it printed on stdin (end with Ctrl-D), or pass --file FILE');
    const provider = await openProvider(providerPick(values));
    const results = await checkStep(lab, index, provider, answers, { transcript });
    const passed = results.length === lab.steps[index]!.checks.length && results.every((r) => r.passed);
    if (values.json) io.stdout.write(JSON.stringify({ lab: lab.id, step: id, passed, outcome: passed ? 'passed' : 'failed', checks: results }, null, 2) + '\n');
    else io.stdout.write(results.flatMap(checkLines).join('\n') + `\n${passed ? 'step passed' : 'step not passed yet'}\n`);
    return passed ? EXIT.ok : EXIT.checkFailed;
  },
};
