// `p`: a learner working in their own terminal pastes what they ran; the
// pasted text is graded by the real checks, as a shell hoplab opened would be.
import { describe, expect, it } from 'vitest';
import { checkStep } from '../../src/labs/checks.js';
import { fakeCluster, gnuTrace } from '../fixtures/labs/fake-cluster.js';
import { ENTER, ESC, mount } from './mount.js';

const CTRL_D = '\x04';
const trace = gnuTrace('192.168.56.11', ['192.168.56.11']);

/** The UI on fakes, its checks the real ones against a make-believe cluster. */
async function withRealChecks() {
  const cluster = fakeCluster();
  return mount('up', { checkStep: (lab, i, _p, answers, opts) => checkStep(lab, i, cluster, answers, opts) });
}

describe('the paste box', () => {
  it('p opens it; the pasted session is checked: the right trace from controlplane passes (✓, not ◇)', async () => {
    const t = await withRealChecks();
    await t.press(ENTER); // open the lab
    await t.press('p');
    expect(t.lastFrame()).toContain('Ctrl-D checks · Esc cancels');
    // A paste arrives as one chunk, with the terminal's \r line ends.
    await t.press(`[root@controlplane ~]# traceroute -n 192.168.56.11\r${trace.replace(/\n/g, '\r')}`);
    const f = t.lastFrame()!;
    expect(f).toContain('pasted: 4 lines');
    expect(f).toContain('1  192.168.56.11');
    await t.press(CTRL_D);
    const done = t.lastFrame()!;
    expect(done).toContain('✓ 1. Node to node');
    expect(done).toContain('1 hop as expected: 192.168.56.11');
    expect(t.saved().labs.mini!.passed).toEqual(['node-to-node']);
  });

  it('a trace pasted from node-2 fails, saying where it ran and where the step asks for it', async () => {
    const t = await withRealChecks();
    await t.press(ENTER);
    await t.press('p');
    await t.press('[root@node-2 ~]# traceroute -n 192.168.56.11');
    await t.press(ENTER); // Enter is a new line in the box, not the step's run
    await t.press(trace);
    await t.press(CTRL_D);
    const f = t.lastFrame()!;
    expect(f).toContain('✗ 1. Node to node');
    expect(f.replace(/\s+/g, ' ')).toContain('your traceroute to 192.168.56.11 ran on node-2, but this step asks for it on controlplane');
    expect(t.runner.runs).toEqual([]);
  });

  it('Esc cancels without checking; an empty box checks nothing and says so', async () => {
    const t = await withRealChecks();
    await t.press(ENTER);
    await t.press('p');
    await t.press('something');
    await t.press(ESC);
    expect(t.lastFrame()).not.toContain('Ctrl-D checks');
    expect(t.lastFrame()).toContain('○ 1. Node to node');
    await t.press('p');
    await t.press(CTRL_D);
    expect(t.lastFrame()).toContain('nothing pasted: nothing to check');
  });
});
