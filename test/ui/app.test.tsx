// The whole UI on fakes: start screen → bring-up → lab → run/check/shell →
// lab complete, quitting, Ctrl-C during bring-up, progress across restarts.
import { describe, expect, it } from 'vitest';
import { tick } from './fakes.js';
import { CTRL_C, DOWN, ENTER, ESC, mount } from './mount.js';

describe('App', () => {
  it('starts on the lab list with the cluster state and the keys', async () => {
    const t = await mount('down');
    const f = t.lastFrame()!;
    expect(f).toContain('Mini lab');
    expect(f).toContain('flannel-host-gw · ~5 min · 2 steps · not started');
    expect(f).toContain("lab 'tui' · netns · ○ down");
    expect(f).toContain('everything the embedded lab needs is here');
    expect(f).toContain('Enter open');
    expect(f).toContain('q quit');
  });

  it('Enter brings the cluster up, shows progress, then opens the lab', async () => {
    const t = await mount('down');
    t.provider.hold = true;
    await t.type(ENTER);
    expect(t.lastFrame()).toContain("bringing up lab 'tui' (flannel-host-gw, 3 nodes)");
    expect(t.lastFrame()).toMatch(/controlplane\s+◔ node-network/);
    expect(t.lastFrame()).toContain('wiring controlplane');
    t.provider.release();
    await t.controller.settled();
    await tick(20);
    expect(t.provider.upCalls[0]!.cni).toBe('flannel-host-gw');
    expect(t.lastFrame()).toContain('Step 1/2: Node to node');
    expect(t.frames.join('')).toContain("✓ lab 'tui' is up");
  });

  it('a failed bring-up shows the message and the hint, no stack trace', async () => {
    const t = await mount('down');
    const { MachineError } = await import('../../src/core/errors.js');
    t.provider.failUp = new MachineError('missing on this machine: traceroute', "run 'sudo hoplab doctor --install'");
    await t.press(ENTER);
    const f = t.lastFrame()!;
    expect(f).toContain('✗ bringing up');
    expect(f).toContain('missing on this machine: traceroute');
    expect(f).toContain("→ run 'sudo hoplab doctor --install'");
    expect(f).not.toMatch(/at .*\.ts:\d+/);
    await t.press(ESC);
    expect(t.lastFrame()).toContain('Labs');
  });

  it('Ctrl-C during bring-up aborts it (the provider undoes it) and exits', async () => {
    const t = await mount('down');
    t.provider.hold = true;
    await t.type(ENTER);
    await t.type(CTRL_C);
    expect(t.frames.join('')).toContain('stopping: undoing');
    await t.controller.settled();
    expect(t.provider.tornDown).toBe(true);
    expect(t.provider.upCalls[0]!.signal!.aborted).toBe(true);
    expect(t.store.get().exit).toBe(130);
  });

  it('Ctrl-C during bring-up takes the lab down again when the provider finished anyway', async () => {
    const t = await mount('down');
    t.provider.hold = true;
    t.provider.ignoreAbort = true;
    await t.type(ENTER);
    await t.type(CTRL_C);
    await t.controller.settled();
    expect(t.provider.downCalls).toBe(1);
    expect(t.provider.state).toBe('down');
    expect(t.store.get().exit).toBe(130);
    expect(t.frames.join('')).toContain('nothing was left behind');
  });

  it('walks the lab to "lab complete": Enter runs (shown, not passed), c checks with an answer (passed)', async () => {
    const t = await mount('up');
    await t.press(ENTER); // open the lab (cluster already up)
    expect(t.lastFrame()).toContain('Step 1/2: Node to node');
    expect(t.lastFrame()).toContain('controlplane$ traceroute -n 192.168.56.11'); // template resolved
    await t.press(ENTER); // run step 1
    expect(t.runner.runs).toEqual([0]);
    const f1 = t.lastFrame()!;
    expect(f1).toContain('◇ 1. Node to node');
    expect(f1).toContain('◇ Shown: hoplab ran the solution');
    expect(f1).not.toContain('✓ Passed.');
    expect(f1).toMatch(/1 ✓\s+192\.168\.56\.11\s+eth1\s+node-1\s+192\.168\.56\.11/); // its check stays on screen
    await t.press('n');
    expect(t.lastFrame()).toContain('Step 2/2: Which veth?');
    await t.press('c');
    expect(t.lastFrame()).toContain("? Which interface on node-1 is httpd's veth peer?");
    await t.press('veth1');
    expect(t.lastFrame()).toContain('› veth1');
    await t.press(ENTER);
    expect(t.runner.checks).toEqual([{ step: 1, answers: { veth: 'veth1' } }]);
    const f2 = t.lastFrame()!;
    expect(f2).toContain('★ lab complete');
    expect(f2).toContain('✓ 2. Which veth?');
    expect(t.saved().labs.mini!.passed).toEqual(['veth']);
    expect(t.saved().labs.mini!.shown).toEqual(['node-to-node']);
  });

  it('a failed step shows the hop table and diagnosis; h hints; a shows the answer', async () => {
    const t = await mount('up');
    t.runner.failing.add(0);
    await t.press(ENTER);
    await t.press(ENTER);
    const f = t.lastFrame()!;
    expect(f).toContain('✗ 1. Node to node');
    expect(f).toMatch(/1 ✗\s+192\.168\.56\.11\s+eth1\s+node-1\s+10\.0\.2\.2\s+wrong hop/);
    expect(f).toContain('→ hop 1: traffic left through the NAT interface eth0, not eth1');
    // The proof beside the diagnosis: the route on the machine where it went wrong, a command that failed there said so.
    expect(f).toContain('evidence on controlplane, where the path went wrong:');
    expect(f).toContain('controlplane$ ip route get 192.168.56.11');
    expect(f).toContain('192.168.56.11 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0');
    expect(f).toContain('… 2 more lines');
    expect(f).toContain('failed: exit 127: birdc: not found');
    expect(f).toContain('h for a hint, a for the answer');
    await t.press('h');
    expect(t.lastFrame()).toContain('hint 1/2: eth1 is on the host-only switch');
    await t.press('a');
    expect(t.lastFrame()).toContain('Run `traceroute -n 192.168.56.11` on controlplane.');
    await t.press('\t');
    expect(t.lastFrame()).toContain('out 3');
  });

  it('s hands the terminal to a shell on the node the step names, then shows what was done', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press('s');
    expect(t.shells[0]).toMatchObject({ file: 'sh', args: ['-c', 'echo shell on controlplane'] });
    expect(t.lastFrame()).toContain('3: veth1@if2');
    expect(t.lastFrame()).toContain('press c to check what you did');
  });

  it('Ctrl-C stops a running step (a failed try, the UI stays); a second Ctrl-C leaves, the lab staying up', async () => {
    const t = await mount('up');
    t.runner.holdUntilAbort = true;
    await t.press(ENTER);
    await t.type(ENTER);
    expect(t.lastFrame()).toContain('◔ running step 1');
    await t.type(CTRL_C);
    await t.controller.settled();
    await tick(15);
    expect(t.lastFrame()).toContain('✗ 1. Node to node');
    expect(t.lastFrame()).toContain('✗ cancelled');
    expect(t.store.get().exit).toBeUndefined();
    await t.press(CTRL_C);
    expect(t.store.get().exit).toBe(0);
    expect(t.provider.downCalls).toBe(0);
    expect(t.frames.join('')).toContain("lab 'tui' stays up; 'hoplab down --name tui' removes it");
  });

  it('r resets the step: todo again, its clean-up commands run', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press('n');
    await t.press(ENTER);
    expect(t.lastFrame()).toContain('◇ 2. Which veth?');
    await t.press('r');
    expect(t.runner.resets).toEqual([1]);
    expect(t.lastFrame()).toContain('○ 2. Which veth?');
    expect(t.lastFrame()).toContain('step 2 is todo again, cleaned up');
    expect(t.lastFrame()).toContain('(reset) $ kubectl delete pod httpd --ignore-not-found');
    expect(t.saved().labs.mini!.passed).toEqual([]);
  });

  it('q asks when the cluster is up; d takes it down and quits', async () => {
    const t = await mount('up');
    await t.press('q');
    expect(t.lastFrame()).toContain('Quit hoplab?');
    await t.press(ESC);
    expect(t.lastFrame()).not.toContain('Quit hoplab?');
    await t.press('q');
    await t.press('d');
    expect(t.provider.downCalls).toBe(1);
    expect(t.store.get().exit).toBe(0);
  });

  it('d on the start screen asks before it takes the cluster down', async () => {
    const t = await mount('up');
    await t.press('d');
    expect(t.lastFrame()).toContain("Take lab 'tui' down?");
    expect(t.provider.downCalls).toBe(0);
    await t.press('n');
    expect(t.lastFrame()).not.toContain('down?');
    expect(t.provider.downCalls).toBe(0);
    await t.press('d');
    await t.press('y');
    expect(t.provider.downCalls).toBe(1);
    expect(t.lastFrame()).toContain("lab 'tui' · netns · ○ down");
  });

  it('R starts the lab over after asking: every step todo, progress forgotten, every reset run', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press(ENTER); // step 1: hoplab runs it, so it is shown
    expect(t.saved().labs.mini!.shown).toEqual(['node-to-node']);
    await t.press('R');
    expect(t.lastFrame()).toContain("Start 'Mini lab' over?");
    await t.press('y');
    expect(t.runner.labResets).toEqual(['mini']);
    expect(t.saved().labs.mini).toMatchObject({ step: 0, passed: [] });
    expect(t.saved().labs.mini!.shown).toBeUndefined();
    expect(t.lastFrame()).toContain('○ 1. Node to node');
    expect(t.lastFrame()).toContain("'Mini lab' starts over: every step is todo");
  });

  it('q quits at once when no cluster is up', async () => {
    const t = await mount('down');
    await t.press('q');
    expect(t.store.get().exit).toBe(0);
  });

  it('? shows every key of the screen with what it does', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press('?');
    const f = t.lastFrame()!;
    expect(f).toContain('Keys in a lab');
    expect(f).toContain("open a shell where the step runs");
    expect(f).toContain('reset this step: todo again');
    expect(f).toContain('start the lab over');
    await t.press('?');
    expect(t.lastFrame()).toContain('Step 1/2');
  });

  it('t draws the topology with the last traced path lit', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press(ENTER);
    await t.press(DOWN); // selection does not matter for the path
    await t.press('t');
    const f = t.lastFrame()!;
    expect(f).toContain('host-only switch 192.168.56.0/24');
    expect(f).toMatch(/1▸ eth1\s+192\.168\.56\.11/);
    expect(f).toContain('path: 0▸ controlplane → 1▸ 192.168.56.11 eth1@node-1');
  });

  it('reopening returns to the saved step', async () => {
    const t = await mount('up');
    await t.press(ENTER);
    await t.press(DOWN);
    const saved = t.saved();
    expect(saved.labs.mini!.step).toBe(1);
    // A new UI on the same progress store.
    const again = await mount('up', { progress: { load: async () => ({ progress: saved }), save: async () => undefined } });
    expect(again.lastFrame()).toContain('resume at step 2');
    await again.press(ENTER);
    expect(again.lastFrame()).toContain('Step 2/2: Which veth?');
  });
});

describe('a step for another provider', () => {
  it('c does not check it here: the runner runs it, which skips it', async () => {
    const { miniLab } = await import('./fakes.js');
    const lab = miniLab();
    lab.steps[0] = { ...lab.steps[0]!, providers: ['vagrant'] };
    const t = await mount('up', { loadCatalog: async () => ({ labs: [lab], errors: [] }) });
    await t.press(ENTER); // open the lab
    await t.press('c');
    expect(t.runner.checks).toEqual([]);
    expect(t.runner.runs).toEqual([0]);
  });
});
