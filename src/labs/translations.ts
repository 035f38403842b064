// A lab's prose in another language: labs/i18n/<lab>.<lang>.yaml beside the
// English lab, keyed by step id, check id and hint position. Only prose is
// translated (titles, summary, step text, hints, questions, solution text);
// commands, templates and checks stay in the English file, written once.
// A translation is validated against its English lab: the same steps, checks
// and hints, nothing missing, and no {{ template }} the English text lacks.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LANGS, type Lang } from '../core/lang.js';
import type { PathIssue } from './issues.js';
import { suggest } from '../core/did-you-mean.js';
import type { Lab, LabCheck, LabError, LabStep } from './model.js';
import { findTemplates } from './templates.js';
import { parseYaml, YamlSyntaxError, formatPath, type PathSegment, type YamlDoc } from './yaml-positions.js';

/** The languages a lab is translated into (English is the lab file itself). */
export const TRANSLATED_LANGS = LANGS.filter((l) => l !== 'en') as Exclude<Lang, 'en'>[];

export interface CheckText {
  title?: string;
  question?: string;
}

export interface StepText {
  title: string;
  text: string;
  hints: string[];
  checks: Record<string, CheckText>;
  solution?: string;
}

export interface LabTranslation {
  lang: Lang;
  title: string;
  summary: string;
  steps: Record<string, StepText>;
  file: string;
}

/** labs/pod-to-pod.yaml → labs/i18n/pod-to-pod.ru.yaml */
export function translationFile(lab: Pick<Lab, 'id' | 'file'>, lang: Lang): string {
  return join(dirname(lab.file), 'i18n', `${lab.id}.${lang}.yaml`);
}

