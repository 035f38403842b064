// A traced path can start on a host (an office PC, a gateway), not only in a
// pod or on a node: a check's `from` says where, and every drawing (text,
// SVG, the graph) starts the path there (issue 18, the topology's path).
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../src/core/facts.js';
import type { CheckResult } from '../../src/labs/results.js';
import { lanHostFacts } from '../../src/providers/netns/lan-facts.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { buildTopology, machineId, pathLine } from '../../src/topology/model.js';
import { lightPath, pathFromCheck, pathFromChecks, traceStart } from '../../src/topology/path.js';
import { predictedPath } from '../../src/topology/predicted.js';
import { toSvg } from '../../src/topology/svg.js';
import { drawTopology, lineText } from '../../src/topology/text.js';
import { toDot } from '../../src/topology/graph.js';

function officeFacts(): ClusterFacts {
  const plan = planLab('t', 'flannel-host-gw', 2, { lan: true });
  const f = labFacts(plan, [{ name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', hostVeth: 'vetha' }]);
  return { ...f, hosts: [...f.hosts, ...lanHostFacts(plan)].map((h) => (h.name === 'office-gw' ? { ...h, routes: [{ dest: '10.244.0.0/16', via: '192.168.56.11', dev: 'eth1' }] } : h)) };
}

/** A passed hops check from `from`, with the hops the engine predicts for office-pc → httpd. */
function check(from: string, facts: ClusterFacts): CheckResult {
  const hops = predictedPath(facts, 'office-pc', 'httpd').hops;
  return {
    id: 'trace',
    kind: 'hops',
    title: 'from the office',
    passed: true,
    summary: 'ok',
    hops: {
      from,
      to: 'pod/httpd',
      expected: null,
      expectedFrom: 'engine',
      notes: [],
      traceWarnings: [],
      verdict: { passed: true, hops: hops.map((h) => ({ ttl: h.ttl, status: 'match', observed: [h.address!], expected: { address: h.address!, ...(h.node ? { node: h.node } : {}) } })) },
    },
  } as unknown as CheckResult;
}

describe('a path that starts on a host', () => {
  const facts = officeFacts();
  const officePc = facts.hosts.find((h) => h.name === 'office-pc')!;
  const out = officePc.interfaces.find((i) => i.address)!;

  it('traceStart reads pod, pod with namespace, node and host labels', () => {
    expect(traceStart('pod/httpd')).toEqual({ pod: 'httpd' });
    expect(traceStart('pod/kube-system/coredns')).toEqual({ pod: 'coredns' });
    expect(traceStart('node/node-2')).toEqual({ node: 'node-2' });
    expect(traceStart('host/office-pc')).toEqual({ host: 'office-pc' });
    expect(traceStart('10.244.1.3')).toEqual({});
  });

  it("pathFromCheck: a check from host/office-pc starts the path on office-pc's interface", () => {
    const p = pathFromCheck(check('host/office-pc', facts))!;
    expect(p.fromHost).toBe('office-pc');
    expect(p.fromPod).toBeUndefined();
    const { lit } = lightPath(facts, p);
    expect(lit.get(`if:office-pc:${out.name}`)).toEqual({ order: 0, ok: true });
    expect(pathFromChecks([{ ...check('host/office-pc', facts), hops: undefined } as CheckResult])).toBeUndefined();
    expect(pathFromChecks([check('host/office-pc', facts), { ...check('x', facts), hops: undefined } as CheckResult])!.fromHost).toBe('office-pc');
  });

  it('the graph, the text and the SVG all start at office-pc (badge 0), the engine path too', () => {
    for (const p of [pathFromCheck(check('host/office-pc', facts))!, predictedPath(facts, 'office-pc', 'httpd')]) {
      const t = buildTopology(facts, p);
      expect(t.path!.from).toBe('office-pc');
      expect(t.path!.fromAt).toBe(machineId('office-pc'));
      expect(pathLine(t)).toMatch(/^0▸ office-pc → 1▸ /);
      expect(toDot(t)).toContain(machineId('office-pc'));
      const text = drawTopology(facts, { width: 120, path: p }).map(lineText).join('\n');
      expect(text).toContain('0▸ office-pc');
      const svg = toSvg(t);
      // The start's badge: a circle with 0 in it, and an arrow from it to hop 1.
      expect(svg).toMatch(/<text [^>]*text-anchor="middle">0<\/text>/);
      expect(svg.match(/marker-end="url\(#arrow\)"/g)!.length).toBe(p.hops.length);
    }
  });
});
