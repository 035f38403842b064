// The fault catalogue's pure parts: which faults a mode and provider can
// have, where a fault goes by default, the seeded pick, and that every plan
// undoes only what is still in place. The real kernel proves the faults in
// test/integration/faults-netns.test.ts.
import { describe, expect, it } from 'vitest';
import { CNI_MODES, type ClusterFacts, type CniMode } from '../../src/core/facts.js';
import { FAULTS, findFault } from '../../src/faults/catalogue.js';
import { applicable, pickRandom, refusal, resolveTarget, seededRandom } from '../../src/faults/select.js';
import { seedNodes } from '../helpers/path.js';

function cluster(cni: CniMode, workers = 2, services = true): ClusterFacts {
  const names = ['controlplane', ...Array.from({ length: workers }, (_, i) => `node-${i + 1}`)];
  const nodes = seedNodes(names, (i) => [
    { name: 'cni0', address: `10.244.${i}.1`, prefixLength: 24 },
    { name: 'flannel.1', address: `10.244.${i}.0`, prefixLength: 32, mac: `02:00:00:00:00:0${i}` },
    { name: 'vxlan.calico', address: `10.244.${i}.64`, prefixLength: 32, mac: `02:00:00:00:01:0${i}` },
  ]);
  return {
    provider: 'netns', cni, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', nodes, pods: [], hosts: [],
    services: services ? [{ name: 'kubernetes', namespace: 'default', clusterIP: '10.96.0.1', ports: [{ port: 443, protocol: 'TCP', name: 'https' }], endpoints: [] }, { name: 'web', namespace: 'default', clusterIP: '10.96.0.20', ports: [{ port: 80, protocol: 'TCP' }], endpoints: ['10.244.1.3'] }] : [],
  };
}

