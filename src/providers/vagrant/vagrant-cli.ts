// The vagrant commands the provider uses, run in the project's vagrant/
// directory with the lab's HOPLAB_* overrides in the environment.
import { run, runStreaming, type RunResult } from '../../core/exec.js';
import { MachineError } from '../../core/errors.js';
import type { ProgressEvent } from '../provider.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { errorExit, machineStates, parseMachineReadable, snapshotNames } from './machine-readable.js';
import { createUpParser, type UpSummary } from './progress.js';

export interface VagrantContext {
  /** The directory holding the Vagrantfile. */
  dir: string;
  env: Record<string, string>;
  signal?: AbortSignal;
}

function opts(ctx: VagrantContext, timeoutMs: number) {
  return { cwd: ctx.dir, env: { ...ctx.env, VAGRANT_CWD: ctx.dir }, timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) };
}

function failure(what: string, r: RunResult): MachineError {
  if (r.exitCode === 127 && !r.stdout) {
    return new MachineError(`${what}: vagrant is not installed or not on PATH`, 'install Vagrant (see vagrant/README.md)');
  }
  const records = parseMachineReadable(r.stdout);
  const err = errorExit(records);
  const text = (err?.message ?? (r.stderr.trim() || r.stdout.trim())).split('\n').slice(0, 8).join('\n');
  return new MachineError(`${what} failed (exit ${r.exitCode}): ${text}`);
}

/** Machine → state from `vagrant status --machine-readable`. */
export async function vagrantStatus(ctx: VagrantContext): Promise<Map<string, string>> {
  const r = await run(['vagrant', 'status', '--machine-readable'], opts(ctx, VAGRANT_DEFAULTS.timeoutsMs.status));
  if (r.exitCode !== 0) throw failure('vagrant status', r);
  return machineStates(parseMachineReadable(r.stdout));
}

export async function vagrantSnapshots(ctx: VagrantContext): Promise<Map<string, string[]>> {
  const r = await run(['vagrant', 'snapshot', 'list', '--machine-readable'], opts(ctx, VAGRANT_DEFAULTS.timeoutsMs.status));
  if (r.exitCode !== 0) throw failure('vagrant snapshot list', r);
  return snapshotNames(parseMachineReadable(r.stdout));
}

export interface StreamedRun {
  exitCode: number;
  summary: UpSummary;
}

/** Runs a long vagrant command, turning its output into progress events as it goes. */
export async function vagrantStreamed(
  ctx: VagrantContext,
  args: string[],
  timeoutMs: number,
  onEvent: (e: ProgressEvent) => void,
): Promise<StreamedRun> {
  const parser = createUpParser();
  const r = await runStreaming(['vagrant', ...args], {
    ...opts(ctx, timeoutMs),
    onLine: (line, stream) => parser.feed(line, stream).forEach(onEvent),
  });
  parser.end(r.exitCode).forEach(onEvent);
  if (r.exitCode === 127 && !r.stdout && /ENOENT|not found/i.test(r.stderr)) {
    throw new MachineError('vagrant is not installed or not on PATH', 'install Vagrant, then run hoplab up again');
  }
  return { exitCode: r.exitCode, summary: parser.summary };
}

export async function vagrantSshConfig(ctx: VagrantContext): Promise<string> {
  const r = await run(['vagrant', 'ssh-config'], opts(ctx, VAGRANT_DEFAULTS.timeoutsMs.status));
  if (r.exitCode !== 0) throw failure('vagrant ssh-config', r);
  return r.stdout;
}

/** One command over `vagrant ssh NODE -c`, without a TTY so stdout and stderr stay apart. */
export async function vagrantSsh(ctx: VagrantContext, node: string, command: string, input?: string, timeoutMs?: number): Promise<RunResult> {
  return run(['vagrant', 'ssh', node, '--no-tty', '-c', command], {
    ...opts(ctx, timeoutMs ?? VAGRANT_DEFAULTS.timeoutsMs.command),
    ...(input !== undefined ? { input } : {}),
  });
}

/** VirtualBox's VM names (`VBoxManage list vms`: `"name" {uuid}` per line); undefined when VBoxManage cannot say. */
export async function virtualBoxVms(ctx: VagrantContext): Promise<string[] | undefined> {
  const r = await run(['VBoxManage', 'list', 'vms'], { env: ctx.env, timeoutMs: VAGRANT_DEFAULTS.timeoutsMs.status });
  if (r.exitCode !== 0) return undefined;
  return [...r.stdout.matchAll(/^"(.*)" \{[0-9a-f-]+\}$/gm)].map((m) => m[1]!);
}

/** A vagrant command that must succeed (box add/repackage): a MachineError naming it otherwise. */
export async function vagrantRun(ctx: VagrantContext, args: string[], timeoutMs: number): Promise<RunResult> {
  const r = await run(['vagrant', ...args], opts(ctx, timeoutMs));
  if (r.exitCode !== 0) throw failure(`vagrant ${args.slice(0, 2).join(' ')}`, r);
  return r;
}

/** The boxes Vagrant has (`vagrant box list --machine-readable`: box-name, box-provider, box-version records). */
export async function vagrantBoxes(ctx: VagrantContext): Promise<{ name: string; provider: string; version: string }[]> {
  const r = await run(['vagrant', 'box', 'list', '--machine-readable'], opts(ctx, VAGRANT_DEFAULTS.timeoutsMs.status));
  if (r.exitCode !== 0) throw failure('vagrant box list', r);
  const out: { name: string; provider: string; version: string }[] = [];
  for (const rec of parseMachineReadable(r.stdout)) {
    if (rec.type === 'box-name') out.push({ name: rec.data[0] ?? '', provider: '', version: '' });
    else if (rec.type === 'box-provider' && out.length) out.at(-1)!.provider = rec.data[0] ?? '';
    else if (rec.type === 'box-version' && out.length) out.at(-1)!.version = rec.data[0] ?? '';
  }
  return out;
}
