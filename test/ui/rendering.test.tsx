// Frame tests for how the TUI draws text (issue 18, items 14–19), on the real
// labs at 120×36 and 80×24, wide characters measured as two columns.
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { labDirs, loadCatalog } from '../../src/labs/catalog.js';
import type { Lang } from '../../src/core/lang.js';
import { Markdown } from '../../src/ui/Markdown.js';
import { wrapSpans } from '../../src/ui/text-width.js';
import { ENTER, mount } from './mount.js';
import { fakeRunner, tick } from './fakes.js';
import { TopologyView } from '../../src/ui/TopologyView.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import { podLabel } from '../../src/topology/text.js';
import { handOver } from '../../src/ui/shell-handover.js';
import { PassThrough } from 'node:stream';
import type { UiDeps } from '../../src/ui/ports.js';

const dirs = labDirs({ env: {} });
const realCatalog = { loadCatalog: (lang?: Lang) => loadCatalog(dirs, lang) };

const SIZES = [
  { cols: 120, rows: 36 },
  { cols: 80, rows: 24 },
] as const;

async function mountSized(cols: number, rows: number, lang: Lang = 'en', extra: Parameters<typeof mount>[1] = {}) {
  const t = await mount('up', { ...realCatalog, lang, ...extra });
  Object.defineProperty(t.stdout, 'columns', { get: () => cols, configurable: true });
  Object.defineProperty(t.stdout, 'rows', { get: () => rows, configurable: true });
  t.stdout.emit('resize');
  await t.press('');
  return t;
}

/** The lab screen's step pane: each row right of the step list (as LabScreen sizes it). */
function stepPaneRows(frame: string, cols: number): string[] {
  const list = Math.min(34, Math.max(22, Math.floor(cols * 0.3)));
  const lines = frame.split('\n');
  // From the lab's title row down: the journal above it is not the pane.
  const title = lines.findIndex((l) => / · ~\d+ min$/.test(l));
  return lines.slice(title + 1).map((l) => [...l].slice(list + 1).join(''));
}

function tooWide(frame: string, cols: number): string[] {
  return frame.split('\n').filter((l) => stringWidth(l) > cols);
}

describe('14: wrapped text starts at its margin, bullets keep their space', () => {
  for (const { cols, rows } of SIZES) {
    it(`pod-to-pod step 1 at ${cols}×${rows}: no wrapped line starts with the space it broke at`, async () => {
      const t = await mountSized(cols, rows);
      await t.press(ENTER);
      const f = t.lastFrame()!;
      expect(f).toContain('Step 1/4: Node to internet over eth0');
      const pane = stepPaneRows(f, cols);
      expect(pane.filter((l) => /^ [^ ]/.test(l))).toEqual([]);
      expect(tooWide(f, cols)).toEqual([]);
    });
  }

  it('the start screen wraps a Chinese summary at 80 columns without a leading space', async () => {
    const t = await mountSized(80, 24, 'zh');
    await t.press('j');
    const f = t.lastFrame()!;
    expect(f).toContain('把种子文章的集群切换到');
    expect(f.split('\n').filter((l) => /^ {5}\S/.test(l))).toEqual([]);
    expect(tooWide(f, 80)).toEqual([]);
    // Chinese breaks between characters: no line of the summary is left half empty before a long run.
    const summary = f.split('\n').filter((l) => l.startsWith('    ') && !l.includes('·') && /[\u4e00-\u9fff]/.test(l));
    expect(summary.length).toBeGreaterThan(1);
    for (const l of summary.slice(0, -1)) expect(stringWidth(l)).toBeGreaterThan(70);
  });

  for (const lang of ['en', 'zh'] as const) {
    for (const width of [86, 46]) {
      it(`calico's bullets (${lang}, ${width} columns) keep "• " and hang their lines under the text`, async () => {
        const lab = (await loadCatalog(dirs, lang)).labs.find((l) => l.id === 'calico')!;
        const step = lab.steps.find((s) => s.id === 'across-nodes')!;
        const r = render(<Markdown source={step.text} width={width} />);
        await tick(5);
        const lines = r.lastFrame()!.split('\n');
        r.unmount();
        const bullets = lines.filter((l) => l.startsWith('•'));
        expect(bullets.length).toBe(2);
        for (const b of bullets) expect(b).toMatch(/^• \S/);
        // Every line of an item after its first is indented by the bullet's two columns.
        const first = lines.findIndex((l) => l.startsWith('•'));
        for (const l of lines.slice(first)) if (l.trim()) expect(l).toMatch(/^(• \S|  \S)/);
        for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(width);
      });
    }
  }

  it('wrapSpans: spaces at a break are dropped, styles kept, CJK broken between characters, long words cut', () => {
    const text = (ls: { text: string }[][]) => ls.map((l) => l.map((s) => s.text).join(''));
    expect(text(wrapSpans([{ text: 'pulled the image over ' }, { text: '`eth0`', code: true }, { text: '.' }], 15))).toEqual(['pulled the', 'image over', '`eth0`.']);
    const styled = wrapSpans([{ text: 'aa ' }, { text: 'bb cc', bold: true }], 5);
    expect(styled).toEqual([[{ text: 'aa ' }, { text: 'bb', bold: true }], [{ text: 'cc', bold: true }]]);
    expect(text(wrapSpans([{ text: '把种子文章的集群切换到 flannel 的默认后端。' }], 12))).toEqual(['把种子文章的', '集群切换到', 'flannel 的默', '认后端。']);
    expect(text(wrapSpans([{ text: 'abcdefghij' }], 4))).toEqual(['abcd', 'efgh', 'ij']);
    expect(text(wrapSpans([{ text: 'one\ntwo' }], 10))).toEqual(['one', 'two']);
  });
});

