import { resolve } from 'node:path';
import { EXIT } from '../../core/errors.js';
import { labDirs, labFiles, loadCatalog } from '../../labs/catalog.js';
import { loadLabFile } from '../../labs/load.js';
import { formatLabError, type Lab, type LabError } from '../../labs/model.js';
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

async function check(files: string[], dirs: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  const targets = files.length ? files.map((f) => resolve(f)) : (await Promise.all(dirs.map(labFiles))).flat();
  const errors: LabError[] = [];
  for (const f of targets) {
    const r = await loadLabFile(f);
    if (r.ok) io.stdout.write(`ok    ${f}\n`);
    else {
      io.stdout.write(`FAIL  ${f}\n`);
      errors.push(...r.errors);
    }
  }
  for (const e of errors) io.stderr.write(`${formatLabError(e)}\n`);
  if (!targets.length) {
    io.stderr.write(`no lab files in ${dirs.join(', ')}\n`);
    return EXIT.badInput;
  }
  return errors.length ? EXIT.badInput : EXIT.ok;
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
