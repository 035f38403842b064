// `hoplab present` in a pseudo-terminal on the embedded cluster, unattended
// (--auto 0) at 80×24: it walks pod-to-pod to the end and exits, and the
// --record file is a valid asciicast v2 whose frames show the traced hops
// lit one by one.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOPLAB, ROOT, hoplab } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';
import { openScreen } from './pty-screen.js';

const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const skip = NO_NETNS ?? (built ? undefined : 'needs `npm run build`');
if (skip) console.warn(`skipping the presenter end-to-end test: ${skip}`);

const lab = testLabName('pr');
const dir = mkdtempSync(join(tmpdir(), 'hoplab-present-'));
afterAll(async () => {
  await hoplab(['down', '--name', lab]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('hoplab present (pty, netns)', () => {
  it('--auto 0 reaches the end of pod-to-pod and records asciicast v2 with the traced hops', async () => {
    const cast = join(dir, 'demo.cast');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && k !== 'NO_COLOR') env[k] = v;
    const s = openScreen('node', [HOPLAB, 'present', 'pod-to-pod', '--name', lab, '--auto', '0', '--record', cast], { env: { ...env, TERM: 'xterm-256color' }, cols: 80, rows: 24 });
    try {
      const code = await s.exited;
      const screen = s.all();
      expect(code, screen).toBe(0);
      expect(screen).toContain('hoplab present pod-to-pod: the end; recording in');
    } finally {
      s.kill();
    }
    const lines = readFileSync(cast, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(typeof header.timestamp).toBe('number');
    let last = 0;
    const frames: string[] = [];
    for (const l of lines.slice(1)) {
      const e = JSON.parse(l);
      expect(Array.isArray(e) && e.length === 3 && typeof e[0] === 'number' && e[1] === 'o' && typeof e[2] === 'string', l).toBe(true);
      expect(e[0]).toBeGreaterThanOrEqual(last);
      last = e[0];
      frames.push(e[2]);
    }
    // eslint-disable-next-line no-control-regex
    const plain = frames.map((f) => f.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
    // Every step was shown, the commands typed out, and the end screen.
    for (const title of ['Node to internet over eth0', 'Node to node over eth1', 'Pods on the same node (cni0)', 'Pods on different nodes (cni0 + eth1 + cni0)']) expect(plain.some((f) => f.includes(title))).toBe(true);
    expect(plain.some((f) => f.includes('$ kubectl run nginx --image=nginx:latest'))).toBe(true);
    expect(plain.some((f) => f.includes('Pod-to-pod traffic, hop by hop: the end'))).toBe(true);
    // The cross-node trace, lit hop by hop in the topology: node-2's cni0, node-1's eth1, then httpd.
    const hop = (n: number, addr: string) => plain.findIndex((f) => f.includes('step 4/4') && f.includes(`${n}▸ ${addr}`));
    const h1 = hop(1, '10.244.2.1');
    const h2 = hop(2, '192.168.56.11');
    const h3 = plain.findIndex((f) => f.includes('step 4/4') && /3▸ 10\.244\.1\.\d+ pod httpd/.test(f));
    expect([h1, h2, h3].every((i) => i > 0), `hop frames ${h1} ${h2} ${h3}`).toBe(true);
    expect(h1 < h2 && h2 < h3).toBe(true);
    // Before the path lit, that step's topology showed no hop 2 yet.
    expect(plain[h1]!.includes('2▸ 192.168.56.11')).toBe(false);
  }, 400_000);

  it('keys: space next, ← back, t topology, p pause, q quit', async () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && k !== 'NO_COLOR') env[k] = v;
    const s = openScreen('node', [HOPLAB, 'present', 'pod-to-pod', '--name', lab], { env: { ...env, TERM: 'xterm-256color' }, cols: 100, rows: 30 });
    try {
      await s.waitFor('space: next step', 180_000);
      expect(s.text()).toContain('1. Node to internet over eth0');
      s.press(' ');
      await s.waitFor((t) => t.includes('2. Node to node over eth1') && t.includes('space: next step'), 180_000);
      s.press('t');
      await s.waitFor('path: 0▸', 10_000);
      s.press('t');
      s.press('p');
      await s.waitFor('paused: p to go on', 10_000);
      s.press('p');
      s.press('\x1b[D');
      await s.waitFor((t) => t.includes('1. Node to internet over eth0') && t.includes('space: next step'), 180_000);
      s.press('q');
      expect(await s.exited).toBe(0);
      expect(s.all()).toContain('hoplab present pod-to-pod: stopped');
    } finally {
      s.kill();
    }
  }, 400_000);
});
