// hops: the trace a command prints, hop by hop, against the path the engine
// predicts (or the lab lists).
import { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import type { ClusterFacts } from '../../core/facts.js';
import type { ExpectedHop, HopVerdict, PathPrediction } from '../../path/types.js';
import { endpointLabel, isIPv4, resolveEndpointText } from '../endpoints.js';
import { evidenceLines } from '../../check/evidence.js';
import { collectEvidence } from '../evidence.js';
import { grading } from '../grading.js';
import type { CheckResult } from '../results.js';
import { checkBase, commandSchema, endpoint, expected, strict, text } from '../schema-parts.js';
import { findTemplates, resolveTemplates } from '../templates.js';
import { base, fromShell, hopWord, observe, placeWords, typed, whereWords } from './common.js';
import { programOf, shellRuns, traceRuns } from '../transcript.js';
import type { CheckKind, CheckOf } from './types.js';

const schema = strict(
  {
    kind: z.literal('hops'),
    ...checkBase,
    from: endpoint,
    to: endpoint,
    observe: commandSchema,
    expect: z.array(text('a hop address, a template of one, or *'), expected('a list of hop addresses')).min(1, expected('at least one hop')).optional(),
  },
  'a hops check with from, to and observe',
);

async function prediction(facts: ClusterFacts, fromText: string, toText: string, expect?: string[]): Promise<PathPrediction> {
  if (expect) {
    const hops: ExpectedHop[] = expect.map((e) =>
      e === '*' ? { address: null, why: 'any router (the lab lists *)' } : { address: resolveTemplates(e, facts), why: 'listed by the lab' },
    );
    const last = hops[hops.length - 1]?.address;
    const dest = last ?? (() => { const to = resolveEndpointText(toText, facts); return to.kind === 'address' ? to.ip : endpointLabel(to); })();
    return { ok: true, hops, destination: dest, notes: [] };
  }
  return grading.predictPath(facts, resolveEndpointText(fromText, facts), resolveEndpointText(toText, facts));
}

const STATUS_WORD: Record<HopVerdict['status'], string> = {
  match: 'ok',
  mismatch: 'WRONG',
  'no-answer': 'no answer',
  missing: 'MISSING',
  extra: 'EXTRA',
};

/** Expected vs observed, one row per hop. */
export function hopTable(check: CheckResult): string[] {
  const v = check.hops?.verdict;
  if (!v) {
    const exp = check.hops?.expected;
    return exp ? [`expected: ${exp.map((h) => h.address ?? '*').join(' → ')}`] : [];
  }
  const rows = v.hops.map((h) => {
    const e = h.expected;
    const expectedText = e ? [e.address ?? '*', e.interface, e.node].filter(Boolean).join(' ') : '-';
    return [String(h.ttl), expectedText, h.observed.length ? h.observed.join(', ') : '*', STATUS_WORD[h.status]];
  });
  const head = ['hop', 'expected', 'observed', ''];
  const widths = head.map((_, i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

/**
 * For a check that traces from a pod: the learner's trace that ran somewhere
 * else (a node shell, their machine), in words, to say why it does not count.
 */
export function traceElsewhere(check: CheckOf<'hops'>, transcript: string | undefined, facts: ClusterFacts): string | undefined {
  if (transcript === undefined) return undefined;
  let from;
  let dest: string | undefined;
  try {
    from = resolveEndpointText(check.from, facts);
    const to = resolveEndpointText(check.to, facts);
    dest = to.kind === 'address' ? to.ip : to.kind === 'pod' ? facts.pods.find((p) => p.name === to.name)?.ip : to.kind === 'node' ? facts.nodes.find((n) => n.name === to.name)?.internalIP : undefined;
  } catch {
    // A pod of the check is not there yet: any trace the learner ran elsewhere is worth naming.
    from = /^pod\/(?:[^/]+\/)?([^/]+)$/.exec(check.from.trim()) ? { kind: 'pod' as const, name: check.from.trim().split('/').at(-1)! } : undefined;
  }
  if (from?.kind !== 'pod') return undefined;
  const pod = from.name;
  const t = traceRuns(shellRuns(transcript)).filter((r) => r.ranOn && r.ranOn !== pod && (!dest || r.destination === dest)).at(-1);
  if (!t) return undefined;
  return `your ${programOf(t.command)}${t.destination ? ` to ${t.destination}` : ''} ran ${placeWords(t.ranOn!, facts)}, but this step asks for it from pod ${pod}`;
}

export const hopsKind: CheckKind<CheckOf<'hops'>, typeof schema> = {
  schema,
  load(c, b, l) {
    return {
      kind: 'hops', ...b, from: c.from, to: c.to, observe: l.command(c.observe, ['observe']),
      title: c.title ?? `hops from ${c.from} to ${c.to}`,
      ...(c.expect ? { expect: c.expect.map((e) => e.trim()) } : {}),
    };
  },
  validate(c, path, v) {
    v.endpoint(c.from, [...path, 'from']);
    v.endpoint(c.to, [...path, 'to']);
    v.command(c.observe, [...path, 'observe']);
    c.expect?.forEach((e, j) => {
      const t = e.trim();
      if (t === '*' || isIPv4(t)) return;
      const { refs } = findTemplates(t);
      if (refs.length !== 1 || refs[0]!.raw !== t || refs[0]!.kind !== 'address') {
        v.issue([...path, 'expect', j], `expected a hop address, an address template like {{ nodes.node-1.eth1 }}, or *, got ${JSON.stringify(e)}`);
      }
    });
  },
  commands: (c) => [c.observe],
  async evaluate(check, { ctx, opts }) {
    const facts = await ctx.facts();
    const hops = { from: check.from, to: check.to, expected: null, expectedFrom: check.expect ? 'lab' : 'engine', notes: [], traceWarnings: [] } as NonNullable<CheckResult['hops']>;
    let pred: PathPrediction;
    try {
      hops.from = endpointLabel(resolveEndpointText(check.from, facts));
      hops.to = endpointLabel(resolveEndpointText(check.to, facts));
      pred = await prediction(facts, check.from, check.to, check.expect);
    } catch (err) {
      return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}`, hops };
    }
    if (!pred.ok) return { ...base(check), passed: false, summary: `no expected path: ${pred.reason}`, error: pred.reason, hops };
    hops.expected = pred.hops;
    hops.notes = pred.notes;
    let traceText = opts.traces?.[check.id];
    let command;
    if (traceText === undefined && fromShell(check.observe, opts)) {
      // "Your traceroute": the learner's own, from their shell; none is no pass.
      const display = typed(check.observe, facts);
      const traces = traceRuns(shellRuns(opts.transcript));
      const dest = pred.destination;
      const want = check.observe.where.kind === 'kubectl' ? undefined : check.observe.where.name;
      const toDest = traces.filter((t) => t.destination === dest);
      const hit = toDest.filter((t) => t.ranOn === undefined || t.ranOn === want).at(-1);
      if (!hit) {
        const last = traces.at(-1);
        const elsewhere = toDest.at(-1);
        const summary = elsewhere?.ranOn
          ? `your ${programOf(elsewhere.command)} to ${dest} ran ${placeWords(elsewhere.ranOn, facts)}, but this step asks for it ${want ? placeWords(want, facts) : `from ${hops.from}`}: run ${display} ${whereWords(check.observe)}`
          : last
            ? `your ${programOf(last.command)} went to ${last.destination ?? '(no address on its command line)'}, but this check traces ${hops.to} at ${dest}: run ${display} ${whereWords(check.observe)}`
            : `no traceroute in your shell yet: run ${display} ${whereWords(check.observe)} (s in hoplab's lab screen, or hoplab ssh)`;
        return { ...base(check), passed: false, summary, hops };
      }
      traceText = `$ ${hit.command}\n${hit.output}`;
    }
    if (traceText === undefined) {
      command = await observe(check.observe, ctx, opts);
      const elsewhere = () => { const e = traceElsewhere(check, opts.transcript, facts); return e ? `; ${e}` : ''; };
      if (command.error) return { ...base(check), passed: false, summary: `${command.error}${elsewhere()}`, error: command.error, command, hops };
      traceText = command.stdout;
      if (!traceText.trim()) {
        const why = `${command.display} printed no trace${command.stderr.trim() ? `: ${command.stderr.trim().split('\n')[0]}` : ''}${elsewhere()}`;
        return { ...base(check), passed: false, summary: why, command, hops };
      }
    }
    const trace = grading.parseTrace(traceText);
    hops.format = trace.format;
    hops.traceWarnings = trace.warnings;
    const verdict = grading.checkTrace(pred, trace, facts);
    // To a ClusterIP the length depends on the endpoint kube-proxy picked: show the path the trace fitted.
    const shown = pred.alternatives ? verdict.hops.flatMap((h) => (h.expected ? [h.expected] : [])) : pred.hops;
    hops.verdict = verdict;
    const plan = grading.evidencePlan(pred, verdict, facts);
    if (plan) hops.evidence = await collectEvidence(ctx.provider, plan, ctx.signal);
    const elsewhere = verdict.passed || !command ? undefined : traceElsewhere(check, opts.transcript, facts);
    const summary = verdict.passed
      ? `${hopWord(shown.length)} as expected: ${shown.map((h) => h.address ?? '*').join(' → ')}`
      : `${verdict.diagnosis ?? `hop ${verdict.firstDifference ?? '?'} differs from the expected path`}${elsewhere ? `; ${elsewhere}` : ''}`;
    return { ...base(check), passed: verdict.passed, summary, ...(command ? { command } : {}), hops };
  },
  render(c) {
    if (c.skipped) return [];
    return [
      ...hopTable(c),
      ...(c.hops?.traceWarnings ?? []).map((w) => `trace: ${w}`),
      ...(c.hops?.verdict?.notes ?? []).map((n) => `note: ${n}`),
      ...(c.hops?.evidence ? evidenceLines(c.hops.evidence) : []),
    ];
  },
};
