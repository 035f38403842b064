// The UI's pure parts: reducers, keymap, footer, Markdown blocks.
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import type { StepResult } from '../../src/labs/results.js';
import { appReducer, initialApp, keyContext } from '../../src/ui/app-state.js';
import { bringUpReducer, elapsed, phasesByNode, startBringUp, LOG_LINES } from '../../src/ui/bring-up-state.js';
import { footerLines, wrapItems } from '../../src/ui/Footer.js';
import { commandFor, KEYMAP } from '../../src/ui/keymap.js';
import { initialLab, labUiReducer } from '../../src/ui/lab-state.js';
import { parseInline, parseMarkdown } from '../../src/ui/markdown-parse.js';
import { initialStart, modeFor, startReducer, type LabEntry } from '../../src/ui/start-state.js';
import { colorEnabled, makeTheme } from '../../src/ui/theme.js';
import { miniLab } from './fakes.js';

const key = (over: Partial<Key> = {}): Key =>
  ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over }) as Key;

describe('bring-up reducer', () => {
  it('folds phase events per node, keeps the last log lines, and times phases', () => {
    let s = startBringUp('lab x', 1000);
    s = bringUpReducer(s, { type: 'progress', at: 1010, event: { type: 'phase', phase: 'namespaces', state: 'start' } });
    s = bringUpReducer(s, { type: 'progress', at: 1050, event: { type: 'phase', phase: 'namespaces', state: 'done', detail: '12 links' } });
    s = bringUpReducer(s, { type: 'progress', at: 1060, event: { type: 'phase', phase: 'node-network', node: 'node-1', state: 'start' } });
    s = bringUpReducer(s, { type: 'progress', at: 1090, event: { type: 'phase', phase: 'node-network', node: 'node-1', state: 'failed', detail: 'RTNETLINK busy' } });
    for (let i = 0; i < 10; i++) s = bringUpReducer(s, { type: 'progress', at: 1100 + i, event: { type: 'log', line: `l${i}` } });
    expect(s.phases).toEqual([
      { phase: 'namespaces', state: 'done', detail: '12 links', startedAt: 1010, endedAt: 1050 },
      { phase: 'node-network', node: 'node-1', state: 'failed', detail: 'RTNETLINK busy', startedAt: 1060, endedAt: 1090 },
    ]);
    expect(phasesByNode(s).map((g) => g.node)).toEqual(['', 'node-1']);
    expect(s.log).toHaveLength(LOG_LINES);
    expect(s.log[s.log.length - 1]).toBe('l9');
    expect(elapsed(s)).toBe('0.1s');
  });
  it('abort only while running; failure keeps message and hint', () => {
    let s = startBringUp('x', 0);
    s = bringUpReducer(s, { type: 'abort' });
    expect(s.status).toBe('aborting');
    s = bringUpReducer(s, { type: 'failed', message: 'no root', hint: 'sudo', at: 5 });
    expect(s).toMatchObject({ status: 'failed', error: { message: 'no root', hint: 'sudo' } });
    expect(bringUpReducer(s, { type: 'abort' }).status).toBe('failed');
    expect(bringUpReducer(s, { type: 'tick', at: 99 })).toBe(s);
  });
});

