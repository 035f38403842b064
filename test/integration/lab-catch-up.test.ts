// Catch-up on the embedded cluster: from a fresh lab, `hoplab run LAB --step
// LAST` runs the solutions of the steps the last step depends on (unchecked),
// then the last step passes its checks. Every lab, in a mode it supports; the
// catch-up time is printed (the goal is under 5 s per lab on netns; a figure,
// not a timed assertion).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catchUpSteps } from '../../src/labs/catch-up.js';
import { loadLabFile } from '../../src/labs/load.js';
import { stepRunsOn } from '../../src/labs/model.js';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { ROOT, hoplab } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const lab = testLabName('cu');
const env = { HOPLAB_LAB: lab };
const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

// calico-bgp rather than calico-ipip: the CI kernel has no IPIP.
const LABS: [string, string, string[]][] = [
  ['pod-to-pod', 'flannel-host-gw', []],
  ['flannel-vxlan', 'flannel-vxlan', []],
  ['calico', 'calico-bgp', []],
  ['pod-to-service', 'flannel-host-gw', []],
  ['office-lan', 'flannel-host-gw', ['--lan']],
];

describe.skipIf(skip)('catch-up to the last step of every lab (netns)', () => {
  afterAll(async () => {
    await hoplab(['down'], env);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  });

  it.each(LABS)('%s (%s): a fresh lab is caught up to the last step, which passes', async (id, mode, extra) => {
    expect((await hoplab(['down'], env)).code).toBe(0);
    const up = await hoplab(['up', '--cni', mode, ...extra], env, 120_000);
    expect(up.code, up.stderr).toBe(0);
    const loaded = await loadLabFile(join(ROOT, 'labs', `${id}.yaml`));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const last = loaded.lab.steps.filter((s) => stepRunsOn(s, 'netns')).at(-1)!;

    const r = await hoplab(['run', id, '--step', last.id, '--json'], env, 300_000);
    const result = JSON.parse(r.stdout);
    const step = result.steps[0];
    const failed = step.checks.filter((c: any) => !c.passed).map((c: any) => `${c.id}: ${c.summary}`);
    expect({ error: result.error, failed }).toEqual({ error: undefined, failed: [] });
    expect(r.code).toBe(0);
    expect(result.catchUp.ok).toBe(true);
    // What ran is the plan the lab's needs give (calico's last step, BIRD, needs nothing).
    expect(result.catchUp.steps.map((s: any) => s.id)).toEqual(catchUpSteps(loaded.lab, [loaded.lab.steps.indexOf(last)], 'netns').map((i) => loaded.lab.steps[i]!.id));
    const ran = result.catchUp.steps.map((s: any) => s.id).join(', ');
    console.log(`catch-up ${id} → ${step.id} (${mode}): ${result.catchUp.durationMs} ms for ${ran || 'nothing (the step needs no earlier step)'}; the step itself ${step.durationMs} ms`);
  }, 480_000); // down, up (up to 120 s) and the run (up to 300 s): the 30-s default cut it short under load
});
