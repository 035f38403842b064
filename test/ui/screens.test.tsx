// Each screen on its own, rendered to frames; monochrome unless said.
import { render } from 'ink-testing-library';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/labs/results.js';
import { bringUpReducer, startBringUp } from '../../src/ui/bring-up-state.js';
import { BringUpScreen } from '../../src/ui/BringUpScreen.js';
import { CheckList, hopRows } from '../../src/ui/CheckTable.js';
import { initialLab, labUiReducer } from '../../src/ui/lab-state.js';
import { LabScreen } from '../../src/ui/LabScreen.js';
import { OutputStore } from '../../src/ui/output-store.js';
import { initialStart, startReducer } from '../../src/ui/start-state.js';
import { StartScreen } from '../../src/ui/StartScreen.js';
import { makeTheme } from '../../src/ui/theme.js';
import { ThemeContext } from '../../src/ui/use-theme.js';
import { facts, miniLab, tick } from './fakes.js';

const mono = (node: ReactNode) => <ThemeContext.Provider value={makeTheme(false)}>{node}</ThemeContext.Provider>;
const ESC_COLOR = /\x1b\[3\d/;

/**
 * The frame once it has settled: boxes that measure their content (ScrollBox)
 * draw a second time after the first layout, and on a busy machine that second
 * frame can come later than any fixed number of ticks.
 */
async function frame(node: ReactNode): Promise<string> {
  const r = render(mono(node));
  await tick(5);
  let f = r.lastFrame()!;
  for (let stableSince = Date.now(), end = Date.now() + 3000; Date.now() - stableSince < 150 && Date.now() < end; ) {
    await new Promise((res) => setTimeout(res, 25));
    const next = r.lastFrame()!;
    if (next !== f) [f, stableSince] = [next, Date.now()];
  }
  r.unmount();
  return f;
}

describe('StartScreen', () => {
  it('lists labs with modes, minutes and progress, and what doctor found missing', async () => {
    let s = initialStart('netns', 'lab');
    s = startReducer(s, {
      type: 'labs',
      labs: [
        { id: 'pod-to-pod', title: 'Pod-to-pod', summary: 'Follow a packet.', cni: 'any', minutes: 25, steps: 4, passed: 2, resumeAt: 2 },
        { id: 'calico', title: 'Calico', summary: 'BGP.', cni: ['calico-bgp', 'calico-vxlan'], minutes: 30, steps: 3, passed: 3, resumeAt: 2 },
      ],
      errors: ['labs/broken.yaml:3:5: steps[0].title: expected a string'],
    });
    s = startReducer(s, { type: 'missing', missing: ['traceroute', 'busybox (plays the busybox, httpd and nginx images)'], install: 'apt-get install -y --no-install-recommends traceroute busybox' });
    s = startReducer(s, { type: 'cluster', cluster: { provider: 'netns', lab: 'lab', state: 'partial', notes: ['3 namespaces of this lab exist but its daemon is not running'] } });
    s = startReducer(s, { type: 'modes', modes: ['flannel-host-gw', 'calico-bgp', 'calico-vxlan'] });
    s = startReducer(s, { type: 'loaded' });
    const f = await frame(<StartScreen state={s} width={100} />);
    expect(f).toContain('› Pod-to-pod (pod-to-pod)');
    expect(f).toContain('any CNI · ~25 min · 4 steps · 2/4 passed, resume at step 3');
    expect(f).toContain('calico-bgp, calico-vxlan · ~30 min · 3 steps · ✓ complete (3/3)');
    expect(f).not.toContain('not on this kernel');
    expect(f).toContain('Follow a packet.');
    expect(f).not.toContain('BGP.'); // only the selected lab's summary
    expect(f).toContain('✗ missing traceroute, busybox');
    expect(f).toContain('sudo hoplab doctor');
    expect(f).toContain('✗ half there');
    expect(f).toContain('! 3 namespaces of this lab exist');
    expect(f).toContain('Press d to clean up, then Enter.');
    expect(f).toContain('✗ labs/broken.yaml:3:5: steps[0].title: expected a string');
  });
});

describe('BringUpScreen', () => {
  it('shows each node and phase with its state, the elapsed time and the last output', async () => {
    let s = startBringUp("lab 'x' (flannel-host-gw, 3 nodes)", 0);
    const ev = (at: number, e: Parameters<typeof bringUpReducer>[1]) => (s = bringUpReducer(s, e));
    ev(1, { type: 'progress', at: 10, event: { type: 'phase', phase: 'namespaces', state: 'done' } });
    ev(2, { type: 'progress', at: 20, event: { type: 'phase', phase: 'node-network', node: 'node-1', state: 'start' } });
    ev(3, { type: 'progress', at: 30, event: { type: 'phase', phase: 'node-network', node: 'node-2', state: 'done' } });
    ev(4, { type: 'progress', at: 40, event: { type: 'log', line: 'pulling busybox' } });
    ev(5, { type: 'tick', at: 2500 });
    const f = await frame(<BringUpScreen state={s} width={100} />);
    expect(f).toContain("◔ bringing up lab 'x' (flannel-host-gw, 3 nodes) · 2.5s");
    expect(f).toMatch(/cluster\s+✓ namespaces/);
    expect(f).toMatch(/node-1\s+◔ node-network/);
    expect(f).toMatch(/node-2\s+✓ node-network/);
    expect(f).toContain('pulling busybox');
  });
  it('on failure: the message, what to do, and no stack trace', async () => {
    let s = startBringUp('x', 0);
    s = bringUpReducer(s, { type: 'failed', message: 'the netns provider builds network namespaces and needs root', hint: 'run it with sudo: sudo hoplab up', at: 100 });
    const f = await frame(<BringUpScreen state={s} width={100} />);
    expect(f).toContain('✗ bringing up x failed');
    expect(f).toContain('✗ the netns provider builds network namespaces and needs root');
    expect(f).toContain('→ run it with sudo: sudo hoplab up');
    expect(f).not.toContain('    at ');
  });
});

const hopCheck = (passed: boolean): CheckResult => ({
  id: 'h',
  kind: 'hops',
  title: 'traceroute on node-2 reaches httpd on node-1',
  passed,
  summary: passed ? '3 hops as expected' : 'hop 2 differs',
  hops: {
    from: 'pod/traceroute',
    to: 'pod/httpd',
    expected: null,
    expectedFrom: 'engine',
    notes: [],
    traceWarnings: [],
    verdict: {
      passed,
      hops: [
        { ttl: 1, expected: { address: '10.244.2.1', interface: 'cni0', node: 'node-2', why: '' }, observed: ['10.244.2.1'], status: 'match' },
        { ttl: 2, expected: { address: '192.168.56.11', interface: 'eth1', node: 'node-1', why: '' }, observed: passed ? ['192.168.56.11'] : ['10.0.2.2'], status: passed ? 'match' : 'mismatch' },
        { ttl: 3, expected: { address: '10.244.1.3', interface: 'eth0', node: 'node-1', why: '' }, observed: [], status: passed ? 'no-answer' : 'missing' },
      ],
      ...(passed ? {} : { firstDifference: 2, diagnosis: 'the packet left through the NAT interface: the route to the pod CIDR uses eth0, not eth1' }),
    },
  },
});

describe('CheckList', () => {
  it('draws expected vs observed per hop with ✓/✗ and the diagnosis of the first wrong hop', async () => {
    const f = await frame(<CheckList checks={[hopCheck(false), { id: 'a', kind: 'answer', title: 'the veth', passed: false, summary: '"eth0" is not the answer', answer: { question: 'q', given: 'eth0' } }]} width={100} />);
    expect(f).toContain('✗ traceroute on node-2 reaches httpd on node-1 — hop 2 differs');
    expect(f).toMatch(/1 ✓\s+10\.244\.2\.1\s+cni0\s+node-2\s+10\.244\.2\.1/);
    expect(f).toMatch(/2 ✗\s+192\.168\.56\.11\s+eth1\s+node-1\s+10\.0\.2\.2\s+wrong hop/);
    expect(f).toMatch(/3 ✗\s+10\.244\.1\.3\s+eth0\s+node-1\s+\*\s+missing/);
    expect(f).toContain('→ hop 2: the packet left through the NAT interface');
    expect(f).toContain('you said: eth0');
    expect(f).not.toMatch(ESC_COLOR);
  });
  it("says a check's error once, without the lab file's position", async () => {
    const why = "{{ pods.httpd.ip }}: there is no pod 'httpd' in the cluster";
    const f = await frame(<CheckList checks={[{ id: 'o', kind: 'output', title: 'a /32', passed: false, summary: why, error: `labs/calico.yaml:103:18: ${why}` }]} width={100} />);
    expect(f.split("there is no pod 'httpd'").length - 1).toBe(1);
    expect(f).not.toContain('calico.yaml');
    expect(f).not.toContain('{{');
    expect(f).toContain("HTTPD-IP: there is no pod 'httpd'");
  });
  it('a silent hop on a passing trace is "no answer", not a failure', () => {
    const rows = hopRows(hopCheck(true).hops!.verdict!.hops);
    expect(rows.map((r) => r.mark)).toEqual(['✓', '✓', '·']);
  });
});

describe('LabScreen', () => {
  it('shows step states by symbol without colour, the step text rendered, and the commands', async () => {
    let s = initialLab(miniLab());
    s = labUiReducer(s, { type: 'checked', step: 0, checks: [hopCheck(true)] });
    s = labUiReducer(s, { type: 'busy', busy: { kind: 'run', step: 1, doing: '$ kubectl get pods -o wide' } });
    const out = new OutputStore(100, 1);
    out.line('NAME    READY   STATUS');
    const f = await frame(<LabScreen state={s} facts={facts()} output={out} width={100} height={28} />);
    expect(f).toContain('› ✓ 1. Node to node');
    expect(f).toContain('  ◔ 2. Which veth?');
    expect(f).toContain('◔ running step 2: $ kubectl get pods -o wide (Ctrl-C stops)');
    expect(f).toContain('$ kubectl get pods -o wide');
    expect(f).toContain('NAME    READY   STATUS');
    expect(f).not.toMatch(ESC_COLOR);
  });
  it('renders Markdown: `code` kept visible in monochrome, fenced blocks indented, lists bulleted', async () => {
    const f = await frame(<LabScreen state={initialLab(miniLab())} facts={facts()} output={new OutputStore()} width={100} height={28} />);
    expect(f).toContain('Trace from the control plane to `node-1`:');
    expect(f).toMatch(/\n\s+ {2}traceroute -n 192\.168\.56\.11/);
    expect(f).toContain('• one hop');
    expect(f).toContain('controlplane$ traceroute -n 192.168.56.11'); // {{ nodes.node-1.eth1 }} resolved
  });
  it('in colour, states and code carry colour too', async () => {
    // Ink colours through chalk, which is off without a TTY: turn it on as a colour terminal would.
    const chalk = (await import('chalk')).default;
    const level = chalk.level;
    chalk.level = 1;
    const r = render(
      <ThemeContext.Provider value={makeTheme(true)}>
        <LabScreen state={labUiReducer(initialLab(miniLab()), { type: 'checked', step: 0, checks: [hopCheck(true)] })} output={new OutputStore()} width={100} height={28} />
      </ThemeContext.Provider>,
    );
    await tick(5);
    expect(r.lastFrame()).toMatch(ESC_COLOR);
    r.unmount();
    chalk.level = level;
  });
});

describe('layout under pressure', () => {
  it('a check list taller than its pane is clipped and scrolls, never squeezed into overlapping rows', async () => {
    const long: CheckResult = { ...hopCheck(true), title: 'controlplane reaches node-1 in one hop over eth1, which is the host-only network of the lab', summary: '1 hop as expected: 192.168.56.11 and nothing else on the way there' };
    let s = labUiReducer(initialLab(miniLab()), { type: 'checked', step: 0, checks: [long, { ...long, id: 'b' }, { ...long, id: 'c' }] });
    const f = await frame(<LabScreen state={s} output={new OutputStore()} width={100} height={24} />);
    expect(f).toMatch(/\(expected from the path engine\)\s*$/m);
    expect(f).toContain('nothing else on the way there');
    expect(f).toContain('↓ more below: J');
    s = labUiReducer(s, { type: 'scroll', by: -10 });
    const g = await frame(<LabScreen state={s} output={new OutputStore()} width={100} height={24} />);
    expect(g).toContain('K: back up');
  });
  it('a long step list keeps the selected step in view', async () => {
    const lab = miniLab();
    lab.steps = Array.from({ length: 30 }, (_, i) => ({ ...lab.steps[0]!, id: `s${i}`, title: `Step number ${i + 1}` }));
    let s = initialLab(lab);
    s = labUiReducer(s, { type: 'select', index: 15 });
    const f = await frame(<LabScreen state={s} output={new OutputStore()} width={100} height={24} />);
    expect(f).toContain('› ○ 16. Step number 16');
    expect(f).toMatch(/↑ \d+ more/);
    expect(f).toMatch(/↓ \d+ more/);
  });
});

describe('ErrorBoundary', () => {
  it('a render error becomes one line and a call to leave, no stack trace on screen', async () => {
    const { ErrorBoundary } = await import('../../src/ui/ErrorBoundary.js');
    const Boom = (): never => {
      throw new Error('facts without nodes');
    };
    const seen: Error[] = [];
    const quiet = console.error;
    console.error = () => undefined; // React reports the caught error in development; it is expected here
    try {
      const f = await frame(
        <ErrorBoundary onError={(e) => seen.push(e)}>
          <Boom />
        </ErrorBoundary>,
      );
      expect(f).toContain('hoplab: internal error: facts without nodes');
      expect(f).not.toMatch(/\s+at .*:\d+:\d+/);
      expect(seen.map((e) => e.message)).toEqual(['facts without nodes']);
    } finally {
      console.error = quiet;
    }
  });
});