describe('lab reducer', () => {
  const result = (index: number, passed: boolean): StepResult => ({ index, id: miniLab().steps[index]!.id, title: '', passed, outcome: passed ? 'shown' : 'failed', commands: [], checks: [], durationMs: 1 });
  it('follows the runner: running, then passed or failed, and lab complete', () => {
    let s = initialLab(miniLab());
    s = labUiReducer(s, { type: 'busy', busy: { kind: 'run', step: 0 } });
    expect(s.steps[0]!.state).toBe('running');
    s = labUiReducer(s, { type: 'event', event: { type: 'command-start', step: 0, phase: 'run', display: 'kubectl get pods', where: 'kubectl' } });
    expect(s.busy?.doing).toBe('$ kubectl get pods');
    s = labUiReducer(s, { type: 'event', event: { type: 'step-end', step: 0, result: result(0, false) } });
    s = labUiReducer(s, { type: 'idle' });
    expect(s.steps[0]).toMatchObject({ state: 'failed', tries: 1 });
    s = labUiReducer(s, { type: 'event', event: { type: 'step-end', step: 0, result: result(0, true) } });
    s = labUiReducer(s, { type: 'event', event: { type: 'step-end', step: 1, result: result(1, true) } });
    // hoplab ran them: shown, not passed; shown steps still complete the lab.
    expect(s.steps.map((x) => x.state)).toEqual(['shown', 'shown']);
    expect(s.complete).toBe(true);
    s = labUiReducer(s, { type: 'reset-step', step: 1 });
    expect(s.complete).toBe(false);
    expect(s.steps[1]!.state).toBe('todo');
  });
  it('a run that ends without step-end (cancelled) is a failed try with the reason', () => {
    let s = labUiReducer(initialLab(miniLab()), { type: 'busy', busy: { kind: 'run', step: 1 } });
    s = labUiReducer(s, { type: 'idle', error: 'cancelled' });
    expect(s.steps[1]).toMatchObject({ state: 'failed', error: 'cancelled' });
    expect(s.busy).toBeUndefined();
  });
  it('hints count up to the number there are; the solution toggles', () => {
    let s = initialLab(miniLab());
    for (let i = 0; i < 5; i++) s = labUiReducer(s, { type: 'hint' });
    expect(s.steps[0]!.hintsShown).toBe(2);
    s = labUiReducer(s, { type: 'solution' });
    expect(s.steps[0]!.solutionShown).toBe(true);
  });
  it('restores progress: passed steps and the step to resume at', () => {
    const s = labUiReducer(initialLab(miniLab()), { type: 'restore', passed: ['node-to-node'], current: 'veth' });
    expect(s.selected).toBe(1);
    expect(s.steps.map((x) => x.state)).toEqual(['passed', 'todo']);
    const shown = labUiReducer(initialLab(miniLab()), { type: 'restore', passed: [], shown: ['node-to-node'] });
    expect(shown.steps.map((x) => x.state)).toEqual(['shown', 'todo']);
    expect(shown.selected).toBe(1);
  });
  it('collects answers one question at a time', () => {
    let s = labUiReducer(initialLab(miniLab()), { type: 'ask', prompt: { step: 1, then: 'check', queue: [{ id: 'a', question: 'A?' }, { id: 'b', question: 'B?' }] } });
    s = labUiReducer(s, { type: 'answer-edit', value: ' eth1 ' });
    s = labUiReducer(s, { type: 'answer-next' });
    expect(s.answer).toMatchObject({ queue: [{ id: 'b' }], given: { a: 'eth1' }, value: '' });
  });
  it('the last hops check becomes the path the topology lights', () => {
    let s = initialLab(miniLab());
    s = labUiReducer(s, {
      type: 'checked',
      step: 0,
      checks: [{ id: 'trace', kind: 'hops', title: 't', passed: true, summary: '', hops: { from: 'pod/traceroute', to: 'pod/httpd', expected: null, expectedFrom: 'engine', notes: [], traceWarnings: [], verdict: { passed: true, hops: [{ ttl: 1, observed: ['10.244.1.3'], status: 'match' }] } } }],
    });
    expect(s.lastPath).toEqual({ fromPod: 'traceroute', hops: [{ ttl: 1, address: '10.244.1.3', status: 'match' }] });
    expect(s.steps[0]!.state).toBe('passed');
    expect(s.pane).toBe('check');
    // A step whose checks did not all come back has not passed.
    expect(labUiReducer(s, { type: 'checked', step: 1, checks: [] }).steps[1]!.state).toBe('failed');
  });
});

describe('start reducer', () => {
  const lab = (cni: LabEntry['cni']): LabEntry => ({ id: 'l', title: 'L', summary: '', cni, minutes: 1, steps: 1, passed: 0 });
  it('moves the cursor round the list', () => {
    let s = startReducer(initialStart('netns', 'lab'), { type: 'labs', labs: [lab('any'), lab('any')], errors: [] });
    s = startReducer(s, { type: 'move', by: -1 });
    expect(s.selected).toBe(1);
  });
  it('picks the CNI mode: the running one when the lab takes it, else the lab’s first', () => {
    const up = { provider: 'netns', lab: 'lab', state: 'up' as const, cni: 'flannel-vxlan', notes: [] };
    expect(modeFor(lab('any'), up)).toBe('flannel-vxlan');
    expect(modeFor(lab(['calico-bgp', 'flannel-vxlan']), up)).toBe('flannel-vxlan');
    expect(modeFor(lab(['calico-bgp']), up)).toBe('calico-bgp');
    expect(modeFor(lab('any'), { ...up, state: 'down', cni: undefined })).toBe('flannel-host-gw');
  });
});