describe('15: at 80×24 the answer prompt shows what is typed, key hints and help lines are whole', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`the answer prompt wraps its question and keeps the end of a long answer in view (${lang})`, async () => {
      const t = await mountSized(80, 24, lang);
      await t.press(ENTER);
      await t.press('c');
      const typed =
        lang === 'en'
          ? 'the NAT router, which is at 10.0.2.2 on eth0, as the default route says: 10.0.2.2'
          : '节点把去往互联网的流量交给 NAT 路由器,默认路由写着它的地址,也就是 eth0 那一侧的网关,所以答案是 10.0.2.2';
      await t.press(typed);
      const f = t.lastFrame()!;
      expect(tooWide(f, 80)).toEqual([]);
      const input = f.split('\n').filter((l) => l.startsWith('› ')).pop()!;
      expect(input).toBeDefined();
      // The cursor's end of the answer is on screen; what scrolled off the front is marked.
      expect(input).toMatch(lang === 'en' ? /default route says: 10\.0\.2\.2\s*$/ : /所以答案是 10\.0\.2\.2\s*$/);
      expect(input).toMatch(/^› …/);
    });
  }

  it('a short answer keeps the key hint beside it, and a long question wraps whole', async () => {
    const t = await mountSized(80, 24);
    await t.press(ENTER);
    await t.press('c');
    await t.press('10.0.2.2');
    const f = t.lastFrame()!;
    expect(f).toContain('? To which address does node-1 send traffic bound for the internet?');
    expect(f).toContain('› 10.0.2.2  (Enter answers, Esc cancels)');
  });

  it("the step's key hint wraps instead of being cut", async () => {
    const t = await mountSized(80, 24);
    await t.press(ENTER);
    const pane = stepPaneRows(t.lastFrame()!, 80).join('\n');
    expect(pane).toContain('Enter: hoplab runs these · s: your shell here (kubectl)');
    expect(pane).toContain('or on node-1 · c: check');
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`? in a lab: every description whole, the box closed, the rest a PgDn away (${lang})`, async () => {
      const t = await mountSized(80, 24, lang);
      await t.press(ENTER);
      await t.press('?');
      let f = t.lastFrame()!;
      expect(tooWide(f, 80)).toEqual([]);
      expect(f.split('\n').some((l) => l.startsWith('╰'))).toBe(true);
      expect(f).not.toContain('…');
      if (lang === 'en') {
        expect(f).toMatch(/type exit to come\s*│\n│\s+back/);
        expect(f).toContain('↓ more below: PgDn');
      }
      await t.press('\x1b[6~');
      await t.press('\x1b[6~');
      f = t.lastFrame()!;
      expect(f).toContain(lang === 'en' ? 'Esc or ? closes this help. No mouse needed.' : 'Esc 或 ? 关闭帮助。不需要鼠标。');
      expect(f.split('\n').some((l) => l.startsWith('╰'))).toBe(true);
    });
  }

  it('? at 120×36 fits without scrolling', async () => {
    const t = await mountSized(120, 36);
    await t.press(ENTER);
    await t.press('?');
    const f = t.lastFrame()!;
    expect(f).toContain('Esc or ? closes this help. No mouse needed.');
    expect(f).not.toContain('↓ more below');
  });
});

describe('16: long commands are shown whole, wrapped under their prompt', () => {
  for (const { cols, rows } of SIZES) {
    it(`pod-to-pod step 4's kubectl run with --overrides at ${cols}×${rows}`, async () => {
      const t = await mountSized(cols, rows);
      await t.press(ENTER);
      for (let i = 0; i < 3; i++) await t.press('j');
      const f = t.lastFrame()!;
      expect(f).toContain('Step 4/4');
      const pane = stepPaneRows(f, cols);
      const start = pane.findIndex((l) => l.includes('$ kubectl run traceroute'));
      expect(start).toBeGreaterThan(-1);
      const command = `kubectl run traceroute --image=busybox --restart=Never --overrides='{"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-2"}}}' -- traceroute -n -w 1 -m 8 10.244.1.3`;
      const squash = (s: string) => s.replace(/\s+/g, '');
      expect(squash(pane.slice(start, start + 4).join(' '))).toContain(squash(command));
      // Continuation lines hang under the command, not under the prompt.
      const indent = pane[start]!.indexOf('kubectl');
      expect(pane[start + 1]!.slice(0, indent).trim()).toBe('');
      expect(pane[start + 1]!.slice(indent)).toMatch(/^\S/);
      expect(tooWide(f, cols)).toEqual([]);
    });
  }
});

