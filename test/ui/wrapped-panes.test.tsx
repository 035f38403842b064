// Frame tests for the panes that print bulleted or labelled text (issue 18,
// items 14, 15, 16, 19): the check list, the bring-up screen's error box, the
// start screen's notes and errors. At 80×24 and 120×36, with long Russian,
// Chinese and Portuguese text: a wrapped line hangs under the text (not under
// the mark), starts with no stray space, the mark keeps its space, nothing is
// cut and no line is wider than the screen.
import { render } from 'ink-testing-library';
import type { ReactNode } from 'react';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/lang.js';
import type { CheckResult } from '../../src/labs/results.js';
import { bringUpReducer, startBringUp } from '../../src/ui/bring-up-state.js';
import { BringUpScreen } from '../../src/ui/BringUpScreen.js';
import { CheckList } from '../../src/ui/CheckTable.js';
import { LangContext } from '../../src/ui/i18n.js';
import { initialLab, labUiReducer } from '../../src/ui/lab-state.js';
import { LabScreen } from '../../src/ui/LabScreen.js';
import { StepPane } from '../../src/ui/StepPane.js';
import { OutputStore } from '../../src/ui/output-store.js';
import { initialStart, startReducer } from '../../src/ui/start-state.js';
import { StartScreen } from '../../src/ui/StartScreen.js';
import { makeTheme } from '../../src/ui/theme.js';
import { ThemeContext } from '../../src/ui/use-theme.js';
import { Hanging } from '../../src/ui/Wrapped.js';
import { AskOverlay } from '../../src/ui/AskOverlay.js';
import { ConfirmQuit } from '../../src/ui/ConfirmQuit.js';
import { miniLab, tick } from './fakes.js';

const SIZES = [
  { cols: 80, rows: 24 },
  { cols: 120, rows: 36 },
] as const;

/** Long lab text in three languages (the lab's own words, which the UI only lays out). */
const TEXT: Record<Exclude<Lang, 'en'>, { summary: string; diagnosis: string; error: string; bringUp: string; hint: string }> = {
  ru: {
    summary: 'трасса дошла до пода httpd, но по дороге прошла через интерфейс eth0 узла node-2, который смотрит в сеть NAT VirtualBox, а не через коммутатор host-only',
    diagnosis: 'пакет ушёл через интерфейс NAT: маршрут к CIDR подов 10.244.1.0/24 на узле node-2 указывает на eth0 и шлюз 10.0.2.2, а должен указывать на eth1 и адрес 192.168.56.11 узла node-1',
    error: 'в кластере нет пода httpd: его создаёт шаг 1 «Под на узле», выполните его сначала или нажмите u, чтобы догнать лабораторную без проверки',
    bringUp: 'встроенный провайдер netns строит сетевые пространства имён и поэтому требует прав root на этой машине, а hoplab запущен от обычного пользователя без sudo',
    hint: 'запустите его через sudo: sudo hoplab up --name h18r --cni flannel-host-gw, после чего снова откройте лабораторную',
  },
  zh: {
    summary: '追踪到达了 httpd 这个 Pod,但途中经过了 node-2 的 eth0 网卡,这块网卡连接的是 VirtualBox 的 NAT 网络,而不是仅主机交换机,所以路径和预期不同',
    diagnosis: '数据包从 NAT 网卡离开:node-2 上去往 Pod 网段 10.244.1.0/24 的路由指向 eth0 和网关 10.0.2.2,而它本应指向 eth1 和 node-1 的地址 192.168.56.11',
    error: '集群里没有名为 httpd 的 Pod:它由第 1 步「节点上的 Pod」创建,请先完成那一步,或者按 u 在不检查的情况下追上实验进度',
    bringUp: '内置的 netns 提供者要在本机上创建网络命名空间,因此需要 root 权限,而 hoplab 现在是以普通用户身份运行的,没有使用 sudo',
    hint: '请用 sudo 运行:sudo hoplab up --name h18r --cni flannel-host-gw,然后重新打开这个实验',
  },
  pt: {
    summary: 'o trace chegou ao pod httpd, mas no caminho passou pela interface eth0 do node-2, que dá para a rede NAT do VirtualBox, e não pelo switch host-only do laboratório',
    diagnosis: 'o pacote saiu pela interface NAT: a rota para o CIDR dos pods 10.244.1.0/24 no node-2 aponta para eth0 e o gateway 10.0.2.2, quando deveria apontar para eth1 e o endereço 192.168.56.11 do node-1',
    error: 'não há pod httpd no cluster: quem o cria é o passo 1 "Um pod no node", rode esse passo primeiro ou aperte u para alcançar o lab sem verificar',
    bringUp: 'o provedor embutido netns monta namespaces de rede e por isso precisa de root nesta máquina, mas o hoplab está rodando como um usuário comum, sem sudo',
    hint: 'rode com sudo: sudo hoplab up --name h18r --cni flannel-host-gw, e depois abra o lab de novo',
  },
};

