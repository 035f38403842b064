// Argument parsing for every subcommand, over node:util parseArgs, turning its
// errors into UsageErrors that name the argument and what was expected.
import { DEFAULT_LAB } from '../core/lab-name.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';
import { suggest } from '../core/did-you-mean.js';
import { CNI_MODES, isCniMode, type CniMode } from '../core/facts.js';
import { chooseLang, type Lang } from '../core/lang.js';
import { PROVIDER_NAMES, type ProviderName } from '../providers/provider.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const GLOBAL_OPTIONS = {
  name: { type: 'string' },
  provider: { type: 'string' },
  cni: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies OptionSpec;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: OptionSpec, allowPositionals = true): Parsed {
  try {
    const r = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals,
      strict: true,
    });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).replace(/\. To specify.*$/s, '');
    // main prints "hoplab: " before the message: the command's name alone, not "hoplab: hoplab run".
    const unknown = /^Unknown option '(--?[^']+)'/.exec(msg)?.[1];
    const near = unknown?.startsWith('--') ? suggest(unknown.slice(2), Object.keys({ ...GLOBAL_OPTIONS, ...options })) : undefined;
    throw new UsageError(`${command}: ${msg}${near ? ` (did you mean --${near}?)` : ''}`, `run 'hoplab ${command} --help'`);
  }
}

export const LAB_NAME_RE = /^[a-z][a-z0-9]{0,11}$/;

/** The lab name ends up in namespace, process and file names, so it is kept short and plain. */
export function labName(values: Parsed['values']): string {
  const name = (values.name as string | undefined) ?? process.env.HOPLAB_LAB ?? DEFAULT_LAB;
  if (!LAB_NAME_RE.test(name)) {
    throw new UsageError(
      `--name '${name}': expected 1-12 lower-case letters or digits, starting with a letter`,
    );
  }
  return name;
}

export function providerName(values: Parsed['values']): ProviderName | undefined {
  const p = values.provider as string | undefined;
  if (p === undefined) return undefined;
  if (!(PROVIDER_NAMES as readonly string[]).includes(p)) {
    throw new UsageError(`--provider '${p}': expected one of ${PROVIDER_NAMES.join(', ')}`);
  }
  return p as ProviderName;
}

/** The lab and provider a command names: --name or HOPLAB_LAB, --provider or HOPLAB_PROVIDER. */
export function providerPick(values: Parsed['values']): { lab: string; provider?: ProviderName } {
  const fromEnv = process.env.HOPLAB_PROVIDER;
  const provider = providerName(values) ?? (fromEnv ? providerName({ provider: fromEnv }) : undefined);
  return { lab: labName(values), ...(provider ? { provider } : {}) };
}

export function cniMode(values: Parsed['values']): CniMode | undefined {
  const c = values.cni as string | undefined;
  if (c === undefined) return undefined;
  if (!isCniMode(c)) throw new UsageError(`--cni '${c}': expected one of ${CNI_MODES.join(', ')}`);
  return c;
}

export function intOption(values: Parsed['values'], flag: string, min: number, max: number): number | undefined {
  const v = values[flag] as string | undefined;
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`--${flag} '${v}': expected a whole number from ${min} to ${max}`);
  }
  return Number(v);
}

/** --lang, else the locale (LC_ALL, LC_MESSAGES, LANG), else English. */
export function langOption(values: Parsed['values']): Lang {
  return chooseLang(values.lang as string | undefined);
}
