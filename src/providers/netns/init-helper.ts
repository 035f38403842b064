// The native container starter (native/hoplab-init.c): one process instead of
// the shell launcher's twenty programs per container; and the native spawner
// helper (native/hoplab-spawner.c), the daemon's way to start programs. Compiled on first use
// with the machine's C compiler into a cache keyed by the source's hash, so a
// changed source is rebuilt and two labs share one build. Without a compiler,
// when the build fails, or with HOPLAB_INIT=off, containers start through the
// shell launcher (sandbox.ts) as before.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { run, useSpawner, which } from '../../core/exec.js';
import { createSpawner } from '../../core/spawner.js';
import { packageRoot } from '../../core/package-root.js';

export const INIT_SOURCE = () => join(packageRoot(), 'native', 'hoplab-init.c');
/** The native spawner helper (native/hoplab-spawner.c): the daemon's programs start through it, not through a Node helper. */
export const SPAWNER_SOURCE = () => join(packageRoot(), 'native', 'hoplab-spawner.c');

export function initCacheDir(): string {
  return process.env.HOPLAB_CACHE_DIR ?? '/var/cache/hoplab';
}

/** Where the build of `source` lives: its name carries the source's hash. */
export function initBinaryPath(source: string, cacheDir = initCacheDir(), prefix = 'hoplab-init'): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return join(cacheDir, `${prefix}-${hash}`);
}

export type InitHelper = { path: string; why?: undefined } | { path?: undefined; why: string };

/** Builds the helper if its cache has no build of this source; says why not when there is none. */
export async function locateInitHelper(): Promise<InitHelper> {
  if (process.env.HOPLAB_INIT === 'off') return { why: 'HOPLAB_INIT=off' };
  return locateNative(INIT_SOURCE(), 'hoplab-init');
}

/** The native spawner helper, built like the starter; HOPLAB_NATIVE_SPAWNER=off keeps the Node one. */
export async function locateSpawnerHelper(): Promise<InitHelper> {
  if (process.env.HOPLAB_NATIVE_SPAWNER === 'off') return { why: 'HOPLAB_NATIVE_SPAWNER=off' };
  return locateNative(SPAWNER_SOURCE(), 'hoplab-spawner');
}

async function locateNative(file: string, prefix: string): Promise<InitHelper> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    return { why: `no source: ${(err as Error).message}` };
  }
  const path = initBinaryPath(source, initCacheDir(), prefix);
  if (await access(path, constants.X_OK).then(() => true, () => false)) return { path };
  const cc = (await which('cc')) ?? (await which('gcc'));
  if (!cc) return { why: 'no C compiler (cc) on PATH' };
  await mkdir(initCacheDir(), { recursive: true });
  // Built beside its final name and renamed: another lab's daemon building it at once never runs half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  const r = await run([cc, '-O2', '-o', tmp, file]);
  if (r.exitCode !== 0) {
    await rm(tmp, { force: true });
    return { why: `${cc} failed: ${r.stderr.trim().split('\n').slice(0, 3).join(' ')}` };
  }
  await rename(tmp, path);
  return { path };
}

/**
 * Runs `fn` with this process's short programs started through the native spawner helper:
 * a posix_spawn costs the helper 0.3 ms of CPU, where Node's spawn forks this whole process
 * (5–20 ms each, and a lab run starts a program for every command and check). Without the
 * helper (no compiler, HOPLAB_NATIVE_SPAWNER=off) `fn` runs as it is. `helper`: its search,
 * when the caller started it earlier.
 */
export async function withNativeSpawner<T>(name: string, fn: () => Promise<T>, helper: Promise<InitHelper> = locateSpawnerHelper()): Promise<T> {
  const native = (await helper).path;
  if (!native) return fn();
  const spawner = createSpawner({ count: 2, native, name });
  const before = useSpawner(spawner);
  try {
    return await fn();
  } finally {
    useSpawner(before);
    spawner.close();
  }
}
