// The UI on fakes at its edges: several shell places, a resize, a kernel
// that cannot build a lab's mode.
import { describe, expect, it } from 'vitest';
import { miniLab, tick } from './fakes.js';
import { DOWN, ENTER, ESC, mount } from './mount.js';

describe('App at the edges', () => {
  it('s on a step that runs in several places asks where, then opens the one picked', async () => {
    const t = await mount('up');
    const lab = miniLab();
    lab.steps[0]!.run.push({ ...lab.steps[0]!.run[0]!, where: { kind: 'kubectl' }, text: 'get pods', display: 'kubectl get pods' });
    lab.steps[0]!.run.push({ ...lab.steps[0]!.run[0]!, where: { kind: 'pod', name: 'httpd' }, text: 'ip addr', display: 'ip addr' });
    t.deps.loadCatalog = async () => ({ labs: [lab], errors: [] });
    await t.press('g'); // look again: the lab list is reloaded
    await t.press(ENTER);
    await t.press('s');
    const f = t.lastFrame()!;
    expect(f).toContain('Open a shell where?');
    expect(f).toContain('› on controlplane');
    expect(f).toContain('here, with kubectl set for the lab');
    expect(f).toContain('in pod httpd');
    await t.press(DOWN);
    await t.press(DOWN);
    await t.press(ENTER);
    expect(t.shells[0]).toMatchObject({ args: ['-c', 'echo shell on httpd'] });
    expect(t.lastFrame()).not.toContain('Open a shell where?');
    await t.press('s');
    await t.press(ESC);
    expect(t.lastFrame()).not.toContain('Open a shell where?');
    expect(t.shells).toHaveLength(1);
  });

  it('reflows when the terminal is resized', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press(ENTER);
    await t.press('t');
    expect(t.lastFrame()!.split('\n').filter((l) => l.includes('┌')).length).toBe(1);
    Object.defineProperty(t.stdout, 'columns', { get: () => 60 });
    t.stdout.emit('resize');
    await tick(20);
    expect(t.lastFrame()!.split('\n').filter((l) => l.includes('┌')).length).toBe(2);
  });

});

describe('App, a lab this kernel cannot build', () => {
  it('marks the mode on the start screen and says so on Enter instead of failing a bring-up', async () => {
    const lab = { ...miniLab(), cni: ['calico-ipip' as const] };
    const t = await mount('down', { workingModes: async () => ['flannel-host-gw', 'calico-bgp'], loadCatalog: async () => ({ labs: [lab], errors: [] }) });
    expect(t.lastFrame()).toContain('calico-ipip (✗ not on this kernel)');
    await t.press(ENTER);
    expect(t.lastFrame()).toContain("needs calico-ipip, which this machine's kernel cannot build");
    expect(t.provider.upCalls).toHaveLength(0);
  });
});

describe('App, a lab that uses the office LAN', () => {
  it('asks, then brings the cluster up with it', async () => {
    const t = await mount('down');
    const lab = { ...miniLab(), cluster: { lan: true } };
    t.deps.loadCatalog = async () => ({ labs: [lab], errors: [] });
    await t.press('g');
    await t.press(ENTER);
    expect(t.lastFrame()).toContain("'Mini lab' uses the office LAN");
    expect(t.provider.upCalls).toHaveLength(0);
    await t.press('y');
    await tick(20);
    expect(t.provider.upCalls[0]).toMatchObject({ cni: 'flannel-host-gw', workers: 2, lan: true });
    expect(t.lastFrame()).toContain('Step 1/2: Node to node');
  });

  it('adds it to a running cluster that lacks it, after asking', async () => {
    const t = await mount('up');
    const lab = { ...miniLab(), cluster: { lan: true } };
    t.deps.loadCatalog = async () => ({ labs: [lab], errors: [] });
    await t.press('g');
    await t.press(ENTER);
    expect(t.lastFrame()).toContain('The cluster and its pods stay as they are.');
    await t.press(ESC);
    expect(t.provider.upCalls).toHaveLength(0);
    expect(t.lastFrame()).toContain('Labs');
    await t.press(ENTER);
    await t.press('y');
    await tick(20);
    expect(t.provider.upCalls[0]).toMatchObject({ cni: 'flannel-host-gw', workers: 2, lan: true });
    expect(t.provider.downCalls).toBe(0);
    expect(t.lastFrame()).toContain('Step 1/2: Node to node');
  });
});

describe('App, a shell in a pod that is not there', () => {
  it('says so and names the step that creates it, instead of a kubectl error', async () => {
    const t = await mount('up');
    const lab = miniLab();
    lab.steps[0]!.run = [{ ...lab.steps[0]!.run[0]!, where: { kind: 'pod', name: 'traceroute' }, text: 'ip addr', display: 'ip addr' }];
    lab.steps[1]!.run.push({ ...lab.steps[1]!.run[0]!, text: 'run traceroute --image=busybox -- sleep 1d', display: 'kubectl run traceroute --image=busybox -- sleep 1d' });
    t.deps.loadCatalog = async () => ({ labs: [lab], errors: [] });
    await t.press('g');
    await t.press(ENTER);
    await t.press('s');
    expect(t.lastFrame()).toContain('› in pod traceroute');
    await t.press(ENTER);
    expect(t.shells).toHaveLength(0);
    expect(t.lastFrame()).toContain("pod traceroute is not there yet: step 2 'Which veth?' creates it");
  });
});
