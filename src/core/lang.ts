// The languages hoplab speaks and how one is chosen: --lang, else the locale
// (LC_ALL, LC_MESSAGES, LANG, in POSIX's order of precedence), else English.
import { UsageError } from './errors.js';

export const LANGS = ['en', 'ru', 'zh', 'pt'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language named in itself, for the TUI's language switch. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', ru: 'Русский', zh: '中文', pt: 'Português' };

export function isLang(v: string): v is Lang {
  return (LANGS as readonly string[]).includes(v);
}

/** `ru_RU.UTF-8` → ru, `pt_BR` → pt, `zh_CN.UTF-8` → zh; C, POSIX and the rest → undefined. */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  const m = /^([a-z]{2})(?:[_.@-]|$)/i.exec(locale ?? '');
  const code = m?.[1]?.toLowerCase();
  return code && isLang(code) ? code : undefined;
}

export function chooseLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) {
    const l = flag.toLowerCase();
    if (isLang(l)) return l;
    const fromLocale = langOfLocale(flag);
    if (fromLocale) return fromLocale;
    throw new UsageError(`--lang '${flag}': expected one of ${LANGS.join(', ')}`);
  }
  // The first variable that is set decides, as for every other program: LC_ALL=C means English even with LANG=ru_RU.
  for (const v of [env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (v) return langOfLocale(v) ?? 'en';
  }
  return 'en';
}

/** The next language in the TUI's switch (en → ru → zh → pt → en). */
export function nextLang(l: Lang): Lang {
  return LANGS[(LANGS.indexOf(l) + 1) % LANGS.length]!;
}
