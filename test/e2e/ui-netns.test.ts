// The terminal UI end to end: the built binary in a pseudo-terminal walks the
// pod-to-pod lab on the netns provider to "lab complete" with key presses
// only, reading the screen as a learner would. Needs root, the netns tools
// and `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { HOPLAB, ROOT, hoplab } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';
import { KEY, openScreen, type Screen } from './pty-screen.js';

const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const skip = NO_NETNS ?? (built ? undefined : 'needs `npm run build`');
if (skip) console.warn(`skipping the terminal UI end-to-end tests: ${skip}`);

const state = mkdtempSync(join(tmpdir(), 'hoplab-ui-e2e-'));
const env = (): Record<string, string> => {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && k !== 'NO_COLOR') e[k] = v;
  return { ...e, XDG_STATE_HOME: state, TERM: 'xterm-256color' };
};
const labs = [testLabName('ui'), testLabName('uc')];
const labNamespaces = async (lab: string) => (await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`));

afterAll(async () => {
  for (const lab of labs) await hoplab(['down', '--name', lab]);
  rmSync(state, { recursive: true, force: true });
});

/** Moves the cursor on the start screen to the lab with this id, with ↓ as a learner would. */
async function selectLab(s: Screen, id: string): Promise<void> {
  const cursor = new RegExp(`^› .*\\(${id}\\)`, 'm');
  let t = await s.waitFor(/^› /m);
  for (let i = 0; i < 20 && !cursor.test(t); i++) {
    const before = t;
    s.press(KEY.down);
    t = await s.waitFor((x) => x !== before && /^› /m.test(x), 5_000);
  }
  if (!cursor.test(t)) throw new Error(`no lab ${id} on the start screen:\n${t}`);
}

/** Passes the selected step with Enter (hoplab runs it) and waits for its ✓. */
/** Enter: hoplab runs the step's solution, which marks it shown (◇), not passed. */
async function runStep(s: Screen, n: number): Promise<string> {
  s.press(KEY.enter);
  await s.waitFor(new RegExp(`◇ ${n}\\. `), 90_000, new RegExp(`✗ ${n}\\. `));
  return idle(s);
}

/** Waits until no step is running or being checked (the status line says "(Ctrl-C stops)" while one is). */
async function idle(s: Screen): Promise<string> {
  return s.waitFor((t) => t.includes('q quit') && !t.includes('(Ctrl-C stops)'), 30_000);
}

describe.skipIf(skip)('hoplab (the terminal UI) on the netns provider', () => {
  it('walks the pod-to-pod lab to "lab complete" with keys only: Enter, a shell, c, an answer, quit and reopen, t, q', { timeout: 240_000 }, async () => {
    const lab = labs[0]!;
    let s = openScreen('node', [HOPLAB, '--name', lab], { env: env(), cwd: ROOT });
    try {
      const start = await s.waitFor((t) => t.includes('Pod-to-pod traffic, hop by hop') && t.includes('Machine: ✓'));
      expect(start).toContain(`lab '${lab}' · netns · ○ down`);
      expect(start).toMatch(/Enter open .* q quit/);
      await selectLab(s, 'pod-to-pod');

      s.press(KEY.enter); // bring the cluster up, then open the lab
      await s.waitFor('Step 1/4: Node to internet over eth0', 60_000, /✗ bringing up/);
      expect(s.all()).toContain(`✓ lab '${lab}' is up`);

      expect(await runStep(s, 1)).toContain('nginx is Running, so its image was pulled');

      // Step 2 the learner's way: a shell on controlplane, their own traceroute, then c and an answer.
      s.press('n');
      await s.waitFor('Step 2/4: Node to node over eth1');
      s.press('s');
      const banner = await s.waitFor(/\[root@controlplane [^\]]*\]# $/m);
      expect(banner).toMatch(/controlplane\$ traceroute .*192\.168\.56\.11/); // the banner lists the step's commands, resolved
      s.press('ping -c 1 -W 2 192.168.56.11 >/dev/null; traceroute -n 192.168.56.11\r');
      await s.waitFor(/^ 1 {2}192\.168\.56\.11 /m);
      s.press('ping -c 1 -W 2 192.168.56.12 >/dev/null; traceroute -n 192.168.56.12\r');
      await s.waitFor(/^ 1 {2}192\.168\.56\.12 /m);
      s.press('exit\r');
      expect(await s.waitFor('press c to check what you did')).toContain('── your shell on controlplane');
      s.press('c');
      await s.waitFor("? What is node-1's address on eth1?");
      s.press('192.168.56.11');
      await s.waitFor('› 192.168.56.11');
      s.press(KEY.enter);
      await s.waitFor(/✓ 2\. /, 60_000, /✗ 2\. /);
      const checked = await idle(s);
      // The hop row that answered: expected 192.168.56.11 on node-1's eth1, observed the same.
      expect(checked).toMatch(/\d ✓\s+192\.168\.56\.11\s+eth1\s+node-1\s+192\.168\.56\.11/);
      expect(checked).toMatch(/\(expected from the path engine\)\s*$/m);

      s.press('n');
      await s.waitFor('Step 3/4: Pods on the same node');
      // Quit (keeping the cluster up) and come back: the same step, the progress kept.
      s.press('q');
      await s.waitFor('Quit hoplab?');
      s.press('y');
      expect(await s.exited).toBe(0);
      s.kill();
      s = openScreen('node', [HOPLAB, '--name', lab], { env: env(), cwd: ROOT });
      await s.waitFor(`lab '${lab}' · netns · ● up`);
      await selectLab(s, 'pod-to-pod');
      await s.waitFor('1/4 passed, 1 shown, resume at step 3');
      s.press(KEY.enter);
      expect(await s.waitFor('Step 3/4: Pods on the same node')).toMatch(/◇ 1\. [\s\S]*✓ 2\. /);
      await runStep(s, 3);
      s.press('n');
      await s.waitFor('Step 4/4: Pods on different nodes');
      await runStep(s, 4);
      await s.waitFor('★ lab complete');
      const table = await s.waitFor('── check of step 4');
      expect(table).toMatch(/1 ✓\s+10\.244\.2\.1\s+cni0\s+node-2\s+10\.244\.2\.1/);
      expect(table).toMatch(/2 ✓\s+192\.168\.56\.11\s+eth1\s+node-1\s+192\.168\.56\.11/);

      s.press('t');
      const topo = await s.waitFor('path: 0▸ pod traceroute');
      expect(topo).toMatch(/1▸ cni0\s+10\.244\.2\.1/);
      expect(topo).toMatch(/2▸ eth1\s+192\.168\.56\.11/);
      expect(topo).toMatch(/3▸ └ pod httpd/);
      s.press(KEY.esc);
      await s.waitFor('★ lab complete');

      s.press('q');
      await s.waitFor('Quit hoplab?');
      s.press('d'); // take the cluster down, then quit
      expect(await s.exited).toBe(0);
      expect(s.all()).toContain(`lab '${lab}' is down`);
      expect(await labNamespaces(lab)).toEqual([]);
    } finally {
      s.kill();
    }
  });

  it('Ctrl-C during bring-up leaves no half-built lab and gives the terminal back', { timeout: 60_000 }, async () => {
    const lab = labs[1]!;
    // stty after hoplab: the terminal must be back in cooked mode with echo.
    const s = openScreen('sh', ['-c', `node "${HOPLAB}" --name ${lab}; echo "exit=$?"; stty -a`], { env: env(), cwd: ROOT });
    try {
      await s.waitFor('Pod-to-pod traffic, hop by hop');
      await selectLab(s, 'pod-to-pod');
      s.press(KEY.enter);
      await s.waitFor('bringing up', 10_000);
      s.press(KEY.ctrlC);
      const after = await s.waitFor(/exit=\d+[\s\S]*icanon/, 30_000);
      expect(after).toContain('exit=130');
      expect(after).toMatch(/(^|\s)icanon/);
      expect(after).toMatch(/(^|\s)echo(\s|$)/);
      expect(await labNamespaces(lab)).toEqual([]);
    } finally {
      s.kill();
    }
  });
});

describe.skipIf(!built)('hoplab without a terminal', () => {
  it('says where the headless commands are and exits 2', async () => {
    const r = await hoplab([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the terminal UI needs a terminal');
    expect(r.stderr).toContain('hoplab run LAB');
    expect(r.stderr).toContain('hoplab --help');
    expect(r.stdout).toBe('');
  });
  it('the stty check above means something: a raw terminal shows -icanon', () => {
    // Guards the assertion of the Ctrl-C test against matching "-icanon" as "icanon".
    const out = execFileSync('sh', ['-c', 'echo " -icanon -echo"']).toString();
    expect(out).not.toMatch(/(^|\s)icanon/);
  });
});
