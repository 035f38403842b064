// Removes everything one lab made, found by name rather than by state, so it
// also works after a crash mid-`up` left no state file: the daemon (by its
// process title), every process in the lab's namespaces, the namespaces, the
// state directory.
import { readFile, readdir } from 'node:fs/promises';
import { MachineError } from '../../core/errors.js';
import type { ProgressEvent } from '../provider.js';
import { belongsToLab, daemonTitle } from './names.js';
import { deleteNamespaces, listNamespaces, pidsInNamespaces } from './namespaces.js';
import { ETC_NETNS, labEtcDirs, removeEtcFiles } from './etc-files.js';
import { labPaths, removeLabState, readApiRecord } from './state.js';
import { run } from '../../core/exec.js';
import { unmountLabFiles } from './pod-dir.js';
import { hoplabCmd } from '../../core/suggest.js';
import { join } from 'node:path';

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** PIDs whose command line passes `match` (its argv). */
async function pidsByArgv(match: (argv: string[]) => boolean): Promise<number[]> {
  // All of /proc read at once: a lab of a thousand pods leaves thousands of processes to look through.
  const entries = (await readdir('/proc')).filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid);
  const lines = await Promise.all(entries.map((e) => readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '')));
  return entries.filter((_, i) => lines[i] && match(lines[i]!.split('\0'))).map(Number);
}

/** PIDs whose command line starts with the lab daemon's process title. */
async function daemonPids(lab: string): Promise<number[]> {
  const title = daemonTitle(lab);
  // Also one just started that has not taken its title yet (`node …/daemon.js LAB`), and its spawner helpers.
  return pidsByArgv((argv) => argv[0] === title || argv[0] === `${title}-spawner` || (argv.length >= 2 && argv.at(-2)!.endsWith('/daemon.js') && argv.at(-1) === lab));
}

/**
 * Commands still at work on the lab's namespaces by name (`ip netns add/exec
 * hoplab-LAB-…`): left running by an `up` that was killed, they would make a
 * namespace after `down` looked.
 */
async function strayPids(lab: string): Promise<number[]> {
  return pidsByArgv((argv) => argv.some((a) => belongsToLab(lab, a)));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // A root daemon seen from the user who brought it up with sudo: there, just not theirs to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function findDaemon(lab: string): Promise<number | undefined> {
  const rec = await readApiRecord(lab);
  if (rec && isAlive(rec.pid)) return rec.pid;
  return (await daemonPids(lab))[0];
}

export async function labNamespaces(lab: string): Promise<string[]> {
  return (await listNamespaces()).filter((n) => belongsToLab(lab, n));
}

export async function teardownLab(lab: string, emit: (e: ProgressEvent) => void = () => undefined): Promise<void> {
  emit({ type: 'phase', phase: 'daemon', state: 'start' });
  const rec = await readApiRecord(lab).catch(() => undefined);
  const daemons = new Set(await daemonPids(lab));
  if (rec && isAlive(rec.pid)) daemons.add(rec.pid);
  for (const pid of daemons) kill(pid, 'SIGKILL');
  emit({ type: 'phase', phase: 'daemon', state: 'done', detail: `${daemons.size} stopped` });

  // A second look at /proc, after the daemons are gone: they start such commands too.
  for (const pid of await strayPids(lab)) kill(pid, 'SIGKILL');
  const namespaces = await labNamespaces(lab);
  emit({ type: 'phase', phase: 'processes', state: 'start' });
  const pids = await pidsInNamespaces(namespaces);
  for (const pid of pids) kill(pid, 'SIGKILL');
  emit({ type: 'phase', phase: 'processes', state: 'done', detail: `${pids.length} stopped` });

  emit({ type: 'phase', phase: 'namespaces', state: 'start', detail: `${namespaces.length} namespaces` });
  let left = await deleteNamespaces(namespaces);
  // One that a command killed above was making as we listed: it is there now.
  const late = (await labNamespaces(lab)).filter((n) => !namespaces.includes(n));
  if (late.length) {
    for (const pid of await pidsInNamespaces(late)) kill(pid, 'SIGKILL');
    left = [...left, ...(await deleteNamespaces(late))];
  }
  if (left.length) {
    emit({ type: 'phase', phase: 'namespaces', state: 'failed', detail: `could not delete: ${left.join(', ')}` });
    throw new MachineError(`\`ip netns delete\` could not delete namespaces: ${left.join(', ')}`, `something still holds them (a shell inside, a mount); close it and run '${hoplabCmd(lab, 'down')}' again`);
  }
  emit({ type: 'phase', phase: 'namespaces', state: 'done' });
  emit({ type: 'phase', phase: 'files', state: 'start' });
  // The pods' tmpfs goes in one unmount; what is left on disk is small.
  const t0 = performance.now();
  const mounted = await unmountLabFiles(labPaths(lab).dir);
  const t1 = performance.now();
  if (mounted.length) {
    emit({ type: 'phase', phase: 'files', state: 'failed', detail: `could not unmount: ${mounted.join(', ')}` });
    throw new MachineError(`\`umount -l\` could not unmount ${mounted.join(', ')}`, `run '${hoplabCmd(lab, 'down')}' again`);
  }
  // One `rm -rf` per 250 trees: Node's recursive rm walks a thousand pods' directories an await at a time
  // (9 s of a 14.6 s down of 1000 pods on a loaded machine).
  const trees = [...(await labEtcDirs(lab)).map((d) => join(ETC_NETNS, d)), labPaths(lab).dir];
  // Four at once: each pod's directory is a lock of its own, so the removals overlap.
  const chunks: string[][] = [];
  for (let i = 0; i < trees.length; i += 250) chunks.push(trees.slice(i, i + 250));
  await Promise.all(
    Array.from({ length: Math.min(4, chunks.length) }, async () => {
      for (let c = chunks.shift(); c; c = chunks.shift()) await run(['rm', '-rf', '--', ...c]);
    }),
  );
  // Whatever rm could not remove is tried once more the slow way, and fails loudly there.
  await removeEtcFiles(await labEtcDirs(lab));
  await removeLabState(lab);
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  emit({ type: 'phase', phase: 'files', state: 'done', detail: `unmount ${secs(t1 - t0)}, ${trees.length} trees removed in ${secs(performance.now() - t1)}` });
}
