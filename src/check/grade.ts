// gradeTrace: the whole check-trace job on text the user typed or pasted:
// resolve both endpoints, predict, parse, compare.
import type { ClusterFacts } from '../core/facts.js';
import { predictPath } from '../path/predict.js';
import { resolveEndpoint } from '../path/resolve.js';
import type { EndpointRef, ParsedTrace, PathPrediction, TraceVerdict } from '../path/types.js';
import { parseTrace } from '../trace/parse.js';
import { checkTrace } from './check.js';

export interface GradeResult {
  from: EndpointRef;
  to: EndpointRef;
  prediction: PathPrediction;
  trace: ParsedTrace;
  verdict: TraceVerdict;
}

/** Throws UsageError when an endpoint names nothing in the facts; everything else is in the verdict. */
export function gradeTrace(facts: ClusterFacts, fromText: string, toText: string, traceText: string): GradeResult {
  const from = resolveEndpoint(facts, fromText);
  const to = resolveEndpoint(facts, toText);
  const prediction = predictPath(facts, from, to);
  const trace = parseTrace(traceText);
  return { from, to, prediction, trace, verdict: checkTrace(prediction, trace, facts) };
}