describe('keys', () => {
  it('maps keys by context, the same key doing what the screen in front says', () => {
    expect(commandFor('', key({ return: true }), 'start')).toBe('open');
    expect(commandFor('', key({ return: true }), 'lab')).toBe('run');
    expect(commandFor('j', key(), 'lab')).toBe('down');
    expect(commandFor('', key({ upArrow: true }), 'lab')).toBe('up');
    expect(commandFor('d', key(), 'confirm')).toBe('quitDown');
    expect(commandFor('d', key(), 'start')).toBe('takeDown');
    expect(commandFor('c', key({ ctrl: true }), 'lab')).toBe('interrupt');
    expect(commandFor('c', key(), 'start')).toBeUndefined();
  });
  it('every binding has a description, and keys do not clash within a context', () => {
    for (const b of KEYMAP) expect(b.description.length).toBeGreaterThan(3);
    const contexts = ['start', 'bringup', 'lab', 'topology', 'help', 'confirm', 'pick'] as const;
    for (const c of contexts) {
      const seen = new Map<string, string>();
      for (const b of KEYMAP.filter((x) => x.contexts.includes(c))) {
        for (const k of b.keys) {
          const id = JSON.stringify(k);
          expect(seen.get(id) ?? b.command, `${c}: ${id}`).toBe(b.command);
          seen.set(id, b.command);
        }
      }
    }
  });
  it('the footer shows the lab keys the issue asks for and fits 100 columns on one line', () => {
    const lines = footerLines('lab', 100);
    expect(lines).toHaveLength(1);
    for (const k of ['↑↓/jk', 'Enter run', 's shell', 'c check', 'h hint', 't topology', 'r reset', '? help', 'q quit']) expect(lines[0]).toContain(k);
    expect(wrapItems(['aaaa', 'bbbb', 'cccc'], 10)).toEqual(['aaaa  bbbb', 'cccc']);
  });
  it('key context follows overlays and the place picker', () => {
    let s = initialApp('netns', 'lab');
    expect(keyContext(s)).toBe('start');
    s = appReducer(s, { type: 'lab-open', lab: miniLab() });
    expect(keyContext(s)).toBe('lab');
    s = appReducer(s, { type: 'lab', action: { type: 'pick-open', places: [{ kind: 'kubectl' }] } });
    expect(keyContext(s)).toBe('pick');
    s = appReducer(s, { type: 'overlay', overlay: 'confirm-quit' });
    expect(keyContext(s)).toBe('confirm');
  });
});

describe('markdown', () => {
  it('reads paragraphs, code, bold, fences and lists', () => {
    const blocks = parseMarkdown('# Title\n\nRun `ip route`\non **node-1**.\n\n```sh\nip a\n\nip r\n```\n- one\n  more\n- two\n\n1. first');
    expect(blocks).toEqual([
      { kind: 'heading', inlines: [{ text: 'Title' }] },
      { kind: 'paragraph', inlines: [{ text: 'Run ' }, { text: 'ip route', code: true }, { text: ' on ' }, { text: 'node-1', bold: true }, { text: '.' }] },
      { kind: 'code', lang: 'sh', lines: ['ip a', '', 'ip r'] },
      { kind: 'list', ordered: false, items: [[{ text: 'one' }, { text: ' ' }, { text: 'more' }], [{ text: 'two' }]] },
      { kind: 'list', ordered: true, items: [[{ text: 'first' }]] },
    ]);
    expect(parseInline('no markup')).toEqual([{ text: 'no markup' }]);
  });
});

describe('theme', () => {
  it('NO_COLOR, FORCE_COLOR=0 and TERM=dumb turn colour off; tones then give no colour', () => {
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ TERM: 'dumb' })).toBe(false);
    expect(makeTheme(false).tone('ok')).toBeUndefined();
    expect(makeTheme(true).tone('ok')).toBe('green');
  });
});

describe('choosing where to start', () => {
  it('the cursor starts on the lab last worked on, else the first', async () => {
    const { preferredLab } = await import('../../src/ui/controller.js');
    const a = { ...miniLab(), id: 'a' };
    const b = { ...miniLab(), id: 'b' };
    expect(preferredLab([a, b], { version: 1, labs: {} })).toBe(0);
    const progress = { version: 1 as const, labs: { a: { step: 0, passed: [], updatedAt: '2026-01-01T00:00:00Z' }, b: { step: 1, passed: [], updatedAt: '2026-02-01T00:00:00Z' } } };
    expect(preferredLab([a, b], progress)).toBe(1);
  });
  it('a lab is brought up in a mode this machine can build', async () => {
    const { unbuildable } = await import('../../src/ui/start-state.js');
    const down = { provider: 'netns', lab: 'lab', state: 'down' as const, notes: [] };
    const calico: LabEntry = { id: 'calico', title: 'C', summary: '', cni: ['calico-ipip', 'calico-bgp'], minutes: 1, steps: 1, passed: 0 };
    expect(modeFor(calico, down, ['flannel-host-gw', 'calico-bgp'])).toBe('calico-bgp');
    expect(modeFor(calico, down)).toBe('calico-ipip');
    expect(unbuildable(calico, ['flannel-host-gw', 'calico-bgp'])).toEqual(['calico-ipip']);
    expect(unbuildable(calico, undefined)).toEqual([]);
  });
});
