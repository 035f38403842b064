// Where labs come from: --labs DIR, then $HOPLAB_LABS, then the labs/ directory
// of the installed package. An id found in an earlier directory hides the
// same id in a later one, so an author can override a shipped lab.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import { packageRoot } from '../core/package-root.js';
import { suggest } from '../core/did-you-mean.js';
import { fileLabId, loadLabFile } from './load.js';
import { formatLabError, type Lab, type LabError } from './model.js';
import { labIn } from './translations.js';

export { packageRoot };

export function bundledLabsDir(): string {
  return join(packageRoot(), 'labs');
}

/** The directories to search, most specific first. */
export function labDirs(opts: { labs?: string; env?: NodeJS.ProcessEnv } = {}): string[] {
  const env = opts.env ?? process.env;
  const dirs = [opts.labs, env.HOPLAB_LABS].filter((d): d is string => Boolean(d)).map((d) => resolve(d));
  for (const d of dirs) {
    if (!existsSync(d)) throw new UsageError(`labs directory ${d} does not exist`, opts.labs === undefined ? 'check $HOPLAB_LABS' : 'check --labs');
  }
  return [...new Set([...dirs, bundledLabsDir()])];
}

export async function labFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(dir, n));
}

export interface Catalog {
  labs: Lab[];
  /** Files that did not load, with every error. */
  errors: LabError[];
}

/** Loads every lab of the directories, in `lang`; broken files go to `errors`, never throw. */
export async function loadCatalog(dirs: string[], lang: Lang = 'en'): Promise<Catalog> {
  const seen = new Set<string>();
  const labs: Lab[] = [];
  const errors: LabError[] = [];
  for (const dir of dirs) {
    for (const file of await labFiles(dir)) {
      const id = fileLabId(file);
      if (seen.has(id)) continue;
      seen.add(id);
      const r = await loadLabFile(file);
      if (!r.ok) {
        errors.push(...r.errors);
        continue;
      }
      const t = await labIn(r.lab, lang);
      labs.push(t.lab);
      errors.push(...t.errors);
    }
  }
  labs.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { labs, errors };
}

/** A lab file that does not load; the message holds every error, one per line. */
export class LabFileError extends UsageError {
  constructor(readonly errors: LabError[]) {
    super(errors.map(formatLabError).join('\n'));
  }
}

/**
 * The lab called `idOrFile` (an id, or a path to a .yaml file). Throws
 * UsageError listing the labs there are, or every error of a broken file.
 */
export async function findLab(idOrFile: string, dirs: string[], lang: Lang = 'en'): Promise<Lab> {
  const isPath = /\.ya?ml$/.test(idOrFile) || idOrFile.includes('/');
  let file: string | undefined;
  if (isPath) {
    file = idOrFile;
  } else {
    for (const dir of dirs) {
      const found = (await labFiles(dir)).find((f) => fileLabId(f) === idOrFile);
      if (found) {
        file = found;
        break;
      }
    }
  }
  if (!file) {
    const ids = [...new Set((await Promise.all(dirs.map(labFiles))).flat().map(fileLabId))].sort();
    const near = suggest(idOrFile, ids);
    throw new UsageError(`no lab '${idOrFile}'${near ? ` (did you mean ${near}?)` : ''}`, ids.length ? `labs: ${ids.join(', ')}` : `no labs found in ${dirs.join(', ')}`);
  }
  const r = await loadLabFile(file);
  if (!r.ok) throw new LabFileError(r.errors);
  const t = await labIn(r.lab, lang);
  if (t.errors.length) throw new LabFileError(t.errors);
  return t.lab;
}