describe('19: the panes share the rows by what they hold; a diagnosis is said once', () => {
  for (const { cols, rows } of SIZES) {
    it(`a short check table leaves the step pane every other row (${cols}×${rows})`, async () => {
      const t = await mountSized(cols, rows);
      await t.press(ENTER);
      for (let i = 0; i < 3; i++) await t.press(ENTER); // steps 1–3 run and pass (shown), step 3 stays selected
      await t.press('k');
      await t.press('j');
      await t.press(ENTER);
      const f = t.lastFrame()!;
      const lines = f.split('\n');
      const title = lines.findIndex((l) => l.startsWith('── check of step'));
      const footer = lines.findIndex((l) => l.startsWith('↑↓/jk'));
      expect(title).toBeGreaterThan(-1);
      expect(lines.slice(title, footer).filter((l) => !l.trim())).toEqual([]);
      // The step pane got those rows: at 120×36 the whole text fits.
      if (rows === 36) expect(f).not.toContain('↓ more below');
      expect(f).toContain('◇ Shown: hoplab ran the solution');
    });
  }

  it('a failed trace whose summary is its diagnosis shows the diagnosis once, under the table', async () => {
    const diagnosis = 'traffic left through the NAT interface eth0, not eth1';
    const runner = fakeRunner();
    const checkStep: UiDeps['checkStep'] = async (lab, i, provider, answers, opts) => {
      const out = (await runner.checkStep(lab, i, provider, answers, {})).map((c) =>
        c.hops?.verdict ? { ...c, passed: false, outcome: 'failed' as const, summary: diagnosis, hops: { ...c.hops, verdict: { ...c.hops.verdict, passed: false, firstDifference: 1, diagnosis } } } : c,
      );
      for (const c of out) opts.onEvent?.({ type: 'check', step: i, result: c });
      return out;
    };
    const t = await mount('up', { checkStep });
    await t.press(ENTER);
    await t.press('c');
    const f = t.lastFrame()!;
    expect(f.split(diagnosis).length - 1).toBe(1);
    expect(f).toContain(`→ hop 1: ${diagnosis}`);
    expect(f).toContain('one hop over eth1 — the trace differs from the expected path at hop 1');
  });
});

describe('18: topology keeps pod IPs, the name gives way', () => {
  const pods = [
    { name: 'coredns-6797c8d9cc-6lfmn', namespace: 'kube-system', node: 'controlplane', ip: '10.244.0.2' },
    { name: 'coredns-6797c8d9cc-x9kzt', namespace: 'kube-system', node: 'controlplane', ip: '10.244.0.3' },
    { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', hostVeth: 'veth1' },
  ];
  for (const { cols, rows } of SIZES) {
    it(`every pod's IP is on screen at ${cols}×${rows}`, async () => {
      const facts = labFacts(planLab('t', 'flannel-host-gw', 2), pods);
      const r = render(<TopologyView facts={facts} width={cols} height={rows - 2} scroll={0} />);
      await tick(5);
      const f = r.lastFrame()!;
      r.unmount();
      for (const p of pods) expect(f).toMatch(new RegExp(`pod \\S+ ${p.ip.replace(/\./g, '\\.')}(?!\\d)`));
      expect(f).toContain('pod httpd 10.244.1.3');
      expect(tooWide(f, cols)).toEqual([]);
    });
  }

  it('podLabel cuts the middle of the name (the hash), never the address', () => {
    expect(podLabel('httpd', '10.244.1.3', 40)).toBe('└ pod httpd 10.244.1.3');
    expect(podLabel('coredns-6797c8d9cc-6lfmn', '10.244.0.2', 30)).toBe('└ pod coredn…-6lfmn 10.244.0.2');
  });
});

describe('17: the output pane shows a shell session as the terminal showed it', () => {
  it('history recall in the shell is the command that ran, not the keystrokes run together', async () => {
    const recall =
      '$ kubectl delete pod traceroute\r\n$ kubectl delete pod traceroute' + '\b'.repeat(29) + 'kubectl run traceroute --image=busybox -- traceroute -n 10.244.1.3\x1b[K\r\n$ exit\r\n';
    const handover: UiDeps['handover'] = () => {
      const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 }) as unknown as NodeJS.WriteStream;
      stdout.on('data', () => undefined);
      const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
      return handOver({ file: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(recall)})`], env: {} }, { stdin, stdout });
    };
    const t = await mount('up', { handover });
    await t.press(ENTER);
    await t.press('s');
    const f = t.lastFrame()!;
    expect(f).toContain('$ kubectl run traceroute --image=busybox -- traceroute -n 10.244.1.3');
    expect(f).not.toContain('tracerouterun');
  });
});
