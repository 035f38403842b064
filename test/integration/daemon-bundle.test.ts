// The lab daemon starts from its bundle (dist/bundle/daemon.js, scripts/bundle-cli.mjs):
// one file that runs on its own; a profiled daemon runs from tsc's output.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { daemonScript } from '../../src/providers/netns/provider.js';
import { ROOT } from '../helpers/cli.js';

const bundle = join(ROOT, 'dist', 'bundle', 'daemon.js');
const saved = process.env.HOPLAB_DAEMON_NODE_ARGS;
afterEach(() => {
  if (saved === undefined) delete process.env.HOPLAB_DAEMON_NODE_ARGS;
  else process.env.HOPLAB_DAEMON_NODE_ARGS = saved;
});

describe.skipIf(!existsSync(bundle) && 'needs `npm run build`')('the daemon bundle', () => {
  it('is what up starts, and runs on its own (no LAB: its usage, exit 2)', () => {
    delete process.env.HOPLAB_DAEMON_NODE_ARGS;
    expect(daemonScript()).toBe(bundle);
    const r = spawnSync(process.execPath, [bundle], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('usage: daemon.js LAB\n');
  });

  it("gives way to tsc's output for a profiled daemon, whose profile then names the modules", () => {
    process.env.HOPLAB_DAEMON_NODE_ARGS = '--cpu-prof';
    expect(daemonScript()).toBe(join(ROOT, 'dist', 'src', 'providers', 'netns', 'daemon.js'));
  });
});
