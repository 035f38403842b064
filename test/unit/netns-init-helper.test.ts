// The native container starter's build: cached by the source's hash, skipped
// when asked, and a real build with the machine's compiler when there is one.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initBinaryPath, locateInitHelper, locateSpawnerHelper, withNativeSpawner } from '../../src/providers/netns/init-helper.js';
import { run, which } from '../../src/core/exec.js';

const saved = { init: process.env.HOPLAB_INIT, cache: process.env.HOPLAB_CACHE_DIR, spawner: process.env.HOPLAB_NATIVE_SPAWNER };
afterEach(() => {
  for (const [k, v] of [['HOPLAB_INIT', saved.init], ['HOPLAB_CACHE_DIR', saved.cache], ['HOPLAB_NATIVE_SPAWNER', saved.spawner]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the native starter', () => {
  it('names a build after its source, so a changed source is built anew', () => {
    expect(initBinaryPath('int main(){}', '/c')).toMatch(/^\/c\/hoplab-init-[0-9a-f]{16}$/);
    expect(initBinaryPath('a', '/c')).not.toBe(initBinaryPath('b', '/c'));
    expect(initBinaryPath('a', '/c')).toBe(initBinaryPath('a', '/c'));
  });
  it('is not used with HOPLAB_INIT=off, and says so', async () => {
    process.env.HOPLAB_INIT = 'off';
    expect(await locateInitHelper()).toEqual({ why: 'HOPLAB_INIT=off' });
  });
  it('is built once into its cache with the machine\'s compiler', async (ctx) => {
    if (!(await which('cc'))) return ctx.skip();
    const dir = await mkdtemp(join(tmpdir(), 'hoplab-init-'));
    process.env.HOPLAB_CACHE_DIR = dir;
    try {
      const first = await locateInitHelper();
      expect(first.path).toMatch(new RegExp(`^${dir}/hoplab-init-[0-9a-f]{16}$`));
      expect((await stat(first.path!)).mode & 0o111).not.toBe(0);
      const before = (await stat(first.path!)).mtimeMs;
      expect((await locateInitHelper()).path).toBe(first.path);
      expect((await stat(first.path!)).mtimeMs).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30000);

  it('builds the native spawner helper beside it under a name of its own, unless asked not to', async (ctx) => {
    process.env.HOPLAB_NATIVE_SPAWNER = 'off';
    expect(await locateSpawnerHelper()).toEqual({ why: 'HOPLAB_NATIVE_SPAWNER=off' });
    delete process.env.HOPLAB_NATIVE_SPAWNER;
    if (!(await which('cc'))) return ctx.skip();
    const dir = await mkdtemp(join(tmpdir(), 'hoplab-init-'));
    process.env.HOPLAB_CACHE_DIR = dir;
    try {
      const built = await locateSpawnerHelper();
      expect(built.path).toMatch(new RegExp(`^${dir}/hoplab-spawner-[0-9a-f]{16}$`));
      expect(built.path).not.toBe((await locateInitHelper()).path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30000);

  it("starts this process's programs through the helper while a session lasts, nested ones giving the outer back", async (ctx) => {
    if (!(await which('cc'))) return ctx.skip();
    // A program's parent: this process when run() forks it itself, a helper's pid when a helper starts it.
    const parent = async () => Number((await run(['sh', '-c', 'echo $PPID'])).stdout.trim());
    expect(await parent()).toBe(process.pid);
    // A session's two helpers take programs in turn: two programs meet both.
    const seen = await withNativeSpawner('hoplab-test-spawner', async () => {
      const outer = [await parent(), await parent()];
      const inner = await withNativeSpawner('hoplab-test-spawner-2', parent);
      return { outer, inner, after: [await parent(), await parent()] };
    });
    expect(seen.outer).not.toContain(process.pid);
    expect(seen.inner).not.toBe(process.pid);
    expect(seen.outer).not.toContain(seen.inner);
    expect(seen.after.sort()).toEqual(seen.outer.sort());
    expect(await parent()).toBe(process.pid);
  }, 30000);
});
