// checkTrace: a parsed trace against a prediction, hop by hop. A silent hop
// is no answer, not a mismatch, unless nothing answers after it either; the
// first hop that differs gets a diagnosis.
import type { ClusterFacts } from '../core/facts.js';
import type { HopVerdict, ParsedTrace, PathPrediction, TraceVerdict } from '../path/types.js';
import { describePlace, holderNear } from '../path/places.js';
import { type Row, align } from './align.js';
import { explainAnnotation } from './annotations.js';
import { WARM_HINT, diagnose } from './diagnose.js';
import { answered, observeTrace } from './observed.js';
import { checkServiceTrace } from './service-trace.js';

export function checkTrace(prediction: PathPrediction, trace: ParsedTrace, facts: ClusterFacts): TraceVerdict {
  if (!prediction.ok) return { passed: false, hops: [], diagnosis: `no prediction to check against: ${prediction.reason}` };
  if (prediction.alternatives?.length && trace.hops.length) return checkServiceTrace(prediction, trace, facts);
  if (trace.hops.length === 0) {
    const why = trace.warnings.length ? trace.warnings.slice(0, 3).join('; ') : 'it has no hop lines';
    return {
      passed: false,
      hops: [],
      diagnosis: `the trace could not be read as GNU or busybox traceroute, tracepath or mtr --report output: ${why}`,
    };
  }

  const observed = observeTrace(trace, facts);
  const { rows, lateDestination } = align(prediction.hops, observed, prediction.destination);
  const hops = rows.map(toHopVerdict);
  const notes: string[] = [];

  const lastAnswered = [...rows].reverse().find((r) => answered(r.observed));
  const reached = lastAnswered !== undefined && lastAnswered.status === 'match' && lastAnswered.observed!.addresses.includes(prediction.destination);
  const silentTailStart = reached ? undefined : rows.find((r) => r.ttl > (lastAnswered?.ttl ?? 0) && r.observed);
  const failing = rows.filter((r) => r.status === 'mismatch' || r.status === 'missing' || r.status === 'extra');
  const candidates: { row: Row; silentTail: boolean }[] = failing.map((row) => ({ row, silentTail: false }));
  if (silentTailStart) candidates.push({ row: silentTailStart, silentTail: true });
  if (!reached && candidates.length === 0 && lastAnswered) {
    // Every hop that answered matched, the trace just ends without the destination: nothing after to call silent.
    const next = rows.find((r) => r.ttl > lastAnswered.ttl);
    if (next) candidates.push({ row: next, silentTail: false });
  }
  candidates.sort((a, b) => a.row.ttl - b.row.ttl || Number(a.silentTail) - Number(b.silentTail));
  const first = candidates[0];

  const named = rows.filter((r) => r.observed && r.observed.addresses.length === 0 && r.observed.names.length > 0);
  if (named.length) {
    notes.push(`hop ${named.map((r) => r.ttl).join(', ')} answered with a name only (${named.map((r) => r.observed!.names.join(', ')).join('; ')}), which the cluster facts do not map to an address: run the tool with -n to compare addresses`);
  }
  const silentMiddle = rows.filter((r) => r.status === 'no-answer' && r.observed && !answered(r.observed) && (!first || r.ttl < first.row.ttl) && (lastAnswered ? r.ttl < lastAnswered.ttl : false));
  if (lateDestination) {
    const [from, at] = lateDestination;
    notes.push(`hops ${from}-${at - 1} did not answer and the destination answered at hop ${at}: every probe from hop ${from} on reaches the destination, which rate-limits its ICMP answers (net.ipv4.icmp_ratelimit). That fits the predicted ${from} hops.`);
  } else if (silentMiddle.length) {
    notes.push(`hop ${silentMiddle.map((r) => r.ttl).join(', ')} did not answer (*): not a mismatch, the hops after it answered. ${WARM_HINT}`);
  }

  const endAnnotations = reached ? lastAnswered!.observed!.annotations : [];
  if (endAnnotations.length) {
    const a = endAnnotations;
    notes.push(`the destination answered ${a.join(' ')}: ${a.map(explainAnnotation).join('; ')}`);
  }

  let destinationMismatch: string | undefined;
  if (trace.destination !== undefined && trace.destination !== prediction.destination) {
    const holder = holderNear(facts, trace.destination);
    const what = holder ? ` (${describePlace(holder.place)})` : '';
    const wanted = prediction.target ?? prediction.destination;
    destinationMismatch = `destination mismatch: the trace went to ${trace.destination}${what}, but the prediction is for ${wanted}. Trace ${prediction.destination}, or check against ${trace.destination}.`;
  }

  const verdict: TraceVerdict = { passed: reached && failing.length === 0 && destinationMismatch === undefined, hops };
  if (destinationMismatch) verdict.diagnosis = destinationMismatch;
  else if (!verdict.passed && first) {
    verdict.firstDifference = first.row.ttl;
    const found = diagnose({
      rows,
      row: first.row,
      silentTail: first.silentTail,
      facts,
      destination: prediction.destination,
      sourceNode: prediction.sourceNode,
      sourceAddress: prediction.sourceAddress,
    });
    verdict.diagnosis = found.text;
    verdict.wrongAt = found.wrongAt;
  } else if (!verdict.passed) {
    const names = named.length ? ': some hops answered with names only, run the tool with -n' : '';
    verdict.diagnosis = `the trace never shows ${prediction.destination} answering${names}`;
  }
  if (trace.warnings.length) notes.push(`the parser skipped ${trace.warnings.length} line${trace.warnings.length === 1 ? '' : 's'} it could not read (${trace.warnings[0]})`);
  if (notes.length) verdict.notes = notes;
  return verdict;
}

function toHopVerdict(r: Row): HopVerdict {
  const o = r.observed;
  const observed = o ? (o.addresses.length ? o.addresses : o.names) : [];
  const v: HopVerdict = { ttl: r.ttl, observed: [...observed], status: r.status };
  if (r.expected) v.expected = r.expected;
  return v;
}
