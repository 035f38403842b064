// The TUI in Chinese (and the language switch): the real pod-to-pod lab's
// translation on the fakes, at 80×24, wide characters measured as two columns.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { labDirs, loadCatalog } from '../../src/labs/catalog.js';
import { joinLines } from '../../src/ui/markdown-parse.js';
import { ENTER, mount } from './mount.js';

const dirs = labDirs({ env: {} });
const realCatalog = { loadCatalog: (lang?: Parameters<typeof loadCatalog>[1]) => loadCatalog(dirs, lang) };

/** Frames at 80 columns: no line may be wider than the terminal (a wide character is two columns). */
function fitsWidth(frame: string, width = 80): string[] {
  return frame.split('\n').filter((l) => stringWidth(l) > width);
}

async function mountSized(lang: 'en' | 'zh' | 'ru', state: 'up' | 'down' = 'up') {
  const t = await mount(state, { ...realCatalog, lang });
  Object.defineProperty(t.stdout, 'columns', { get: () => 80, configurable: true });
  Object.defineProperty(t.stdout, 'rows', { get: () => 24, configurable: true });
  t.stdout.emit('resize');
  await t.press('');
  return t;
}

describe('the TUI in Chinese at 80×24', () => {
  it('the start screen: the labs, the cluster and the keys in Chinese, nothing wider than 80 columns', async () => {
    const t = await mountSized('zh', 'down');
    const f = t.lastFrame()!;
    expect(f).toContain('hoplab — 逐跳学习 Kubernetes 如何转发数据包');
    expect(f).toContain('Pod 到 Pod 的流量,逐跳追踪');
    expect(f).toContain('任意 CNI · 约 25 分钟 · 4 步 · 未开始');
    expect(f).toContain('○ 未启动');
    expect(f).toContain('Enter 打开');
    expect(f).toContain('q 退出');
    expect(fitsWidth(f)).toEqual([]);
  });

  it('hoplab --lang zh walks pod-to-pod in Chinese to "lab complete", wrapped and aligned', async () => {
    const t = await mountSized('zh');
    // pod-to-pod is the first lab of the catalog's order.
    await t.press(ENTER);
    let f = t.lastFrame()!;
    expect(f).toContain('Pod 到 Pod 的流量,逐跳追踪');
    expect(f).toContain('第 1/4 步:节点经 eth0 访问互联网');
    expect(f).toContain('步骤');
    expect(f).toContain('○ 1. 节点经 eth0');
    expect(f).toContain('每个节点有四块网卡');
    expect(fitsWidth(f)).toEqual([]);
    // The lab text's lines were joined without a space between Chinese characters.
    expect(f).not.toMatch(/路由器 访问/);

    const titles = ['节点经 eth0 访问互联网', '节点之间经 eth1 互通', '同一节点上的 Pod(cni0)', '不同节点上的 Pod(cni0 + eth1 + cni0)'];
    for (let i = 0; i < 4; i++) {
      await t.press(ENTER); // hoplab runs the step and checks it (the fake runner passes): shown, not the learner's
      f = t.lastFrame()!;
      expect(f).toContain(`◇ ${i + 1}. ${titles[i]!.slice(0, 6)}`);
      expect(f).toContain(`◇ 第 ${i + 1}/4 步:${titles[i]}`);
      expect(fitsWidth(f)).toEqual([]);
      if (i < 3) {
        expect(f).toContain('◇ 已演示:hoplab');
        await t.press('n');
        expect(t.lastFrame()).toContain(`第 ${i + 2}/4 步:${titles[i + 1]}`);
      }
    }
    f = t.lastFrame()!;
    expect(f).toContain('★ 实验完成——所有步骤都已通过。');
    expect(fitsWidth(f)).toEqual([]);
    expect(t.saved().labs['pod-to-pod']!.shown).toEqual(['node-to-internet', 'node-to-node', 'same-node', 'across-nodes']);
  });

  it('the hop table keeps its columns under Chinese headings; hints and the answer in Chinese', async () => {
    const t = await mountSized('zh');
    t.runner.failing.add(1);
    await t.press(ENTER);
    await t.press('n');
    await t.press(ENTER);
    const f = t.lastFrame()!;
    const head = f.split('\n').find((l) => l.includes('预期') && l.includes('网卡'))!;
    const row = f.split('\n').find((l) => /1 ✗/.test(l))!;
    expect(head).toBeDefined();
    expect(row).toBeDefined();
    // The address column starts at the same terminal column in the heading and the row.
    const col = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    expect(col(head, '预期')).toBe(col(row, '192.168.56.11'));
    expect(col(head, '网卡')).toBe(col(row, 'eth1'));
    expect(f).toContain('错误的跳');
    expect(f).toContain('在 controlplane 上的证据,路径在这里出了错:');
    expect(f).toContain('h 看提示,a 看答案,r 重新开始这一步。');
    await t.press('h');
    expect(t.lastFrame()).toContain('提示 1/4:`hoplab --name tui ssh controlplane`');
  });

  it('l switches the language in place: the footer, the screen and the open lab\'s text', async () => {
    const t = await mountSized('en');
    await t.press(ENTER);
    expect(t.lastFrame()).toContain('Step 1/4: Node to internet over eth0');
    await t.press('l');
    expect(t.store.get().lang).toBe('ru');
    expect(t.lastFrame()).toContain('Шаг 1/4: От узла в интернет через eth0');
    expect(t.lastFrame()).toContain('выполнить');
    await t.press('l');
    expect(t.lastFrame()).toContain('第 1/4 步:节点经 eth0 访问互联网');
    await t.press('l');
    expect(t.lastFrame()).toContain('Passo 1/4: Do node para a internet pela eth0');
    await t.press('l');
    expect(t.lastFrame()).toContain('Step 1/4: Node to internet over eth0');
  });
});

describe('Markdown paragraphs', () => {
  it('join Chinese lines without a space, other lines with one', () => {
    expect(joinLines(['经由 NAT 路由器', '访问外部网络'])).toBe('经由 NAT 路由器访问外部网络');
    expect(joinLines(['the NAT', 'router'])).toBe('the NAT router');
    expect(joinLines(['网关地址(node-1 上是', '`10.244.1.1`)。'])).toBe('网关地址(node-1 上是 `10.244.1.1`)。');
  });
});
