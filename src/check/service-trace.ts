// Grading a traceroute to a ClusterIP. Each probe is its own connection and
// kube-proxy picks an endpoint per connection, so a probe with TTL t may
// answer as hop t of any endpoint's path (or as the destination, for an
// endpoint closer than t). The trace passes when every answer is one of
// those, nothing answers beyond the longest path, and the Service answered.
import type { ClusterFacts } from '../core/facts.js';
import type { ExpectedHop, HopVerdict, ParsedTrace, PathPrediction, ServiceAlternative, TraceVerdict } from '../path/types.js';
import { answered, observeTrace } from './observed.js';

type Ok = Extract<PathPrediction, { ok: true }>;

/** What may answer at TTL t: hop t of each path long enough, the destination for the shorter ones. */
function acceptable(alts: ServiceAlternative[], ttl: number, destination: string): Set<string> {
  const out = new Set<string>();
  for (const a of alts) {
    const h = a.hops[Math.min(ttl, a.hops.length) - 1];
    out.add(ttl <= a.hops.length ? (h?.address ?? destination) : destination);
  }
  return out;
}

function describe(alt: ServiceAlternative): string {
  return `${alt.endpoint}${alt.pod ? ` (pod ${alt.pod}${alt.node ? ` on ${alt.node}` : ''})` : ''}`;
}

function mismatchDiagnosis(ttl: number, got: string[], allowed: Set<string>, p: Ok, facts: ClusterFacts): string {
  const alts = p.alternatives ?? [];
  const endpoint = alts.find((a) => got.includes(a.endpoint));
  if (endpoint) {
    return `hop ${ttl} answered from the pod address ${endpoint.endpoint}, not from ${p.destination}: this trace did not go through the Service's DNAT (was it sent to the pod's IP?)`;
  }
  const nodeAddr = facts.nodes.find((n) => n.interfaces.some((i) => i.address && got.includes(i.address)));
  const why = nodeAddr
    ? `, an address of ${nodeAddr.name}: the probes were not DNATed, so their answers were not rewritten (a trace to ${p.destination} with UDP or ICMP probes matches no kube-proxy rule)`
    : '';
  return `hop ${ttl} answered from ${got.join(', ')}, expected ${[...allowed].join(' or ')}${why}`;
}

export function checkServiceTrace(p: Ok, trace: ParsedTrace, facts: ClusterFacts): TraceVerdict {
  const alts = p.alternatives ?? [];
  const maxLen = Math.max(...alts.map((a) => a.hops.length));
  const observed = observeTrace(trace, facts);
  const lastTtl = Math.max(0, ...observed.keys());
  const hops: HopVerdict[] = [];
  let firstBad: { ttl: number; diagnosis: string } | undefined;

  const lastAnswered = [...observed.values()].filter(answered).sort((a, b) => b.ttl - a.ttl)[0];
  const reachedAt = lastAnswered && lastAnswered.addresses.includes(p.destination) ? lastAnswered.ttl : undefined;
  // The path the trace's length fits, for the expected column.
  const fitting = alts.find((a) => a.hops.length === reachedAt) ?? alts[0]!;

  for (let ttl = 1; ttl <= Math.max(lastTtl, 1); ttl++) {
    const o = observed.get(ttl);
    const expected: ExpectedHop | undefined = fitting.hops[ttl - 1];
    const v: HopVerdict = { ttl, observed: o ? (o.addresses.length ? [...o.addresses] : [...o.names]) : [], status: 'no-answer' };
    if (expected) v.expected = expected;
    if (!o || !answered(o)) {
      v.status = ttl > maxLen ? 'extra' : o ? 'no-answer' : 'missing';
    } else if (ttl > maxLen && (!o.addresses.every((a) => a === p.destination) || answered(observed.get(maxLen)))) {
      // Every probe with TTL maxLen reaches an endpoint; later ones only appear when those went unanswered.
      v.status = 'extra';
      firstBad ??= { ttl, diagnosis: `hop ${ttl} is beyond the longest way to any endpoint (${maxLen} hop${maxLen === 1 ? '' : 's'})` };
    } else {
      const allowed = acceptable(alts, ttl, p.destination);
      const bad = o.addresses.filter((a) => !allowed.has(a));
      v.status = bad.length || o.addresses.length === 0 ? 'mismatch' : 'match';
      if (v.status === 'mismatch') firstBad ??= { ttl, diagnosis: mismatchDiagnosis(ttl, o.addresses.length ? bad : o.names, allowed, p, facts) };
    }
    hops.push(v);
  }

  const notes: string[] = [];
  if (reachedAt !== undefined) {
    const fits = alts.filter((a) => a.hops.length === reachedAt).map(describe);
    if (fits.length) notes.push(`the Service answered at hop ${reachedAt}: the way to ${fits.join(' or ')}`);
  }
  let diagnosis: string | undefined;
  const otherDestination = trace.destination !== undefined && trace.destination !== p.destination;
  if (otherDestination) {
    diagnosis = `destination mismatch: the trace went to ${trace.destination}, but the prediction is for ${p.target ?? p.destination}`;
  } else if (firstBad) {
    diagnosis = firstBad.diagnosis;
  } else if (reachedAt !== undefined && reachedAt < Math.min(...alts.map((a) => a.hops.length))) {
    diagnosis = `the Service answered at hop ${reachedAt}, but its nearest endpoint is ${Math.min(...alts.map((a) => a.hops.length))} hops away`;
  } else if (reachedAt === undefined) {
    diagnosis = `the trace never shows ${p.destination} answering: only probes to the Service's port reach an endpoint (traceroute -T -p PORT); UDP probes follow the default route out of the cluster`;
  }
  const passed = diagnosis === undefined;
  const verdict: TraceVerdict = { passed, hops, notes };
  if (!passed) {
    verdict.diagnosis = diagnosis;
    if (!otherDestination) verdict.wrongAt = { kind: 'service', ...dnatNode(p, facts) };
    const bad = hops.find((h) => h.status === 'mismatch' || h.status === 'extra');
    if (bad) verdict.firstDifference = bad.ttl;
  }
  return verdict;
}

/** Where kube-proxy's DNAT happens: the source's node, or the first node on the way (a trace from a lab host). */
function dnatNode(p: Ok, facts: ClusterFacts): { machine: string; lookup: string } | Record<string, never> {
  const isNode = (n: string | undefined) => n !== undefined && facts.nodes.some((x) => x.name === n);
  const machine = isNode(p.sourceNode) ? p.sourceNode : (p.alternatives ?? []).flatMap((a) => a.hops).find((h) => isNode(h.node))?.node;
  return machine ? { machine, lookup: p.destination } : {};
}
