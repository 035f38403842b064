// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and sums self time
// per function, so the benchmark can print where the daemon spent its CPU.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  /** file:line, relative to the package where possible. */
  where: string;
  selfMs: number;
  share: number;
}

/** The functions with the most self time, heaviest first; (idle) and (program) included, they say how busy the loop was. */
export function topFunctions(profile: CpuProfile, count: number): HotFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next one.
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, HotFunction>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)?.callFrame;
    if (!f) continue;
    const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
    const where = file ? `${file}:${f.lineNumber + 1}` : '';
    const name = f.functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const h = byFunction.get(key) ?? { name, where, selfMs: 0, share: 0 };
    h.selfMs += us / 1000;
    h.share = (h.selfMs * 1000) / total;
    byFunction.set(key, h);
  }
  return [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, count);
}
