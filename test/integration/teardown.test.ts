// teardownLab against the processes a lab leaves: a daemon killed while what
// it started is still on its way to making a namespace. Stand-ins, not a lab:
// a process under the daemon's title, and a child of its session whose command
// line does not name the lab (as a spawner helper's child between fork and exec).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonTitle } from '../../src/providers/netns/names.js';
import { deleteNamespaces, listNamespaces } from '../../src/providers/netns/namespaces.js';
import { isAlive as alive, labNamespaces, teardownLab } from '../../src/providers/netns/teardown.js';
import { NO_NETNS, testLabName, useTempStateDir } from '../helpers/root.js';
import { waitFor } from '../helpers/wait.js';

useTempStateDir();
const lab = testLabName('td');
const scratch = mkdtempSync(join(tmpdir(), 'hoplab-td-'));

afterAll(async () => {
  await deleteNamespaces((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`)));
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(NO_NETNS)('teardownLab', () => {
  it('stops what the daemon started in its session before it lists the namespaces, so none appears after down', { timeout: 20_000 }, async () => {
    const nameFile = join(scratch, 'name');
    writeFileSync(nameFile, `hoplab-${lab}-pod-late0000000`);
    const flag = join(scratch, 'started');
    // The daemon stand-in leads its own session (as `up` spawns the daemon); its child reads the
    // namespace's name from a file, so no command line names the lab until `ip netns add` runs.
    const script = `sh -c 'touch ${flag}; sleep 1.5; ip netns add "$(cat ${nameFile})"' & wait`;
    const daemon = spawn('sh', ['-c', script], { argv0: daemonTitle(lab), detached: true, stdio: 'ignore' });
    daemon.unref();
    await waitFor('the stand-in daemon to start its child', () => (existsSync(flag) ? true : undefined), 5000, 20);

    await teardownLab(lab);
    expect(alive(daemon.pid!)).toBe(false);
    // Longer than the child's sleep: had it survived, its namespace would be there now.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await labNamespaces(lab)).toEqual([]);
  });

  it('leaves the processes of the session that runs it alone', { timeout: 10_000 }, async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    other.unref();
    try {
      await teardownLab(lab);
      expect(alive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
