// The lab a command names (an id or a file): a lab file with errors is bad
// input, said once on stderr with file:line:col, never a stack trace.
import type { Lang } from '../core/lang.js';
import { findLab, LabFileError } from '../labs/catalog.js';
import type { Lab } from '../labs/model.js';
import type { CommandIO } from './command.js';

/** The lab, or undefined once its errors are written (the caller exits 2). */
export async function labFromArg(arg: string, dirs: string[], io: Pick<CommandIO, 'stderr'>, lang?: Lang): Promise<Lab | undefined> {
  try {
    return await findLab(arg, dirs, lang);
  } catch (err) {
    if (!(err instanceof LabFileError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return undefined;
  }
}
