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

interface Proc {
  pid: number;
  argv: string[];
  /** From /proc/PID/stat: Z for a zombie, which can do nothing more. */
  state: string;
  session: number;
}

/**
 * Every process but this one, from one `ps`: teardown looks several times, and
 * Node's reads of two /proc files per process cost 0.3 s of CPU a look beside a
 * thousand processes, where ps (C, the same files) costs milliseconds. The
 * command line comes as words, which is all the matching below needs.
 */
async function processes(): Promise<Proc[]> {
  const r = await run(['ps', '-e', '-ww', '-o', 'pid=,sess=,stat=,args=']).catch(() => undefined);
  if (!r || r.exitCode !== 0) return processesFromProc();
  const out: Proc[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m || Number(m[1]) === process.pid) continue;
    out.push({ pid: Number(m[1]), session: Number(m[2]), state: m[3]!.charAt(0), argv: m[4]!.trim().split(/\s+/) });
  }
  return out;
}

/** The same from /proc, where ps is missing. */
async function processesFromProc(): Promise<Proc[]> {
  const entries = (await readdir('/proc')).filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid);
  const read = await Promise.all(
    entries.map(async (e) => {
      const [cmdline, stat] = await Promise.all([readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => ''), readFile(`/proc/${e}/stat`, 'utf8').catch(() => '')]);
      // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return stat ? [{ pid: Number(e), argv: cmdline.split('\0'), state: fields[0] ?? '', session: Number(fields[3]) }] : [];
    }),
  );
  return read.flat();
}

function isDaemon(lab: string, argv: string[]): boolean {
  const title = daemonTitle(lab);
  // Also one just started that has not taken its title yet (`node …/daemon.js LAB`), and its spawner helpers.
  return argv[0] === title || argv[0] === `${title}-spawner` || (argv.length >= 2 && argv.at(-2)!.endsWith('/daemon.js') && argv.at(-1) === lab);
}

/** PIDs of the lab's daemons and their spawner helpers. */
async function daemonPids(lab: string): Promise<number[]> {
  return (await processes()).filter((p) => isDaemon(lab, p.argv)).map((p) => p.pid);
}

/** How long teardown waits for killed processes to be gone before it goes on regardless. */
const GONE_WAIT_MS = 3000;

/**
 * Kills the lab's processes outside its namespaces until none is left: its
 * daemons; everything they started in their session, which includes a
 * helper's child between fork and exec, still under the helper's command
 * line; and any command naming the lab's namespaces (`ip netns add/exec
 * hoplab-LAB-…`), such as one an interrupted `up` left running. SIGKILL
 * lands asynchronously, and a process that has it pending may still make a
 * namespace: the namespaces are listed only once these are gone.
 */
async function stopLabProcesses(lab: string, sessions: Set<number>, recorded?: number): Promise<number> {
  const stopped = new Set<number>();
  const deadline = Date.now() + GONE_WAIT_MS;
  const isLabDaemon = (p: Proc) => p.pid === recorded || isDaemon(lab, p.argv);
  for (;;) {
    const procs = await processes();
    // Only a daemon that leads its session: an old one that did not would name its user's terminal session.
    for (const p of procs) if (isLabDaemon(p) && p.session === p.pid) sessions.add(p.session);
    const live = procs.filter((p) => p.state !== 'Z' && (isLabDaemon(p) || sessions.has(p.session) || p.argv.some((a) => belongsToLab(lab, a))));
    if (live.length === 0 || Date.now() > deadline) return stopped.size;
    for (const p of live) {
      kill(p.pid, 'SIGKILL');
      stopped.add(p.pid);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
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
  // A daemon is spawned detached, so it leads a session of its own: what it starts stays in it.
  const sessions = new Set<number>();
  const stopped = await stopLabProcesses(lab, sessions, rec && isAlive(rec.pid) ? rec.pid : undefined);
  emit({ type: 'phase', phase: 'daemon', state: 'done', detail: `${stopped} stopped` });

  emit({ type: 'phase', phase: 'processes', state: 'start' });
  let namespaces = await labNamespaces(lab);
  const inside = await pidsInNamespaces(namespaces);
  for (const pid of inside) kill(pid, 'SIGKILL');
  emit({ type: 'phase', phase: 'processes', state: 'done', detail: `${inside.length} stopped` });

  emit({ type: 'phase', phase: 'namespaces', state: 'start', detail: `${namespaces.length} namespaces` });
  let left = await deleteNamespaces(namespaces);
  // Nothing of the lab's was left running to make one since; a second look says so, or finds it.
  for (let round = 0; round < 3 && !left.length; round++) {
    await stopLabProcesses(lab, sessions);
    const late = (await labNamespaces(lab)).filter((n) => !namespaces.includes(n));
    if (!late.length) break;
    for (const pid of await pidsInNamespaces(late)) kill(pid, 'SIGKILL');
    left = await deleteNamespaces(late);
    namespaces = [...namespaces, ...late];
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
