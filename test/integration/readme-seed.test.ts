// The README's seed block, typed as printed (only `hoplab` gains --name, so
// the test's lab does not collide with others): httpd lands on 10.244.1.3 and
// the traceroute pod on node-2 reaches it in the seed's three hops.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/trace/parse.js';
import { HOPLAB, ROOT, until } from '../helpers/cli.js';
import { NO_NETNS, testLabName, useTempStateDir } from '../helpers/root.js';

useTempStateDir();
const LAB = testLabName('rd');

/** The block's commands: continuation lines joined, comments kept (bash ignores them). */
export function seedBlock(readme: string): string[] {
  const at = readme.indexOf('## The seed article, typed as printed');
  const start = readme.indexOf('```sh\n', at) + '```sh\n'.length;
  const end = readme.indexOf('```', start);
  return readme.slice(start, end).replace(/\\\n/g, '').split('\n').filter((l) => l.trim());
}

function sh(line: string): Promise<{ code: number; out: string }> {
  const prelude = `hoplab() { node ${HOPLAB} --name ${LAB} "$@"; }; sudo() { "$@"; };\n`;
  return new Promise((resolve) => {
    const child = execFile('bash', ['-c', prelude + line], { timeout: 180_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, out: stdout + stderr });
    });
    child.stdin?.end();
  });
}

describe.skipIf(NO_NETNS)("the README's seed block, typed as printed", () => {
  afterAll(async () => {
    await sh('sudo hoplab down');
  }, 120_000);

  it('traces the httpd pod: 10.244.2.1 → 192.168.56.11 → 10.244.1.3', async () => {
    const lines = seedBlock(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(lines.some((l) => l.includes('-- traceroute 10.244.1.3'))).toBe(true);
    let logs = '';
    for (const line of lines) {
      if (/\bhoplab down\b/.test(line)) continue; // afterAll takes it down
      if (/\bkubectl logs traceroute\b/.test(line)) {
        // A person reads the logs once the pod has finished; so does the test.
        logs = await until('the traceroute pod to finish', async () => {
          const r = await sh(line);
          return r.code === 0 && parseTrace(r.out).hops.length >= 3 ? r.out : undefined;
        }, 90_000);
        continue;
      }
      const r = await sh(line);
      expect(r.code, `${line}\n${r.out}`).toBe(0);
      if (/get pods -o wide/.test(line)) await until('httpd to run', async () => ((await sh('hoplab kubectl get pod httpd -o jsonpath={.status.podIP}')).out.trim() === '10.244.1.3' ? true : undefined), 60_000);
    }
    const hops = parseTrace(logs).hops.map((h) => h.probes.find((p) => p.address)?.address);
    expect(hops).toEqual(['10.244.2.1', '192.168.56.11', '10.244.1.3']);
  }, 400_000);
});
