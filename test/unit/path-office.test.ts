// The path engine from the office LAN (seed 001's second half): office PC →
// gateway(s) → node → pod, from the gateways' routing tables in the facts
// and the CNI mode's rules on the nodes. The facts are the netns provider's
// own (plan + LAN), with the routes a learner adds written in.
import { describe, expect, it } from 'vitest';
import type { ClusterFacts, RouteFacts } from '../../src/core/facts.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { lanHostFacts } from '../../src/providers/netns/lan-facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { predictPath } from '../../src/path/predict.js';
import type { EndpointRef, PathPrediction } from '../../src/path/types.js';
import { parseTrace } from '../../src/trace/parse.js';
import { host, pod } from '../helpers/path.js';
import { checkTrace } from '../../src/check/index.js';

const plan = planLab('t', 'flannel-host-gw', 2, { lan: true });
const BASE: ClusterFacts = (() => {
  const f = labFacts(plan, [
    { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.2', phase: 'Running' },
    { name: 'web2', namespace: 'default', node: 'node-2', ip: '10.244.2.2', phase: 'Running' },
  ]);
  return { ...f, hosts: [...f.hosts, ...lanHostFacts(plan)] };
})();

/** The facts with extra routes on some hosts, as the learner adds them. */
function withRoutes(extra: Record<string, RouteFacts[]>, facts = BASE): ClusterFacts {
  return { ...facts, hosts: facts.hosts.map((h) => (extra[h.name] ? { ...h, routes: [...(h.routes ?? []), ...extra[h.name]!] } : h)) };
}

const addresses = (p: PathPrediction) => {
  if (!p.ok) throw new Error(p.reason);
  return p.hops.map((h) => h.address);
};

const TO_NODE_1 = { 'office-gw': [{ dest: '10.244.0.0/16', via: '192.168.56.11', dev: 'eth1' }] };

describe('office LAN, one gateway', () => {
  it('dies at office-gw while it has no route to the pod CIDR, and says so', () => {
    const p = predictPath(BASE, host('office-pc'), pod('httpd'));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.reason).toMatch(/office-gw has no route to 10\.244\.1\.2/);
    expect(p.reason).toMatch(/!N/);
  });

  it('goes office-gw → node-1 → the pod with the route via the pod\'s node', () => {
    const p = predictPath(withRoutes(TO_NODE_1), host('office-pc'), pod('httpd'));
    expect(addresses(p)).toEqual(['192.168.1.1', '192.168.56.11', '10.244.1.2']);
    if (!p.ok) return;
    expect(p.hops.map((h) => [h.node, h.interface])).toEqual([
      ['office-gw', 'eth0'],
      ['node-1', 'eth1'],
      ['node-1', 'eth0'],
    ]);
    expect(p.hops[1]!.why).toMatch(/office-gw's route 10\.244\.0\.0\/16 via 192\.168\.56\.11 dev eth1/);
    expect(p.sourceAddress).toBe('192.168.1.10');
    expect(p.notes.join('\n')).toMatch(/nodes route 192\.168\.1\.10 back via 192\.168\.56\.2 \(office-gw\)/);
  });

  it('takes one hop more when the route points at a node without the pod: that node forwards over the CNI', () => {
    const viaCp = { 'office-gw': [{ dest: '10.244.0.0/16', via: '192.168.56.10', dev: 'eth1' }] };
    const p = predictPath(withRoutes(viaCp), host('office-pc'), pod('httpd'));
    expect(addresses(p)).toEqual(['192.168.1.1', '192.168.56.10', '192.168.56.11', '10.244.1.2']);
    if (!p.ok) return;
    expect(p.hops[1]!.node).toBe('controlplane');
    expect(p.hops[2]!.why).toMatch(/flannel host-gw route on controlplane: 10\.244\.1\.0\/24 via 192\.168\.56\.11/);
  });

  it('the most specific route wins: a /24 to node-2 beats the /16 to node-1', () => {
    const f = withRoutes({ 'office-gw': [...TO_NODE_1['office-gw'], { dest: '10.244.2.0/24', via: '192.168.56.12', dev: 'eth1' }] });
    expect(addresses(predictPath(f, host('office-pc'), pod('web2')))).toEqual(['192.168.1.1', '192.168.56.12', '10.244.2.2']);
    expect(addresses(predictPath(f, host('office-pc'), pod('httpd')))).toEqual(['192.168.1.1', '192.168.56.11', '10.244.1.2']);
  });

  it('drops at a blackhole route and refuses a next hop on no subnet of the gateway', () => {
    const hole = predictPath(withRoutes({ 'office-gw': [{ dest: '10.244.0.0/16', type: 'blackhole' }] }), host('office-pc'), pod('httpd'));
    expect(hole).toMatchObject({ ok: false, reason: expect.stringMatching(/blackhole 10\.244\.0\.0\/16/) });
    const far = predictPath(withRoutes({ 'office-gw': [{ dest: '10.244.0.0/16', via: '10.0.2.15' }] }), host('office-pc'), pod('httpd'));
    expect(far).toMatchObject({ ok: false, reason: expect.stringMatching(/next hop on none of its subnets/) });
  });
});

describe('office LAN, two gateways in a row (branch-pc → branch-gw → corp-gw)', () => {
  it('dies at branch-gw first, then at corp-gw once branch-gw has its route', () => {
    const none = predictPath(BASE, host('branch-pc'), pod('httpd'));
    expect(none).toMatchObject({ ok: false, reason: expect.stringMatching(/^branch-gw has no route/) });
    const half = predictPath(withRoutes({ 'branch-gw': [{ dest: '10.244.0.0/16', via: '172.16.0.1', dev: 'eth1' }] }), host('branch-pc'), pod('httpd'));
    expect(half).toMatchObject({ ok: false, reason: expect.stringMatching(/^corp-gw has no route to 10\.244\.1\.2/) });
  });

  it('needs a route on every gateway: branch-gw → corp-gw → node-1 → the pod', () => {
    const f = withRoutes({
      'branch-gw': [{ dest: '10.244.0.0/16', via: '172.16.0.1', dev: 'eth1' }],
      'corp-gw': [{ dest: '10.244.0.0/16', via: '192.168.56.11', dev: 'eth1' }],
    });
    const p = predictPath(f, host('branch-pc'), pod('httpd'));
    expect(addresses(p)).toEqual(['192.168.2.1', '172.16.0.1', '192.168.56.11', '10.244.1.2']);
    if (!p.ok) return;
    // corp-gw answers from eth0: its route back to the branch (192.168.2.0/24 via 172.16.0.2) leaves there.
    expect(p.hops[1]).toMatchObject({ node: 'corp-gw', interface: 'eth0' });
    expect(p.notes.join('\n')).toMatch(/back via 192\.168\.56\.3 \(corp-gw\)/);
  });

  it('a gateway without a route back answers nowhere: the prediction says so', () => {
    const facts = withRoutes({
      'branch-gw': [{ dest: '10.244.0.0/16', via: '172.16.0.1', dev: 'eth1' }],
      'corp-gw': [{ dest: '10.244.0.0/16', via: '192.168.56.11', dev: 'eth1' }],
    });
    const noWayBack = { ...facts, hosts: facts.hosts.map((h) => (h.name === 'corp-gw' ? { ...h, routes: h.routes!.filter((r) => r.dest !== '192.168.2.0/24') } : h)) };
    const p = predictPath(noWayBack, host('branch-pc'), pod('httpd'));
    expect(p.ok && p.notes.join('\n')).toMatch(/corp-gw has no route back to 192\.168\.2\.10/);
  });
});

describe('the VirtualBox host on the host-only network', () => {
  it('reaches the pods with one route and no gateway: host → node → pod', () => {
    const f = withRoutes({ host: [{ dest: '10.244.0.0/16', via: '192.168.56.10', dev: 'vboxnet0' }] });
    const p = predictPath(f, host('host'), pod('httpd'));
    expect(addresses(p)).toEqual(['192.168.56.10', '192.168.56.11', '10.244.1.2']);
    // The host shares the nodes' link: no return route is needed, so no such note.
    expect(p.ok && p.notes.join('\n')).not.toMatch(/route .* back/);
  });
});

describe('grading a trace from the office', () => {
  const facts = withRoutes(TO_NODE_1);
  const pred = predictPath(facts, host('office-pc'), pod('httpd'));
  const grade = (text: string) => checkTrace(pred, parseTrace(text), facts);

  it('passes the real trace (captured in the netns lab, kernel 6.18)', () => {
    const v = grade(
      [
        'traceroute to 10.244.1.2 (10.244.1.2), 5 hops max, 60 byte packets',
        ' 1  192.168.1.1  0.042 ms  0.006 ms  0.005 ms',
        ' 2  192.168.56.11  0.040 ms  0.012 ms  0.011 ms',
        ' 3  10.244.1.2  0.035 ms  0.016 ms  0.016 ms',
      ].join('\n'),
    );
    expect(v.passed).toBe(true);
  });

  it('names node-1 and the missing way back when nothing answers after the gateway', () => {
    const v = grade(
      [
        'traceroute to 10.244.1.2 (10.244.1.2), 5 hops max, 60 byte packets',
        ' 1  192.168.1.1  0.044 ms  0.006 ms  0.005 ms',
        ' 2  * * *',
        ' 3  * * *',
        ' 4  * * *',
        ' 5  * * *',
      ].join('\n'),
    );
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBe(2);
    expect(v.diagnosis).toMatch(/node-1/);
    expect(v.diagnosis).toMatch(/192\.168\.1\.0\/24 via 192\.168\.56\.2/);
  });

  it('names the wrong node when the trace goes through controlplane but the route should point at node-1', () => {
    const v = grade(
      [
        'traceroute to 10.244.1.2 (10.244.1.2), 5 hops max, 60 byte packets',
        ' 1  192.168.1.1  0.026 ms  0.006 ms  0.006 ms',
        ' 2  192.168.56.10  0.033 ms  0.012 ms  0.012 ms',
        ' 3  192.168.56.11  0.036 ms  0.022 ms  0.020 ms',
        ' 4  10.244.1.2  0.034 ms  0.025 ms  0.023 ms',
      ].join('\n'),
    );
    expect(v.passed).toBe(false);
    expect(v.firstDifference).toBe(2);
    expect(v.diagnosis).toMatch(/controlplane/);
    expect(v.diagnosis).toMatch(/office-gw/);
  });
});

describe("a Service's ClusterIP from the office (TCP trace to its port)", () => {
  const VIP = '10.100.33.197';
  const withSvc = (routes: Record<string, RouteFacts[]>): ClusterFacts => ({
    ...withRoutes(routes),
    services: [{ name: 'httpd', namespace: 'default', clusterIP: VIP, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], endpoints: ['10.244.1.2'], type: 'ClusterIP' }],
  });
  const toNode = (via: string) => ({ 'office-gw': [{ dest: '10.96.0.0/12', via, dev: 'eth1' }] });
  const addr = (ip: string): EndpointRef => ({ kind: 'address', ip });

  it('answers as the ClusterIP from the node the gateway routes to on; the gateway answers as itself', () => {
    const p = predictPath(withSvc(toNode('192.168.56.11')), host('office-pc'), addr(VIP));
    expect(addresses(p)).toEqual(['192.168.1.1', VIP, VIP]);
    if (!p.ok) return;
    expect(p.hops.map((h) => h.node)).toEqual(['office-gw', 'node-1', 'node-1']);
    expect(p.alternatives?.map((a) => a.endpoint)).toEqual(['10.244.1.2']);
    expect(p.notes.join('\n')).toMatch(/node-1 is where the gateways deliver 10\.100\.33\.197.*KUBE-MARK-MASQ/);
  });

  it('takes the forwarding hop when the route points at a node without the endpoint', () => {
    const p = predictPath(withSvc(toNode('192.168.56.10')), host('office-pc'), addr(VIP));
    expect(addresses(p)).toEqual(['192.168.1.1', VIP, VIP, VIP]);
    expect(p.ok && p.hops.map((h) => h.node)).toEqual(['office-gw', 'controlplane', 'node-1', 'node-1']);
  });

  it('says where it dies without the route for the Service CIDR', () => {
    const p = predictPath(withSvc({}), host('office-pc'), addr(VIP));
    expect(p).toMatchObject({ ok: false, reason: expect.stringMatching(/office-gw has no route to 10\.100\.33\.197/) });
  });

  it('grades the real TCP trace (netns lab, kernel 6.18) and fails a UDP one that was never DNATed', () => {
    const facts = withSvc(toNode('192.168.56.11'));
    const pred = predictPath(facts, host('office-pc'), addr(VIP));
    const tcp = [
      `traceroute to ${VIP} (${VIP}), 6 hops max, 60 byte packets`,
      ' 1  192.168.1.1  0.032 ms  0.006 ms  0.006 ms',
      ` 2  ${VIP}  0.060 ms  0.015 ms  0.014 ms`,
      ` 3  ${VIP}  0.045 ms  0.022 ms  0.020 ms`,
    ].join('\n');
    expect(checkTrace(pred, parseTrace(tcp), facts).passed).toBe(true);
    const udp = [
      `traceroute to ${VIP} (${VIP}), 5 hops max, 60 byte packets`,
      ' 1  192.168.1.1  0.035 ms  0.007 ms  0.005 ms',
      ' 2  192.168.56.11  0.045 ms  0.014 ms  0.013 ms',
      ' 3  * * *',
      ' 4  * * *',
      ' 5  * * *',
    ].join('\n');
    const v = checkTrace(pred, parseTrace(udp), facts);
    expect(v.passed).toBe(false);
    expect(v.diagnosis).toMatch(/hop 2 .*192\.168\.56\.11.*node-1.*not DNATed/);
  });
});