describe('the fault catalogue', () => {
  it('has the issue\'s faults, each with a description and at least one mode', () => {
    for (const name of ['route-missing', 'route-wrong-node', 'flannel-nat', 'vxlan-mtu', 'fdb-missing', 'vtep-wrong', 'ip-forward-off', 'bird-peer-down', 'kube-proxy-rule-missing', 'dns-down', 'node-ip-nat']) {
      expect(findFault(name), name).toBeDefined();
    }
    for (const f of FAULTS) {
      expect(f.description.length).toBeGreaterThan(20);
      expect(f.modes.length).toBeGreaterThan(0);
    }
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
  });

  it('applies host-gw faults to host-gw, VXLAN faults to VXLAN modes, BGP faults to BIRD modes', () => {
    const names = (m: CniMode) => applicable(m, 'netns').map((f) => f.name);
    expect(names('flannel-host-gw')).toEqual(expect.arrayContaining(['route-missing', 'route-wrong-node', 'flannel-nat', 'ip-forward-off', 'dns-down']));
    expect(names('flannel-host-gw')).not.toContain('fdb-missing');
    expect(names('flannel-vxlan')).toEqual(expect.arrayContaining(['fdb-missing', 'vtep-wrong', 'vxlan-mtu', 'flannel-nat']));
    expect(names('flannel-vxlan')).not.toContain('route-missing');
    expect(names('calico-bgp')).toContain('bird-peer-down');
    expect(names('calico-vxlan')).not.toContain('bird-peer-down');
    expect(names('calico-bgp')).not.toContain('node-ip-nat');
    expect(applicable('flannel-host-gw', 'netns', false).map((f) => f.name)).not.toContain('kube-proxy-rule-missing');
  });

  it('refuses a wrong mode as bad input and a provider that cannot as the machine\'s limit, with the reason', () => {
    expect(refusal(findFault('fdb-missing')!, 'flannel-host-gw', 'netns')).toEqual({ kind: 'bad', reason: expect.stringMatching(/applies to flannel-vxlan, calico-vxlan; the cluster runs flannel-host-gw/) });
    expect(refusal(findFault('node-ip-nat')!, 'flannel-host-gw', 'netns')).toMatchObject({ kind: 'machine', reason: expect.stringMatching(/netns provider: the embedded API/) });
    expect(refusal(findFault('route-missing')!, 'flannel-host-gw', 'kubeconfig')?.kind).toBe('machine');
    expect(refusal(findFault('node-ip-nat')!, 'flannel-host-gw', 'vagrant')).toBeUndefined();
  });

  it('goes to node-2 by default, cutting it off from node-1, with the control plane as "the wrong node"', () => {
    const facts = cluster('flannel-host-gw');
    expect(resolveTarget(findFault('route-wrong-node')!, facts)).toEqual({ node: 'node-2', peer: 'node-1', other: 'controlplane' });
    expect(resolveTarget(findFault('route-missing')!, facts, { node: 'node-1' })).toMatchObject({ node: 'node-1', peer: 'node-2' });
    expect(resolveTarget(findFault('kube-proxy-rule-missing')!, facts).service).toBe('web');
    expect(() => resolveTarget(findFault('route-missing')!, facts, { node: 'node-9' })).toThrow(/--node 'node-9': the cluster has no such node \(nodes: controlplane, node-1, node-2\)/);
    expect(() => resolveTarget(findFault('kube-proxy-rule-missing')!, cluster('flannel-host-gw', 2, false))).toThrow(/the lab has none yet/);
    expect(() => resolveTarget(findFault('kube-proxy-rule-missing')!, facts, { service: 'kubernetes' })).toThrow(/--service 'kubernetes'/);
  });

  it('picks the same fault and node for the same seed, and spreads seeds over faults and nodes', () => {
    const facts = cluster('flannel-vxlan', 4);
    const a = pickRandom(facts, 'netns', 42);
    const b = pickRandom(facts, 'netns', 42);
    expect([a.fault.name, a.node]).toEqual([b.fault.name, b.node]);
    const picks = new Set(Array.from({ length: 40 }, (_, s) => { const p = pickRandom(facts, 'netns', s); return `${p.fault.name}@${p.node}`; }));
    expect(picks.size).toBeGreaterThan(10);
    for (const p of picks) expect(applicable('flannel-vxlan', 'netns').map((f) => f.name)).toContain(p.split('@')[0]);
    const r = seededRandom(1);
    const xs = [r(), r(), r()];
    expect(new Set(xs).size).toBe(3);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('plans every fault on every mode it applies to, and clears only while it is in place', () => {
    for (const mode of CNI_MODES) {
      const facts = cluster(mode);
      for (const f of applicable(mode, 'vagrant').concat(applicable(mode, 'netns'))) {
        const p = f.plan(facts, resolveTarget(f, facts), mode);
        expect(p.inject.length, `${f.name} ${mode}`).toBeGreaterThan(0);
        expect(p.clear.length).toBeGreaterThan(0);
        for (const a of p.clear) if ('cmd' in a) expect(a.cmd).toMatch(/^if .+; then .+; fi$/);
        expect(p.finds.symptom).not.toBe('');
        expect(p.finds.evidence.length).toBeGreaterThan(0);
        // No command reaches another namespace or the machine itself.
        for (const a of [...p.inject, p.took, ...p.clear]) expect('cmd' in a ? a.cmd : a.kubectl).not.toMatch(/ip netns|nsenter/);
        if (p.finds.diagnosis) expect(() => new RegExp(p.finds.diagnosis!)).not.toThrow();
      }
    }
  });

  it('writes the commands from the facts: the peer\'s CIDR, the wrong node, the VTEP\'s MAC, kube-proxy\'s chain', () => {
    const hostGw = cluster('flannel-host-gw');
    expect(findFault('route-wrong-node')!.plan(hostGw, resolveTarget(findFault('route-wrong-node')!, hostGw), 'flannel-host-gw').inject).toEqual([{ on: 'node-2', cmd: 'ip route replace 10.244.1.0/24 via 192.168.56.10' }]);
    const vx = cluster('calico-vxlan');
    const fdb = findFault('fdb-missing')!.plan(vx, resolveTarget(findFault('fdb-missing')!, vx), 'calico-vxlan');
    expect(fdb.inject).toEqual([{ on: 'node-2', cmd: 'bridge fdb del 02:00:00:00:01:01 dev vxlan.calico dst 192.168.56.11 self' }]);
    const kp = findFault('kube-proxy-rule-missing')!.plan(hostGw, resolveTarget(findFault('kube-proxy-rule-missing')!, hostGw), 'flannel-host-gw');
    expect(JSON.stringify(kp.clear)).toMatch(/-d 10\.96\.0\.20\/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-[A-Z0-9]{16}/);
    const bird = findFault('bird-peer-down')!.plan(cluster('calico-bgp'), resolveTarget(findFault('bird-peer-down')!, cluster('calico-bgp')), 'calico-bgp');
    expect(bird.inject[0]).toMatchObject({ on: 'node-2', cmd: expect.stringContaining('disable Mesh_192_168_56_11') });
  });
});
