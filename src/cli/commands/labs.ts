import { resolve } from 'node:path';
import { EXIT } from '../../core/errors.js';
import { labDirs, labFiles, loadCatalog } from '../../labs/catalog.js';
import { loadLabFile } from '../../labs/load.js';
import { formatLabError, type Lab, type LabError } from '../../labs/model.js';
import { labTools } from '../../labs/tools.js';
import { requirementFor } from '../../providers/netns/requirements.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';

function cniText(lab: Lab): string {
  return lab.cni === 'any' ? 'any CNI mode' : lab.cni.join(', ');
}

function table(labs: Lab[]): string {
  if (!labs.length) return 'no labs found\n';
  const w = Math.max(...labs.map((l) => l.id.length));
  return labs.map((l) => `  ${l.id.padEnd(w)}  ${l.title}\n  ${' '.repeat(w)}  ${l.minutes} min · ${cniText(l)} · ${l.steps.length} step${l.steps.length === 1 ? '' : 's'}\n`).join('');
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
  const targets = files.length ? files.map((f) => resolve(f)) : (await Promise.all(dirs.map(labFiles))).flat();
  const errors: LabError[] = [];
  const toolErrors: string[] = [];
  for (const f of targets) {
    const r = await loadLabFile(f);
    if (!r.ok) {
      io.stdout.write(`FAIL  ${f}\n`);
      errors.push(...r.errors);
      continue;
    }
    const { needs, unknown } = labNeeds(r.lab);
    io.stdout.write(`${unknown.length ? 'FAIL' : 'ok  '}  ${f}\n${needs ? `      needs ${needs}\n` : ''}`);
    for (const t of unknown) {
      toolErrors.push(`${t.at}: runs '${t.program}' on a lab machine, which hoplab doctor and scripts/setup.sh do not install: add it to both (src/providers/netns/requirements.ts), or run it in a pod`);
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
  usage: 'labs [--json] [--labs DIR]\nlabs --check [FILE...] [--labs DIR]    validate lab files (default: every lab); exit 2 on any error',
  async run(argv, io) {
    const { values, positionals } = parse('labs', argv, { check: { type: 'boolean' }, json: { type: 'boolean' }, labs: { type: 'string' } });
    const dirs = labDirs({ labs: values.labs as string | undefined });
    if (values.check) return check(positionals, dirs, io);
    if (positionals.length) {
      io.stderr.write(`hoplab labs: unexpected argument '${positionals[0]}' (did you mean 'hoplab labs --check ${positionals.join(' ')}'?)\n`);
      return EXIT.badInput;
    }
    const { labs: found, errors } = await loadCatalog(dirs);
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