describe('office LAN on flannel vxlan (checked against the netns lab, kernel 6.18)', () => {
  const vx = planLab('t', 'flannel-vxlan', 2, { lan: true });
  const f0 = labFacts(vx, [{ name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', phase: 'Running' }]);
  const facts = (via: string): ClusterFacts => ({
    ...f0,
    hosts: [...f0.hosts, ...lanHostFacts(vx)].map((h) => (h.name === 'office-gw' ? { ...h, routes: [{ dest: '10.244.0.0/16', via, dev: 'eth1' }] } : h)),
  });

  it('reaches the pod straight through the node the route names', () => {
    expect(addresses(predictPath(facts('192.168.56.11'), host('office-pc'), pod('httpd')))).toEqual(['192.168.1.1', '192.168.56.11', '10.244.1.3']);
  });

  it("through another node, the pod's node answers from flannel.1: flannel masqueraded the office's packets onto controlplane's flannel.1", () => {
    const p = predictPath(facts('192.168.56.10'), host('office-pc'), pod('httpd'));
    expect(addresses(p)).toEqual(['192.168.1.1', '192.168.56.10', '10.244.1.0', '10.244.1.3']);
    expect(p.ok && p.hops[2]).toMatchObject({ node: 'node-1', interface: 'flannel.1' });
  });
});
