// runInNs: a program for a namespace that has a spawner helper of its own (the
// daemon's nodes) goes to that helper, without `ip netns exec`; run()'s results.
import { afterEach, describe, expect, it } from 'vitest';
import { runInNs, useNamespaceSpawners } from '../../src/providers/netns/namespaces.js';
import type { Spawner } from '../../src/core/spawner.js';

function recording(reply: Awaited<ReturnType<Spawner['run']>>) {
  const calls: { argv: string[]; input?: string; timeoutMs?: number }[] = [];
  const s: Spawner = {
    run: async (argv, o) => (calls.push({ argv, input: o?.input, timeoutMs: o?.timeoutMs }), reply),
    start: () => Promise.reject(new Error('not used')),
    programCpu: async () => [],
    close: () => undefined,
  };
  return { s, calls };
}

afterEach(() => useNamespaceSpawners(() => undefined));

describe('runInNs', () => {
  it("hands a node's program to the node's own helper, as it is", async () => {
    const node = recording({ exitCode: 0, stdout: 'ok\n', stderr: '' });
    useNamespaceSpawners((ns) => (ns === 'lab-node-1' ? node.s : undefined));
    const r = await runInNs('lab-node-1', ['iptables-restore', '--noflush'], { input: '*nat\nCOMMIT\n', timeoutMs: 5000 });
    expect(r).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });
    expect(node.calls).toEqual([{ argv: ['iptables-restore', '--noflush'], input: '*nat\nCOMMIT\n', timeoutMs: 5000 }]);
  });

  it('says why a program it never ran did not, as run() does (exit 127)', async () => {
    const node = recording({ exitCode: undefined, why: 'timed out after 5000 ms', stdout: '', stderr: '' });
    useNamespaceSpawners(() => node.s);
    expect(await runInNs('lab-node-1', ['busybox', 'wget', 'http://x/'])).toEqual({ exitCode: 127, stdout: '', stderr: 'timed out after 5000 ms\n' });
  });
});
