// `hoplab --lang zh` end to end: the built binary in an 80×24 pseudo-terminal
// walks the pod-to-pod lab on the netns provider in Chinese to "lab complete",
// reading the screen through a real terminal emulator (wide characters take
// two cells there). Needs root, the netns tools and `npm run build`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { HOPLAB, ROOT, hoplab } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';
import { KEY, openScreen, type Screen } from './pty-screen.js';

const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const skip = NO_NETNS ?? (built ? undefined : 'needs `npm run build`');
if (skip) console.warn(`skipping the Chinese terminal UI end-to-end test: ${skip}`);

const state = mkdtempSync(join(tmpdir(), 'hoplab-ui-lang-'));
const lab = testLabName('uz');
const env = (): Record<string, string> => {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && k !== 'NO_COLOR') e[k] = v;
  // --lang wins over the locale: a Russian LANG must not matter.
  return { ...e, LANG: 'ru_RU.UTF-8', XDG_STATE_HOME: state, TERM: 'xterm-256color' };
};

afterAll(async () => {
  await hoplab(['down', '--name', lab]);
  rmSync(state, { recursive: true, force: true });
});

/** The terminal column where `text` starts on the first line holding it. */
function column(screen: string, text: string): number {
  const line = screen.split('\n').find((l) => l.includes(text));
  if (line === undefined) throw new Error(`no line with ${text}:\n${screen}`);
  return stringWidth(line.slice(0, line.indexOf(text)));
}

async function idle(s: Screen): Promise<string> {
  return s.waitFor((t) => t.includes('q 退出') && !t.includes('(Ctrl-C 停止)'), 30_000);
}

describe.skipIf(skip)('hoplab --lang zh on the netns provider', () => {
  it('walks pod-to-pod in Chinese at 80×24, the columns aligned', { timeout: 240_000 }, async () => {
    const s = openScreen('node', [HOPLAB, '--lang', 'zh', '--name', lab], { env: env(), cwd: ROOT, cols: 80, rows: 24 });
    try {
      const start = await s.waitFor((t) => t.includes('Pod 到 Pod 的流量,逐跳追踪') && t.includes('本机: ✓'));
      expect(start).toContain('hoplab — 逐跳学习 Kubernetes 如何转发数据包');
      expect(start).toContain(`lab '${lab}' · netns · ○ 未启动`);
      // pod-to-pod is first in the catalog's order: the cursor is on it.
      expect(start).toMatch(/^› Pod 到 Pod 的流量,逐跳追踪 \(pod-to-pod\)/m);

      s.press(KEY.enter); // bring the cluster up, then open the lab
      let screen = await s.waitFor('第 1/4 步:节点经 eth0 访问互联网', 60_000, /✗ 正在启动|✗ 启动/);
      // The step list and the step pane side by side: the pane's rows start in one column,
      // whatever mix of wide and narrow characters the list has on its left.
      expect(column(screen, '○ 第 1/4 步')).toBe(column(screen, 'Enter:由 hoplab 执行'));
      expect(column(screen, '○ 第 1/4 步') + 2).toBe(column(screen, '$ kubectl run nginx'));
      for (const l of screen.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(80);

      const titles = ['节点经 eth0 访问互联网', '节点之间经 eth1 互通', '同一节点上的 Pod(cni0)', '不同节点上的 Pod(cni0 + eth1 + cni0)'];
      for (let n = 1; n <= 4; n++) {
        if (n > 1) {
          s.press('n');
          await s.waitFor(`第 ${n}/4 步:${titles[n - 1]}`);
        }
        s.press(KEY.enter); // hoplab runs the step, then checks it: shown (◇), not the learner's own
        await s.waitFor(new RegExp(`◇ ${n}\\. `), 90_000, new RegExp(`✗ ${n}\\. `));
        screen = await idle(s);
      }
      screen = await s.waitFor('★ 实验完成');
      const table = await s.waitFor('── 第 4 步的检查');
      // The hop table under Chinese headings: each value in its heading's column.
      const head = table.split('\n').find((l) => l.includes('预期') && l.includes('网卡'))!;
      const row = table.split('\n').find((l) => /^\s*1 ✓/.test(l))!;
      expect(column(head, '预期')).toBe(column(row, '10.244.2.1'));
      expect(column(head, '网卡')).toBe(column(row, 'cni0'));
      expect(column(head, '节点')).toBe(column(row, 'node-2'));
      expect(table).toMatch(/2 ✓\s+192\.168\.56\.11\s+eth1\s+node-1\s+192\.168\.56\.11/);
      for (const l of table.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(80);

      s.press('q');
      await s.waitFor('退出 hoplab?');
      s.press('d'); // take the cluster down, then quit
      expect(await s.exited).toBe(0);
      expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
    } finally {
      s.kill();
    }
  });
});