const squash = (s: string) => s.replace(/\s+/g, '');

/** The settled frame of `node` on a terminal `cols` wide (Ink cuts what is wider than its terminal). */
async function frame(node: ReactNode, lang: Lang, cols = 120): Promise<string> {
  const tree = (
    <ThemeContext.Provider value={makeTheme(false)}>
      <LangContext.Provider value={lang}>{node}</LangContext.Provider>
    </ThemeContext.Provider>
  );
  const r = render(tree);
  Object.defineProperty(r.stdout, 'columns', { get: () => cols, configurable: true });
  r.stdout.emit('resize');
  r.rerender(tree);
  await tick(5);
  let f = r.lastFrame()!;
  // Boxes that measure their content draw twice: wait for the frame to settle.
  for (let since = Date.now(), end = Date.now() + 3000; Date.now() - since < 120 && Date.now() < end; ) {
    await tick(25);
    const next = r.lastFrame()!;
    if (next !== f) [f, since] = [next, Date.now()];
  }
  r.unmount();
  return f;
}

/**
 * The text drawn after `lead` at column `col`, read back line by line: the
 * first line from the lead on, then every line that hangs exactly under the
 * text (`col + lead` spaces, then no space). Returns the text and the rows.
 */
function hanging(frame: string, lead: string, text: string, col = 0): { text: string; rows: string[] } {
  const lines = frame.split('\n');
  const indent = ' '.repeat(col);
  const hang = ' '.repeat(col + stringWidth(lead));
  const first = [...text].slice(0, 4).join('');
  const at = lines.findIndex((l) => l.startsWith(indent + lead + first));
  expect(at, `a line starting "${indent + lead + first}"`).toBeGreaterThanOrEqual(0);
  const rows = [lines[at]!];
  let got = squash(lines[at]!.slice(col + lead.length));
  for (let i = at + 1; i < lines.length && got.length < squash(text).length; i++) {
    const l = lines[i]!;
    if (!l.startsWith(hang) || l[hang.length] === ' ' || !squash(text).startsWith(got + squash(l))) break;
    rows.push(l);
    got += squash(l);
  }
  return { text: got, rows };
}

function noneTooWide(frame: string, cols: number) {
  expect(frame.split('\n').filter((l) => stringWidth(l) > cols)).toEqual([]);
}

function failedTrace(lang: Exclude<Lang, 'en'>): CheckResult {
  const x = TEXT[lang];
  return {
    id: 'h',
    kind: 'hops',
    title: 'traceroute → httpd',
    passed: false,
    summary: x.summary,
    error: x.error,
    hops: {
      from: 'pod/traceroute',
      to: 'pod/httpd',
      expected: null,
      expectedFrom: 'engine',
      notes: [],
      traceWarnings: [],
      verdict: {
        passed: false,
        hops: [
          { ttl: 1, expected: { address: '10.244.2.1', interface: 'cni0', node: 'node-2', why: '' }, observed: ['10.244.2.1'], status: 'match' },
          { ttl: 2, expected: { address: '192.168.56.11', interface: 'eth1', node: 'node-1', why: '' }, observed: ['10.0.2.2'], status: 'mismatch' },
        ],
        firstDifference: 2,
        diagnosis: x.diagnosis,
      },
    },
  };
}

describe('Hanging', () => {
  it('keeps the lead and its space, hangs the wrapped lines under the text, measures wide characters as two columns', async () => {
    const f = await frame(<Hanging lead="• " width={20} spans={[{ text: '路径在这里出了错,数据包从错误的网卡离开了' }]} />, 'zh');
    const lines = f.split('\n');
    expect(lines[0]).toMatch(/^• 路/);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {2}[^ ]/);
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(20);
    expect(squash(lines.join('').replace(/^•/, ''))).toBe('路径在这里出了错,数据包从错误的网卡离开了');
  });
});

