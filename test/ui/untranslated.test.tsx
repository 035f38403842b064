// The TUI in Russian shows none of its own English: every phrase written in
// src/ui (string literals, template text, JSX text) is looked for in every
// frame of the screens a learner meets, with lang ru. A phrase still in
// English means a string that skipped t() or has no Russian. The lab's own
// text is content, translated in the lab files, and not looked at here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MachineError } from '../../src/core/errors.js';
import { labDirs, loadCatalog } from '../../src/labs/catalog.js';
import { CTRL_C, DOWN, ENTER, ESC, mount } from './mount.js';

const UI = new URL('../../src/ui', import.meta.url).pathname;
const dirs = labDirs({ env: {} });
const realCatalog = { loadCatalog: (lang?: Parameters<typeof loadCatalog>[1]) => loadCatalog(dirs, lang) };

/**
 * English phrases of src/ui: each literal cut at its {values} and ${...}, the
 * pieces with two or more words. Commands (hoplab …, kubectl …) are the same
 * in every language and left out.
 */
export function uiPhrases(): Map<string, string> {
  const out = new Map<string, string>();
  const add = (text: string, where: string) => {
    for (const piece of text.split(/\{\w+\}|\n|'(?:hoplab|kubectl) [^']*'/)) {
      const p = piece.trim();
      if (!/[A-Za-z]{2,} +[A-Za-z]{2,}/.test(p)) continue;
      if (/^(sudo |hoplab |kubectl )|--|[<>]|^\w+\(/.test(p)) continue;
      out.set(p, where);
    }
  };
  // i18n.ts holds the keys (each also at the t() that uses it) and their translations: not the UI's own English.
  for (const file of readdirSync(UI).filter((f) => /\.tsx?$/.test(f) && f !== 'i18n.ts')) {
    const src = ts.createSourceFile(file, readFileSync(join(UI, file), 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isLiteralTypeNode(n)) return;
      const where = `${file}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) add(n.text, where);
      else if (ts.isJsxText(n)) add(n.text, where);
      n.forEachChild(visit);
    };
    visit(src);
  }
  return out;
}

/** The phrases of `phrases` in what the terminal showed (lines joined, so a wrapped phrase is found too). */
function english(frames: string[], phrases: Map<string, string>): string[] {
  const screen = frames.join('\n').replace(/\s+/g, ' ');
  return [...phrases].filter(([p]) => screen.includes(p.replace(/\s+/g, ' '))).map(([p, where]) => `${where}: ${p}`);
}

async function mountRu(state: 'up' | 'down', cols: number, rows: number, extra: Parameters<typeof mount>[1] = {}) {
  const t = await mount(state, { ...realCatalog, lang: 'ru', ...extra });
  Object.defineProperty(t.stdout, 'columns', { get: () => cols, configurable: true });
  Object.defineProperty(t.stdout, 'rows', { get: () => rows, configurable: true });
  t.stdout.emit('resize');
  await t.press('');
  return t;
}

describe('no English of the UI in a Russian session', () => {
  const phrases = uiPhrases();

  it('the phrase list finds the UI\'s own words (and is not empty by accident)', () => {
    expect(phrases.has('No check has run for this step yet: Enter runs it, c checks what you did.')).toBe(true);
    expect(phrases.size).toBeGreaterThan(100);
  });

  for (const [cols, rows] of [
    [120, 36],
    [80, 24],
  ] as const) {
    it(`start screen, help, bring-up, a lab's steps, checks, hints, answer, topology, the asks (${cols}×${rows})`, async () => {
      const t = await mountRu('down', cols, rows);
      await t.press('?');
      await t.press(ESC);
      await t.press('!'); // not in a classroom
      await t.press(ENTER); // bring the cluster up, then open pod-to-pod
      await t.press('?');
      await t.press(ESC);
      await t.press(ENTER); // hoplab runs step 1: shown
      await t.press('n');
      t.runner.failing.add(1);
      await t.press(ENTER); // step 2 fails: the check table, the evidence
      await t.press('\t');
      await t.press('\t');
      await t.press('h');
      await t.press('a');
      await t.press('c');
      await t.press('t');
      await t.press(ESC);
      await t.press('r');
      await t.press('u');
      await t.press('p');
      await t.press(ESC);
      await t.press('R'); // start over? no
      await t.press('n');
      await t.press('j');
      await t.press('j');
      await t.press('s');
      await t.press(ESC);
      await t.press('q'); // quit? stay
      await t.press('n');
      await t.press(ESC); // back to the start screen
      await t.press('d'); // take it down? no
      await t.press('n');
      await t.press('t');
      await t.press(ESC);
      expect(english(t.frames, phrases)).toEqual([]);
    });
  }

  it('a bring-up that fails, one that is stopped, and a lab that needs the office LAN', async () => {
    const frames: string[] = [];
    const failed = await mountRu('down', 100, 30);
    failed.provider.failUp = new MachineError('up failed');
    await failed.press('u');
    await failed.press(ESC);
    frames.push(...failed.frames);

    const stopped = await mountRu('down', 100, 30);
    stopped.provider.hold = true;
    stopped.provider.ignoreAbort = true;
    await stopped.type('u');
    await stopped.type(CTRL_C);
    await stopped.controller.settled();
    frames.push(...stopped.frames);

    // The office LAN lab asks before it adds the LAN: to a running cluster, and with a new one.
    for (const state of ['up', 'down'] as const) {
      const t = await mountRu(state, 100, 30);
      const at = t.store.get().start.labs.findIndex((l) => l.id === 'office-lan');
      expect(at).toBeGreaterThan(0);
      for (let i = 0; i < at; i++) await t.press(DOWN);
      await t.press(ENTER);
      expect(t.store.get().ask).toBeDefined();
      await t.press(ESC);
      frames.push(...t.frames);
    }
    expect(english(frames, phrases)).toEqual([]);
  });
});