/** labs/i18n/pod-to-pod.ru.yaml → { dir: labs, id: pod-to-pod, lang: ru }; undefined for any other name. */
export function parseTranslationName(file: string): { labFile: string; lang: string } | undefined {
  const m = /^(.+)\.([a-z]{2})\.ya?ml$/.exec(basename(file));
  if (!m || basename(dirname(file)) !== 'i18n') return undefined;
  return { labFile: join(dirname(dirname(file)), `${m[1]}.yaml`), lang: m[2]! };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The templates of a text, by their inside: `{{pods.a.ip}}` and `{{ pods.a.ip }}` are the same. */
function templateKeys(text: string): Set<string> {
  return new Set(findTemplates(text).refs.map((r) => r.raw.slice(2, -2).trim()));
}

/** What one translated field must hold: text, and exactly the English field's templates. */
function checkText(v: unknown, english: string, path: PathSegment[], what: string, out: PathIssue[]): string | undefined {
  if (v === undefined) {
    out.push({ path, message: `missing (expected ${what}, translated from: ${JSON.stringify(english.length > 60 ? `${english.slice(0, 57)}...` : english)})` });
    return undefined;
  }
  if (typeof v !== 'string' || !v.trim()) {
    out.push({ path, message: `expected ${what} as text, got ${Array.isArray(v) ? 'a list' : isMap(v) ? 'a mapping' : JSON.stringify(v)}` });
    return undefined;
  }
  const { errors } = findTemplates(v);
  for (const e of errors) out.push({ path, message: e });
  const mine = templateKeys(v);
  const theirs = templateKeys(english);
  for (const k of mine) if (!theirs.has(k)) out.push({ path, message: `{{ ${k} }} is not in the English text (templates are the English file's; translate the prose around them)` });
  for (const k of theirs) if (!mine.has(k)) out.push({ path, message: `{{ ${k} }} of the English text is missing` });
  return v;
}

function unknownKeys(v: Record<string, unknown>, known: readonly string[], path: PathSegment[], what: string, out: PathIssue[]): void {
  for (const k of Object.keys(v)) {
    if (known.includes(k)) continue;
    const hint = suggest(k, known);
    out.push({ path: [...path, k], atKey: true, message: `no ${what} '${k}' in the English lab${hint ? ` (did you mean ${hint}?)` : known.length ? ` (expected one of ${known.join(', ')})` : ''}` });
  }
}

/** An answer check's title is its question unless the lab gave it its own. */
function ownTitle(c: LabCheck): boolean {
  return c.kind !== 'answer' || c.title !== c.question;
}

function checkEntry(v: unknown, c: LabCheck, path: PathSegment[], out: PathIssue[]): CheckText | undefined {
  const needQuestion = c.kind === 'answer';
  const needTitle = ownTitle(c);
  if ((typeof v === 'string' || v === undefined) && !(needQuestion && needTitle)) {
    const t = checkText(v, needQuestion ? (c as { question: string }).question : c.title, path, needQuestion ? 'the question' : "the check's title", out);
    return t === undefined ? undefined : needQuestion ? { question: t } : { title: t };
  }
  if (!isMap(v)) {
    const want = needQuestion && needTitle ? '{ title, question }' : needQuestion ? 'the question' : "the check's title";
    out.push({ path, message: v === undefined ? `missing (expected ${want})` : `expected ${want}` });
    return undefined;
  }
  const keys = [...(needTitle ? ['title'] : []), ...(needQuestion ? ['question'] : [])];
  unknownKeys(v, keys, path, 'field', out);
  const r: CheckText = {};
  if (needTitle) {
    const t = checkText(v.title, c.title, [...path, 'title'], "the check's title", out);
    if (t !== undefined) r.title = t;
  }
  if (c.kind === 'answer') {
    const q = checkText(v.question, c.question, [...path, 'question'], 'the question', out);
    if (q !== undefined) r.question = q;
  }
  return r;
}

function stepEntry(v: unknown, s: LabStep, path: PathSegment[], out: PathIssue[]): StepText | undefined {
  if (!isMap(v)) {
    out.push({ path, message: v === undefined ? `missing (expected the step's title, text${s.hints.length ? ', hints' : ''}${s.checks.length ? ', checks' : ''}${s.solution ? ', solution' : ''})` : 'expected a mapping' });
    return undefined;
  }
  const keys = ['title', 'text', ...(s.checks.length ? ['checks'] : []), ...(s.hints.length ? ['hints'] : []), ...(s.solution ? ['solution'] : [])];
  unknownKeys(v, keys, path, 'field', out);
  const title = checkText(v.title, s.title, [...path, 'title'], "the step's title", out);
  const text = checkText(v.text, s.text, [...path, 'text'], "the step's text", out);

  const hints: string[] = [];
  if (s.hints.length) {
    const h = v.hints;
    if (!Array.isArray(h) || h.length !== s.hints.length) {
      out.push({ path: [...path, 'hints'], message: `expected a list of ${s.hints.length} hint${s.hints.length === 1 ? '' : 's'} (the English step's, in order), got ${Array.isArray(h) ? h.length : h === undefined ? 'none' : 'no list'}` });
    } else {
      h.forEach((x, i) => {
        const t = checkText(x, s.hints[i]!, [...path, 'hints', i], `hint ${i + 1}`, out);
        if (t !== undefined) hints.push(t);
      });
    }
  }

  const checks: Record<string, CheckText> = {};
  if (s.checks.length) {
    const c = v.checks;
    if (!isMap(c)) out.push({ path: [...path, 'checks'], message: `expected a mapping of check ids (${s.checks.map((x) => x.id).join(', ')}) to their titles` });
    else {
      unknownKeys(c, s.checks.map((x) => x.id), [...path, 'checks'], 'check', out);
      for (const check of s.checks) {
        const e = checkEntry(c[check.id], check, [...path, 'checks', check.id], out);
        if (e) checks[check.id] = e;
      }
    }
  }

  const solution = s.solution ? checkText(v.solution, s.solution.text, [...path, 'solution'], "the solution's text", out) : undefined;
  if (title === undefined || text === undefined) return undefined;
  return { title, text, hints, checks, ...(solution !== undefined ? { solution } : {}) };
}

function validateTranslation(value: unknown, lab: Lab, lang: Lang, file: string, out: PathIssue[]): LabTranslation | undefined {
  if (!isMap(value)) {
    out.push({ path: [], message: 'expected a mapping with title, summary and steps' });
    return undefined;
  }
  unknownKeys(value, ['lang', 'title', 'summary', 'steps'], [], 'field', out);
  if (value.lang !== lang) out.push({ path: ['lang'], message: `expected lang: ${lang} (the file's name says ${lang})${value.lang === undefined ? '' : `, got ${JSON.stringify(value.lang)}`}` });
  const title = checkText(value.title, lab.title, ['title'], "the lab's title", out);
  const summary = checkText(value.summary, lab.summary, ['summary'], "the lab's summary", out);
  const steps: Record<string, StepText> = {};
  if (!isMap(value.steps)) out.push({ path: ['steps'], message: `expected a mapping of step ids (${lab.steps.map((s) => s.id).join(', ')}) to their text` });
  else {
    unknownKeys(value.steps, lab.steps.map((s) => s.id), ['steps'], 'step', out);
    for (const s of lab.steps) {
      const e = stepEntry(value.steps[s.id], s, ['steps', s.id], out);
      if (e) steps[s.id] = e;
    }
  }
  if (title === undefined || summary === undefined) return undefined;
  return { lang, title, summary, steps, file };
}

export type TranslationResult = { ok: true; translation: LabTranslation } | { ok: false; errors: LabError[]; missing?: boolean };

export function parseTranslation(text: string, file: string, lab: Lab, lang: Lang): TranslationResult {
  let doc: YamlDoc;
  try {
    doc = parseYaml(text);
  } catch (err) {
    if (err instanceof YamlSyntaxError) return { ok: false, errors: [{ file, line: err.position.line, column: err.position.column, path: '', message: `YAML syntax: ${err.reason}` }] };
    throw err;
  }
  const issues: PathIssue[] = [];
  const translation = validateTranslation(doc.value, lab, lang, file, issues);
  if (issues.length || !translation) {
    const errors = issues.map((i): LabError => {
      const p = doc.positionOf(i.path, { key: i.atKey });
      return { file, line: p.line, column: p.column, path: formatPath(i.path), message: i.message };
    });
    return { ok: false, errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  return { ok: true, translation };
}

/** Reads and validates `lab`'s translation into `lang`; a missing file is an error too (`--check` wants every language). */
export async function loadTranslation(lab: Lab, lang: Lang): Promise<TranslationResult> {
  const file = translationFile(lab, lang);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `no ${lang} translation of lab '${lab.id}' (expected in i18n/ beside ${basename(lab.file)})` : `cannot read: ${(err as Error).message}`;
    return { ok: false, errors: [{ file, line: 1, column: 1, path: '', message }], ...(code === 'ENOENT' ? { missing: true } : {}) };
  }
  return parseTranslation(text, file, lab, lang);
}

/** The lab with its prose in the translation's language; ids, commands and checks are the English lab's own. */
export function localizeLab(lab: Lab, tr: LabTranslation): Lab {
  return {
    ...lab,
    title: tr.title,
    summary: tr.summary,
    steps: lab.steps.map((s) => {
      const t = tr.steps[s.id];
      if (!t) return s;
      return {
        ...s,
        title: t.title,
        text: t.text,
        hints: t.hints.length === s.hints.length ? t.hints : s.hints,
        checks: s.checks.map((c) => {
          const ct = t.checks[c.id];
          if (!ct) return c;
          if (c.kind === 'answer') {
            const question = ct.question ?? c.question;
            return { ...c, question, title: ownTitle(c) ? (ct.title ?? c.title) : question };
          }
          return { ...c, title: ct.title ?? c.title };
        }),
        ...(s.solution && t.solution !== undefined ? { solution: { ...s.solution, text: t.solution } } : {}),
      };
    }),
  };
}

/**
 * The lab in `lang`: English as it is; otherwise translated, or English when
 * there is no translation (a lab of your own), or English with the errors of a
 * broken one (a lab stays usable; `labs --check` is where missing ones count).
 */
export async function labIn(lab: Lab, lang: Lang): Promise<{ lab: Lab; errors: LabError[] }> {
  if (lang === 'en') return { lab, errors: [] };
  const r = await loadTranslation(lab, lang);
  if (r.ok) return { lab: localizeLab(lab, r.translation), errors: [] };
  return { lab, errors: r.missing ? [] : r.errors };
}