for (const lang of ['ru', 'zh', 'pt'] as const) {
  const x = TEXT[lang];
  describe(`panes in ${lang}`, () => {
    for (const { cols, rows } of SIZES) {
      it(`the check list at ${cols}×${rows}: the summary, the diagnosis and the error hang under their text, whole`, async () => {
        const f = await frame(<CheckList checks={[failedTrace(lang)]} width={cols} />, lang, cols);
        noneTooWide(f, cols);
        const summary = hanging(f, '✗ ', `traceroute → httpd — ${x.summary}`);
        expect(summary.text).toBe(squash(`traceroute → httpd — ${x.summary}`));
        expect(summary.rows.length).toBeGreaterThan(1);
        const hop = lang === 'ru' ? 'переход 2: ' : lang === 'zh' ? '第 2 跳:' : 'salto 2: ';
        expect(hanging(f, '→ ', hop + x.diagnosis, 2).text).toBe(squash(hop + x.diagnosis));
        expect(hanging(f, '', x.error, 2).text).toBe(squash(x.error));
      });

      it(`the lab screen at ${cols}×${rows}: the check pane's lines stay whole and hang`, async () => {
        const s = labUiReducer(initialLab(miniLab()), { type: 'checked', step: 0, checks: [failedTrace(lang)] });
        const f = await frame(<LabScreen state={s} output={new OutputStore()} width={cols} height={rows - 2} />, lang, cols);
        noneTooWide(f, cols);
        expect(hanging(f, '✗ ', `traceroute → httpd — ${x.summary}`).text).toBe(squash(`traceroute → httpd — ${x.summary}`));
      });

      it(`the bring-up error box at ${cols}×${rows}: ✗ and → keep their space, the message and what to do are whole`, async () => {
        const s = bringUpReducer(startBringUp("lab 'h18r'", 0), { type: 'failed', message: x.bringUp, hint: x.hint, at: 100 });
        const f = await frame(<BringUpScreen state={s} width={cols} />, lang, cols);
        noneTooWide(f, cols);
        // Inside the box: "│ " before the text.
        const inBox = f
          .split('\n')
          .filter((l) => l.startsWith('│'))
          .map((l) => l.slice(2).replace(/ *│$/, ''))
          .join('\n');
        expect(hanging(inBox, '✗ ', x.bringUp).text).toBe(squash(x.bringUp));
        expect(hanging(inBox, '→ ', x.hint).text).toBe(squash(x.hint));
      });

      it(`the step pane at ${cols}×${rows}: a hint hangs under its text after "hint 1/1: ", the step's error after ✗`, async () => {
        const lab = miniLab();
        lab.steps[0]!.hints = [x.hint];
        let s = labUiReducer(initialLab(lab), { type: 'hint' });
        // A run that ended with an error: the step shows it under its title.
        s = labUiReducer(s, { type: 'busy', busy: { kind: 'run', step: 0 } });
        s = labUiReducer(s, { type: 'idle', error: x.error });
        // The step pane alone, as wide as LabScreen makes it (in the lab screen the output pane may hide its end).
        const width = cols - Math.min(34, Math.max(22, Math.floor(cols * 0.3))) - 1;
        const pane = await frame(<StepPane state={s} width={width} />, lang, cols);
        noneTooWide(pane, width);
        const label = lang === 'ru' ? 'подсказка 1/1: ' : lang === 'zh' ? '提示 1/1:' : 'dica 1/1: ';
        expect(hanging(pane, label, x.hint).text).toBe(squash(x.hint));
        expect(hanging(pane, '✗ ', x.error).text).toBe(squash(x.error));
      });

      it(`a question box at ${cols}×${rows}: its lines wrap inside the box, y and n keep their space and hang`, async () => {
        const ask = { title: x.bringUp, lines: [x.error], yes: x.hint, act: { kind: 'take-down' as const } };
        const inBox = (f: string) =>
          f
            .split('\n')
            .filter((l) => l.startsWith('│'))
            .map((l) => l.slice(2).replace(/ *│$/, ''))
            .join('\n');
        const f = await frame(<AskOverlay ask={ask} width={cols} />, lang, cols);
        noneTooWide(f, cols);
        expect(squash(inBox(f))).toContain(squash(x.bringUp + x.error));
        expect(hanging(inBox(f), 'y ', x.hint).text).toBe(squash(x.hint));
        const q = await frame(<ConfirmQuit lab={x.summary.slice(0, 60)} width={cols} />, lang, cols);
        noneTooWide(q, cols);
        expect(inBox(q).split('\n').filter((l) => /^[ydn] /.test(l))).toHaveLength(3);
      });

      it(`the start screen at ${cols}×${rows}: a lab file's error and a cluster note hang under their mark`, async () => {
        let s = initialStart('netns', 'h18r');
        s = startReducer(s, { type: 'labs', labs: [], errors: [`labs/x.yaml:3:5: ${x.error}`] });
        s = startReducer(s, { type: 'cluster', cluster: { provider: 'netns', lab: 'h18r', state: 'partial', notes: [x.bringUp] } });
        s = startReducer(s, { type: 'loaded' });
        const f = await frame(<StartScreen state={s} width={cols} />, lang, cols);
        noneTooWide(f, cols);
        expect(hanging(f, '✗ ', `labs/x.yaml:3:5: ${x.error}`).text).toBe(squash(`labs/x.yaml:3:5: ${x.error}`));
        expect(hanging(f, '! ', x.bringUp, 2).text).toBe(squash(x.bringUp));
      });
    }
  });
}
