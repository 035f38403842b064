// The TUI's catalog: every t('...') in src/ui has an entry in all three
// languages, with the same {values} as the English text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../../src/ui/keymap.js';
import { MESSAGES, translate } from '../../src/ui/i18n.js';

const UI = new URL('../../src/ui/', import.meta.url).pathname;

/** The literal first arguments of t(...), tr(...), ctl.t(...) and translate(lang, ...) calls in src/ui. */
function usedKeys(): string[] {
  const keys = new Set<string>();
  for (const f of readdirSync(UI).filter((n) => /\.tsx?$/.test(n) && n !== 'i18n.ts')) {
    const src = readFileSync(join(UI, f), 'utf8');
    for (const m of src.matchAll(/\b(?:t|tr)\(\s*(['"])((?:\\.|(?!\1).)*)\1/g)) keys.add(m[2]!.replace(/\\'/g, "'"));
    for (const m of src.matchAll(/\btranslate\(\s*[\w.]+,\s*(['"])((?:\\.|(?!\1).)*)\1/g)) keys.add(m[2]!.replace(/\\'/g, "'"));
  }
  return [...keys];
}

const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('TUI message catalog', () => {
  it('has every string the UI asks for, in ru, zh and pt', () => {
    const used = usedKeys();
    expect(used.length).toBeGreaterThan(60);
    expect(used.filter((k) => !MESSAGES[k])).toEqual([]);
  });

  it('has the footer words and the help text of every key', () => {
    const texts = KEYMAP.flatMap((b) => [b.short, b.description]);
    expect(texts.filter((k) => !MESSAGES[k])).toEqual([]);
  });

  it('keeps every {value} of the English text in each translation, and adds none', () => {
    const bad: string[] = [];
    for (const [en, tr] of Object.entries(MESSAGES)) {
      for (const [lang, text] of Object.entries(tr)) if (vars(text).join() !== vars(en).join()) bad.push(`${lang}: ${en} → ${text}`);
    }
    expect(bad).toEqual([]);
  });

  it('fills values and falls back to English for a string it does not know', () => {
    expect(translate('zh', 'Step {n}/{total}: {title}', { n: 1, total: 4, title: '节点' })).toBe('第 1/4 步:节点');
    expect(translate('ru', 'not in the catalog {x}', { x: 1 })).toBe('not in the catalog 1');
    expect(translate('en', 'Steps')).toBe('Steps');
  });
});
