import { readFileSync } from 'node:fs';
import { hoplabInProcess } from '../helpers/in-process.js';
import { describe, expect, it } from 'vitest';
import { chooseLang, langOfLocale, nextLang } from '../../src/core/lang.js';
import { loadCatalog, labDirs } from '../../src/labs/catalog.js';
import { loadLabFile } from '../../src/labs/load.js';
import { formatLabError, type Lab } from '../../src/labs/model.js';
import { localizeLab, parseTranslation } from '../../src/labs/translations.js';

const DIR = new URL('../fixtures/labs-i18n/', import.meta.url).pathname;

async function demo(): Promise<Lab> {
  const r = await loadLabFile(`${DIR}demo.yaml`);
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return r.lab;
}

function errorsOf(text: string, lab: Lab, lang: 'ru' | 'zh' | 'pt' = 'ru'): string[] {
  const r = parseTranslation(text, 'i18n/demo.ru.yaml', lab, lang);
  return r.ok ? [] : r.errors.map(formatLabError);
}

const hoplab = hoplabInProcess;

describe('language choice', () => {
  it('takes --lang, else LC_ALL, LC_MESSAGES, LANG in that order, else English', () => {
    expect(chooseLang('zh', { LANG: 'ru_RU.UTF-8' })).toBe('zh');
    expect(chooseLang('pt_BR.UTF-8', {})).toBe('pt');
    expect(chooseLang(undefined, { LANG: 'ru_RU.UTF-8' })).toBe('ru');
    expect(chooseLang(undefined, { LC_ALL: 'zh_CN.UTF-8', LANG: 'ru_RU.UTF-8' })).toBe('zh');
    expect(chooseLang(undefined, { LC_MESSAGES: 'pt_PT', LANG: 'ru_RU' })).toBe('pt');
    // LC_ALL=C overrides a Russian LANG, as it does for every other program.
    expect(chooseLang(undefined, { LC_ALL: 'C', LANG: 'ru_RU.UTF-8' })).toBe('en');
    expect(chooseLang(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(chooseLang(undefined, {})).toBe('en');
    expect(langOfLocale('C.UTF-8')).toBeUndefined();
    expect(() => chooseLang('de', {})).toThrow("--lang 'de': expected one of en, ru, zh, pt");
    expect([nextLang('en'), nextLang('ru'), nextLang('zh'), nextLang('pt')]).toEqual(['ru', 'zh', 'pt', 'en']);
  });
});

describe('lab translations', () => {
  it('merge the prose over the English lab; ids, commands and checks stay the English ones', async () => {
    const lab = await demo();
    const r = parseTranslation(readFileSync(`${DIR}i18n/demo.ru.yaml`, 'utf8'), 'demo.ru.yaml', lab, 'ru');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ru = localizeLab(lab, r.translation);
    expect(ru.title).toBe('Демо');
    const [step] = ru.steps;
    expect(step!.title).toBe('Первый');
    expect(step!.hints).toEqual(['Первая подсказка.', 'Вторая подсказка.']);
    expect(step!.checks.map((c) => c.title)).toEqual(['node-1 достигает node-2', 'Какой шлюз?']);
    expect(step!.checks[1]).toMatchObject({ kind: 'answer', question: 'Какой шлюз?', id: 'gw' });
    expect(step!.solution?.text).toBe('Шлюз — {{ nodes.node-1.gateway }}.');
    expect(step!.run).toBe(lab.steps[0]!.run);
    expect(step!.solution?.answers).toBe(lab.steps[0]!.solution?.answers);
    expect(step!.id).toBe('one');
  });

  it('reports every difference from the English lab with file:line:col', async () => {
    const lab = await demo();
    expect(errorsOf(readFileSync(`${DIR}i18n/demo.zh.yaml`, 'utf8'), lab, 'zh')).toEqual([
      "i18n/demo.ru.yaml:7:11: steps.one.text: {{ pods.httpd.ip }} is not in the English text (templates are the English file's; translate the prose around them)",
      'i18n/demo.ru.yaml:9:7: steps.one.checks.gw: missing (expected the question, translated from: "Which gateway?")',
      "i18n/demo.ru.yaml:11:7: steps.one.hints: expected a list of 2 hints (the English step's, in order), got 1",
      "i18n/demo.ru.yaml:13:3: steps.tow: no step 'tow' in the English lab (expected one of one)",
    ]);
  });

  it('wants the English templates kept, the right lang, and no unknown fields', async () => {
    const lab = await demo();
    const base = readFileSync(`${DIR}i18n/demo.ru.yaml`, 'utf8');
    expect(errorsOf(base.replace('Шлюз — {{ nodes.node-1.gateway }}.', 'Шлюз.'), lab)).toEqual([
      'i18n/demo.ru.yaml:14:15: steps.one.solution: {{ nodes.node-1.gateway }} of the English text is missing',
    ]);
    expect(errorsOf(base.replace('lang: ru', 'lang: pt'), lab)).toEqual(['i18n/demo.ru.yaml:1:7: lang: expected lang: ru (the file\'s name says ru), got "pt"']);
    expect(errorsOf(base.replace('    hints:', '    hint: x\n    hints:'), lab)).toEqual([
      "i18n/demo.ru.yaml:11:5: steps.one.hint: no field 'hint' in the English lab (did you mean hints?)",
    ]);
    expect(errorsOf(base.replace('  one:\n', '  one:\n    run: []\n'), lab)[0]).toMatch(/steps\.one\.run: no field 'run' in the English lab/);
    expect(errorsOf('lang: ru\ntitle: [x\n', lab)[0]).toMatch(/^i18n\/demo\.ru\.yaml:\d+:\d+: YAML syntax: /);
  });
});

describe('hoplab labs --check with translations', () => {
  it('checks every language beside a lab and names the file and line of each problem, exit 2', async () => {
    const r = await hoplab('labs', '--check', '--labs', DIR, `${DIR}demo.yaml`);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`ok    ${DIR}demo.yaml\n`);
    expect(r.out).toContain(`ok    ${DIR}i18n/demo.ru.yaml\n`);
    expect(r.out).toContain(`FAIL  ${DIR}i18n/demo.zh.yaml\n`);
    expect(r.out).toContain(`FAIL  ${DIR}i18n/demo.pt.yaml\n`);
    expect(r.err).toContain(`${DIR}i18n/demo.zh.yaml:11:7: steps.one.hints: expected a list of 2 hints`);
    expect(r.err).toContain(`${DIR}i18n/demo.pt.yaml:1:1: no pt translation of lab 'demo' (expected in i18n/ beside demo.yaml)`);
  });

  it('checks one translation named on the command line against its lab', async () => {
    const r = await hoplab('labs', '--check', `${DIR}i18n/demo.ru.yaml`);
    expect(r.out).toBe(`ok    ${DIR}demo.yaml\n      needs traceroute (traceroute)\nok    ${DIR}i18n/demo.ru.yaml\n`);
    expect(r.code).toBe(0);
  });

  it('every shipped lab is translated into every language, and the catalog gives the labs in it', async () => {
    const english = (await loadCatalog(labDirs({ env: {} }), 'en')).labs;
    for (const lang of ['ru', 'zh', 'pt'] as const) {
      const { labs, errors } = await loadCatalog(labDirs({ env: {} }), lang);
      expect(errors.map(formatLabError)).toEqual([]);
      // Every lab, every step: the prose differs from the English (a forgotten file would fall back to English).
      expect(labs.map((l) => l.id)).toEqual(english.map((l) => l.id));
      labs.forEach((l, i) => {
        expect(l.title).not.toBe(english[i]!.title);
        l.steps.forEach((st, k) => expect(st.text).not.toBe(english[i]!.steps[k]!.text));
      });
      const p2p = labs.find((l) => l.id === 'pod-to-pod')!;
      expect(p2p.title).toBe({ ru: 'Трафик pod-to-pod, переход за переходом', zh: 'Pod 到 Pod 的流量,逐跳追踪', pt: 'Tráfego de pod para pod, salto a salto' }[lang]);
    }
  });
});
