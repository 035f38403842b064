import { UsageError } from '../../core/errors.js';
import { evidenceLines, evidencePlan, formatVerdict, gradeTrace } from '../../check/index.js';
import { collectEvidence } from '../../labs/evidence.js';
import { openProvider } from '../../providers/index.js';
import { parse, providerPick } from '../args.js';
import { readFacts } from '../facts-file.js';
import { readText } from '../read-input.js';
import type { Command } from '../command.js';

export const checkTrace: Command = {
  name: 'check-trace',
  usage:
    'check-trace --from SRC --to DST [--file FILE] [--facts FILE] [--json]\n' +
    '  SRC, DST: a pod, node, host or Service name, pod/NAME, node/NAME, svc/NAME, or an IP address\n' +
    '  the trace comes from --file or stdin; the cluster from the running lab, or --facts (hoplab status --json)',
  async run(argv, io) {
    const { values } = parse('check-trace', argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      file: { type: 'string' },
      facts: { type: 'string' },
      json: { type: 'boolean' },
    }, false);
    const from = values.from as string | undefined;
    const to = values.to as string | undefined;
    if (!from || !to) throw new UsageError('check-trace: --from and --to are required', 'e.g. hoplab check-trace --from traceroute --to httpd --file out.txt');
    // With a running lab (not --facts) a failed trace gets the evidence from the machine where it went wrong.
    const provider = values.facts ? undefined : await openProvider(providerPick(values));
    const facts = provider ? await provider.facts() : await readFacts(values.facts as string);
    const text = await readText(values.file as string | undefined, io);
    const result = gradeTrace(facts, from, to, text);
    // Input that is no trace at all is bad input (exit 2), not a trace that took the wrong path (exit 1).
    if (result.trace.hops.length === 0) {
      const input = values.file === undefined || values.file === '-' ? 'stdin' : `--file ${values.file as string}`;
      throw new UsageError(`check-trace: ${input}: ${result.verdict.diagnosis ?? 'no hop lines'}`, 'give the output of traceroute, tracepath or mtr --report, as the pod printed it');
    }
    const plan = provider ? evidencePlan(result.prediction, result.verdict, facts) : undefined;
    const evidence = plan && provider ? await collectEvidence(provider, plan) : undefined;
    if (values.json) io.stdout.write(JSON.stringify(evidence ? { ...result, evidence } : result, null, 2) + '\n');
    else io.stdout.write([formatVerdict(result, { color: io.isTTY && !process.env.NO_COLOR }), ...(evidence ? evidenceLines(evidence) : [])].join('\n') + '\n');
    return result.verdict.passed ? 0 : 1;
  },
};
