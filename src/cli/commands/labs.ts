import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EXIT } from '../../core/errors.js';
import { bundledLabsDir, labDirs, labFiles, loadCatalog } from '../../labs/catalog.js';
import { loadLabFile } from '../../labs/load.js';
import { formatLabError, type Lab, type LabError } from '../../labs/model.js';
import { labTools } from '../../labs/tools.js';
import { loadTranslation, parseTranslationName, TRANSLATED_LANGS, translationFile } from '../../labs/translations.js';
import { requirementFor } from '../../providers/netns/requirements.js';
import { langOption, parse } from '../args.js';
import type { Command } from '../command.js';

function cniText(lab: Lab): string {
  return lab.cni === 'any' ? 'any CNI mode' : lab.cni.join(', ');
}

function table(labs: Lab[]): string {
  if (!labs.length) return 'no labs found\n';
  const w = Math.max(...labs.map((l) => l.id.length));
  return labs.map((l) => `  ${l.id.padEnd(w)}  ${l.title}\n  ${' '.repeat(w)}  ${l.minutes} min · ${cniText(l)} · ${l.steps.length} step${l.steps.length === 1 ? '' : 's'}\n`).join('');
}

/** Files in an i18n/ directory that belong to no lab or no language hoplab speaks. */
async function strayTranslations(dir: string, labs: Set<string>): Promise<LabError[]> {
  const names = await readdir(join(dir, 'i18n')).catch(() => [] as string[]);
  const out: LabError[] = [];
  for (const n of names.filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const file = join(dir, 'i18n', n);
    const t = parseTranslationName(file);
    const langs = TRANSLATED_LANGS.join(', ');
    if (!t) out.push({ file, line: 1, column: 1, path: '', message: `expected a name LAB.LANG.yaml with LANG one of ${langs}` });
    else if (!(TRANSLATED_LANGS as string[]).includes(t.lang)) out.push({ file, line: 1, column: 1, path: '', message: `unknown language '${t.lang}': expected one of ${langs}` });
    else if (!labs.has(resolve(t.labFile))) out.push({ file, line: 1, column: 1, path: '', message: `translates no lab: there is no ${t.labFile}` });
  }
  return out;
}

/** The Debian packages a lab's machine commands need (package (programs), ...), and the programs no requirement brings. */
function labNeeds(lab: Lab): { needs: string; unknown: { program: string; at: string }[] } {
  const byPackage = new Map<string, string[]>();
  const unknown: { program: string; at: string }[] = [];
  for (const t of labTools(lab)) {
    const req = requirementFor(t.program);
    if (!req) unknown.push(t);
    else byPackage.set(req.package, [...(byPackage.get(req.package) ?? []), t.program]);
  }
  return { needs: [...byPackage].map(([pkg, progs]) => `${pkg} (${progs.join(' ')})`).join(', '), unknown };
}

async function check(files: string[], dirs: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  // A translation named on the command line is checked with its lab (it is validated against it).
  const only = new Map<string, string[]>();
  const named = files.map((f) => {
    const t = parseTranslationName(resolve(f));
    if (!t) return resolve(f);
    only.set(resolve(t.labFile), [...(only.get(resolve(t.labFile)) ?? []), t.lang]);
    return resolve(t.labFile);
  });
  const targets = files.length ? [...new Set(named)] : (await Promise.all(dirs.map(labFiles))).flat();
  const errors: LabError[] = [];
  const toolErrors: string[] = [];
  const report = (file: string, errs: LabError[], note = '') => {
    io.stdout.write(`${errs.length ? 'FAIL' : 'ok  '}  ${file}\n${note}`);
    errors.push(...errs);
  };
  for (const f of targets) {
    const r = await loadLabFile(f);
    if (!r.ok) {
      report(f, r.errors);
      continue;
    }
    const { needs, unknown } = labNeeds(r.lab);
    if (unknown.length) io.stdout.write(`FAIL  ${f}\n`);
    else report(f, [], needs ? `      needs ${needs}\n` : '');
    for (const t of unknown) {
      toolErrors.push(`${t.at}: runs '${t.program}' on a lab machine, which hoplab doctor and scripts/setup.sh do not install: add it to both (src/providers/netns/requirements.ts), or run it in a pod`);
    }
    const langs = only.get(f) ?? (files.length && !files.map((x) => resolve(x)).includes(f) ? [] : TRANSLATED_LANGS);
    const results = await Promise.all(TRANSLATED_LANGS.filter((l) => langs.includes(l)).map(async (lang) => ({ lang, t: await loadTranslation(r.lab, lang) })));
    // A lab of your own may be English only; once it has one translation it needs all, and the shipped labs need all.
    const englishOnly = results.every(({ t }) => !t.ok && t.missing) && !only.has(f) && dirname(f) !== resolve(bundledLabsDir());
    if (englishOnly) continue;
    for (const { lang, t } of results) report(translationFile(r.lab, lang), t.ok ? [] : t.errors);
  }
  if (!files.length) {
    const labs = new Set(targets.map((t) => resolve(t)));
    for (const dir of new Set(targets.map((t) => dirname(t)))) {
      const stray = await strayTranslations(dir, labs);
      for (const e of stray) report(e.file, [e]);
    }
  }
  for (const e of errors) io.stderr.write(`${formatLabError(e)}\n`);
  for (const e of toolErrors) io.stderr.write(`${e}\n`);
  if (!targets.length) {
    io.stderr.write(`no lab files in ${dirs.join(', ')}\n`);
    return EXIT.badInput;
  }
  return errors.length || toolErrors.length ? EXIT.badInput : EXIT.ok;
}

export const labs: Command = {
  name: 'labs',
  usage:
    'labs [--json] [--labs DIR] [--lang LANG]\nlabs --check [FILE...] [--labs DIR]    validate lab files and their translations (default: every lab, every language); exit 2 on any error',
  async run(argv, io) {
    const { values, positionals } = parse('labs', argv, { check: { type: 'boolean' }, json: { type: 'boolean' }, labs: { type: 'string' }, lang: { type: 'string' } });
    const dirs = labDirs({ labs: values.labs as string | undefined });
    if (values.check) return check(positionals, dirs, io);
    if (positionals.length) {
      io.stderr.write(`hoplab labs: unexpected argument '${positionals[0]}' (did you mean 'hoplab labs --check ${positionals.join(' ')}'?)\n`);
      return EXIT.badInput;
    }
    const { labs: found, errors } = await loadCatalog(dirs, langOption(values));
    if (values.json) {
      const list = found.map((l) => ({ id: l.id, title: l.title, summary: l.summary, cni: l.cni, minutes: l.minutes, steps: l.steps.length, file: l.file }));
      io.stdout.write(JSON.stringify({ labs: list, errors: errors.map(formatLabError) }, null, 2) + '\n');
    } else {
      io.stdout.write(table(found));
      if (errors.length) io.stderr.write(`\n${errors.length} problem${errors.length === 1 ? '' : 's'} in lab files (these labs are not listed):\n${errors.map((e) => `  ${formatLabError(e)}\n`).join('')}`);
    }
    return errors.length ? EXIT.badInput : EXIT.ok;
  },
};
