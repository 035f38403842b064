// Removes everything one lab made, found by name rather than by state, so it
// also works after a crash mid-`up` left no state file: the daemon (by its
// process title), every process in the lab's namespaces, the namespaces, the
// state directory.
import { readFile, readdir } from 'node:fs/promises';
import { MachineError } from '../../core/errors.js';
import type { ProgressEvent } from '../provider.js';
import { belongsToLab, daemonTitle } from './names.js';
import { deleteNamespaces, listNamespaces, pidsInNamespaces } from './namespaces.js';
import { labEtcDirs, removeEtcFiles } from './etc-files.js';
import { removeLabState, readApiRecord } from './state.js';
import { hoplabCmd } from '../../core/suggest.js';

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** PIDs whose command line starts with the lab daemon's process title. */
async function daemonPids(lab: string): Promise<number[]> {
  const title = daemonTitle(lab);
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0')[0] === title) pids.push(Number(entry));
  }
  return pids;
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

  const namespaces = await labNamespaces(lab);
  emit({ type: 'phase', phase: 'processes', state: 'start' });
  const pids = await pidsInNamespaces(namespaces);
  for (const pid of pids) kill(pid, 'SIGKILL');
  emit({ type: 'phase', phase: 'processes', state: 'done', detail: `${pids.length} stopped` });

  emit({ type: 'phase', phase: 'namespaces', state: 'start', detail: `${namespaces.length} namespaces` });
  const left = await deleteNamespaces(namespaces);
  if (left.length) {
    emit({ type: 'phase', phase: 'namespaces', state: 'failed', detail: `could not delete: ${left.join(', ')}` });
    throw new MachineError(`\`ip netns delete\` could not delete namespaces: ${left.join(', ')}`, `something still holds them (a shell inside, a mount); close it and run '${hoplabCmd(lab, 'down')}' again`);
  }
  emit({ type: 'phase', phase: 'namespaces', state: 'done' });
  await removeEtcFiles(await labEtcDirs(lab));
  await removeLabState(lab);
}
