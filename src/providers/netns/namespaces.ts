// The one place that knows how hoplab enters and manages network namespaces.
// Everything else asks for an argv here, so a later rootless mode (inside a
// user namespace) changes only this file.
import { readdir, readlink, stat } from 'node:fs/promises';
import { run, runOk, runThrough, type RunOptions, type RunResult } from '../../core/exec.js';
import type { Spawner } from '../../core/spawner.js';

const NETNS_DIR = '/run/netns';

let initHelper: string | undefined;

/**
 * From now on pod sandboxes are made, and CNI plugins run, through the native
 * helper (native/hoplab-init.c, init-helper.ts) at `path`: one small program
 * where `ip` took two, and a plain setns where `ip netns exec` also made a
 * mount namespace. The daemon sets it once the helper is built.
 */
export function useInitHelper(path: string | undefined): void {
  initHelper = path;
}

/**
 * argv that runs a program that needs only the namespace's network (a CNI
 * plugin), not the namespace's /etc/netns files that `inNs` binds over /etc.
 */
export function inNsNetOnly(ns: string, argv: string[]): string[] {
  return initHelper ? [initHelper, '--exec-in', `${NETNS_DIR}/${ns}`, ...argv] : inNs(ns, argv);
}

/** A pod's network namespace with lo up: what `ip netns add` and the CNI loopback plugin make. */
export async function addPodNamespace(name: string): Promise<void> {
  if (initHelper) {
    await runOk([initHelper, '--add-netns', name]);
    return;
  }
  await addNamespace(name);
  await runOk(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
}

/** argv that runs `argv` inside namespace `ns`. */
export function inNs(ns: string, argv: string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv];
}

let nsSpawner: ((ns: string) => Spawner | undefined) | undefined;

/**
 * From now on runInNs() starts programs in the namespaces `pick` names
 * through a spawner helper living there (started once with `ip netns exec
 * NS`): the daemon does this for its nodes. Each `ip netns exec` makes a mount
 * namespace, a copy of every mount of the machine's, a thousand /run/netns
 * entries among them with a big lab: 13 ms of CPU for a 5-ms `busybox wget`.
 */
export function useNamespaceSpawners(pick: (ns: string) => Spawner | undefined): void {
  nsSpawner = pick;
}

/** run(inNs(ns, argv)), through the namespace's own spawner helper when there is one (the same namespaces and /etc). */
export async function runInNs(ns: string, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const s = nsSpawner?.(ns);
  return s ? runThrough(s, argv, opts) : run(inNs(ns, argv), opts);
}

/**
 * argv that runs `argv` inside `ns` with its own UTS namespace whose hostname is
 * `hostname`, so `hostname` and shell prompts say node-1, not the machine's name.
 */
export function inNsAs(ns: string, hostname: string, argv: string[]): string[] {
  return inNs(ns, ['unshare', '--uts', '--', '/bin/sh', '-c', 'hostname "$0" && exec "$@"', hostname, ...argv]);
}

export async function listNamespaces(): Promise<string[]> {
  try {
    return (await readdir(NETNS_DIR)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Runs `ip -batch` in the root namespace (namespace creation, veth pairs created directly inside namespaces). */
export async function ipBatch(lines: string[], signal?: AbortSignal): Promise<void> {
  if (lines.length === 0) return;
  await runOk(['ip', '-batch', '-'], { input: lines.join('\n') + '\n', signal });
}

export async function runScriptInNs(ns: string, script: string, signal?: AbortSignal): Promise<void> {
  await runOk(inNs(ns, ['/bin/sh', '-c', script]), { signal });
}

export async function pidsInNs(ns: string): Promise<number[]> {
  const r = await run(['ip', 'netns', 'pids', ns]);
  if (r.exitCode !== 0) return [];
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => n > 0);
}

/**
 * The processes in any of `names`, found in one pass over /proc (what `ip
 * netns pids` does per namespace: a lab of a thousand pods would otherwise
 * read /proc a thousand times).
 */
export async function pidsInNamespaces(names: string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const stats = await Promise.all(names.map((n) => stat(`${NETNS_DIR}/${n}`).catch(() => undefined)));
  const inodes = new Set(stats.flatMap((st) => (st ? [`net:[${st.ino}]`] : [])));
  if (inodes.size === 0) return [];
  const entries = (await readdir('/proc')).filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid);
  const found: number[] = [];
  await Promise.all(
    entries.map(async (e) => {
      const link = await readlink(`/proc/${e}/ns/net`).catch(() => '');
      if (inodes.has(link)) found.push(Number(e));
    }),
  );
  return found;
}

/** Namespaces per `ip -batch` process, and such processes at once, when deleting many. */
const DELETE_BATCH = 64;
const DELETE_PARALLEL = 4;

export async function deleteNamespaces(names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += DELETE_BATCH) batches.push(names.slice(i, i + DELETE_BATCH));
  // Each `netns del` waits for the kernel (an unmount, an RCU grace period): batches in parallel overlap those waits.
  const workers = Array.from({ length: Math.min(DELETE_PARALLEL, batches.length) }, async () => {
    for (let b = batches.shift(); b; b = batches.shift()) {
      // -force: carry on past a namespace that is already gone; what is left is reported below.
      await run(['ip', '-force', '-batch', '-'], { input: b.map((n) => `netns del ${n}`).join('\n') + '\n' });
    }
  });
  await Promise.all(workers);
  const left = new Set(await listNamespaces());
  return names.filter((n) => left.has(n));
}

export async function addNamespace(name: string): Promise<void> {
  await runOk(['ip', 'netns', 'add', name]);
}
