// The lab's pod files (each pod's etc files, logs, volumes and each
// container's writable layer) on a tmpfs of the lab's own, mounted on the
// state directory's pods/. A thousand pods make tens of thousands of
// directories and files: on a disk each is a journaled metadata write, and
// `down` walked them all to remove them; on the tmpfs they are memory, and
// `down` unmounts it in one call. Without the mount (not root, or mount
// failed) pod files stay on the state directory's own filesystem.
import { mkdir, readFile } from 'node:fs/promises';
import { run } from '../../core/exec.js';

/** The tmpfs's source name: it carries the lab's name, as everything a lab makes does. */
export const podTmpfsName = (lab: string) => `hoplab-${lab}-pods`;

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(mountinfo: string, dir: string): string[] {
  const found: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (!field) continue;
    // mountinfo escapes space, tab, newline and backslash as octal.
    const point = field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (point === dir || point.startsWith(`${dir}/`)) found.push(point);
  }
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

async function mountinfo(): Promise<string> {
  return readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
}

/** Mounts the lab's tmpfs on `dir` unless something is mounted there already; says why not when it cannot. */
export async function mountPodFiles(lab: string, dir: string): Promise<string | undefined> {
  await mkdir(dir, { recursive: true });
  if (mountsUnder(await mountinfo(), dir).includes(dir)) return undefined;
  const r = await run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', podTmpfsName(lab), dir]);
  return r.exitCode === 0 ? undefined : `mount -t tmpfs failed (${r.stderr.trim() || `exit ${r.exitCode}`}): pod files stay on disk`;
}

/**
 * Unmounts everything mounted below the lab's state directory (its pods'
 * tmpfs): lazily, so a container's mount namespace still holding it does not
 * keep `down` waiting; the memory goes with the last process using it.
 */
export async function unmountLabFiles(stateDir: string): Promise<string[]> {
  const points = mountsUnder(await mountinfo(), stateDir);
  if (points.length === 0) return [];
  const r = await run(['umount', '-l', ...points]);
  if (r.exitCode !== 0) return mountsUnder(await mountinfo(), stateDir);
  return [];
}
