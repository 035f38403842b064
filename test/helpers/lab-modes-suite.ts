// Every lab on every CNI mode it declares, headless, on the embedded cluster:
// `hoplab up --cni MODE`, then `hoplab run LAB` must pass every check with
// expected hops from the path engine. A mode this kernel cannot build is
// skipped with the reason. Then a broken BIRD must fail the calico lab's
// BGP check, so that check is not a formality.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CniMode } from '../../src/core/facts.js';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { probeModes } from '../../src/providers/netns/modes/support.js';
import { ROOT, hoplab } from './cli.js';
import { NO_NETNS, testLabName } from './root.js';

const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

/** The labs for a mode besides those written for any mode (pod-to-pod, pod-to-service), which run on all of them. */
const ANY_MODE_LABS = ['pod-to-pod', 'pod-to-service'];
const MODE_LABS: Record<CniMode, string[]> = {
  'flannel-host-gw': [],
  'flannel-vxlan': ['flannel-vxlan'],
  'calico-ipip': ['calico'],
  'calico-vxlan': [],
  'calico-bgp': ['calico'],
};

/**
 * Everything that can make a run fail, named: failed checks, a step's own
 * error (a command or a wait that failed while its checks passed), the run's
 * error, and anything on stderr when the exit status says more than the JSON.
 */
async function runLab(env: Record<string, string>, id: string): Promise<{ code: number; result: any; failed: string[]; why: string[] }> {
  const r = await hoplab(['run', id, '--json'], env, 180_000);
  const result = JSON.parse(r.stdout);
  const failed = result.steps.flatMap((s: any) => s.checks.filter((c: any) => !c.passed).map((c: any) => `${s.id}/${c.id}: ${c.summary}`));
  const why = [
    ...failed,
    ...result.steps.filter((s: any) => s.error).map((s: any) => `${s.id}: ${s.error}`),
    ...(result.error ? [`run: ${result.error}`] : []),
    ...(r.code !== (result.passed ? 0 : 1) ? [`exit ${r.code} with passed=${result.passed}; stderr: ${r.stderr.trim()}`] : []),
  ];
  return { code: r.code, result, failed, why };
}

/** Every lab of `cni`, headless, on one lab of that mode (a file per mode, so the suite runs them side by side). */
export async function labModesSuite(cni: CniMode): Promise<void> {
  const lab = testLabName('lm');
  const env = { HOPLAB_LAB: lab };
  const support = skip ? undefined : await probeModes(testLabName('lp'));
  const refused = support?.refused.find((r) => r.mode === cni);
  const why = skip ?? (refused ? `this kernel has no ${refused.missing.join(', ')} support` : undefined);

  describe(`labs on ${cni}${why ? ` (skipped: ${why})` : ''}`, () => {
    afterAll(async () => {
      if (why) return;
      await hoplab(['down'], env);
      expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
    });

    it.skipIf(why)('comes up, and pod-to-pod, pod-to-service and its own labs pass every check', async () => {
      await hoplab(['down'], env);
      const up = await hoplab(['up', '--cni', cni], env);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      for (const id of [...ANY_MODE_LABS, ...MODE_LABS[cni]]) {
        const { code, result, why } = await runLab(env, id);
        expect(why, `${id} on ${cni}`).toEqual([]);
        expect(code).toBe(0);
        expect(result).toMatchObject({ lab: id, provider: 'netns', cni, passed: true });
      }
    }, 120_000); // three labs in a row: calico-bgp alone runs close to the 30 s default

    it.skipIf(why || cni !== 'calico-bgp')('fails the calico lab at the BGP sessions when BIRD dies on node-1', async () => {
      const kill = await hoplab(['ssh', 'node-1', '--', 'sh', '-c', 'kill -9 $(cat /etc/bird/bird.pid)'], env);
      expect(kill.code).toBe(0);
      const { code, failed } = await runLab(env, 'calico');
      expect(code).toBe(1);
      // The sessions check, and the answer only BIRD can give; the routes BIRD
      // installed stay in the kernel after a SIGKILL, so their checks still pass.
      expect(failed).toEqual([expect.stringMatching(/^bird\/check-1: birdc -s \/etc\/bird\/bird.ctl show protocols (failed|printed)/), expect.stringMatching(/^bird\/as-number: .*Connection refused/)]);
    });

    it.skipIf(why || cni !== 'calico-bgp')('refuses office-lan on a calico cluster before it adds the office LAN', async () => {
      const r = await hoplab(['run', 'office-lan'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("lab 'office-lan' is for flannel-host-gw; the cluster runs calico-bgp");
      expect(r.stderr).not.toContain('adding it');
      const status = JSON.parse((await hoplab(['status', '--json'], env)).stdout);
      expect(status.facts.hosts.filter((h: any) => h.role === 'office')).toEqual([]);
    });
  });
}

/** `hoplab run calico` on a cluster that is down picks the lab's first mode this kernel builds (only on a kernel without IPIP). */
export async function kernelWithoutIpipSuite(): Promise<void> {
  const support = skip ? undefined : await probeModes(testLabName('lp'));
  const kernelLab = testLabName('lk');
  const noIpip = support?.refused.some((r) => r.mode === 'calico-ipip') && support.working.includes('calico-bgp');
  describe.skipIf(skip || !noIpip)(`a lab run on a kernel without IPIP${noIpip ? '' : ' (skipped: this kernel has IPIP, or no calico-bgp)'}`, () => {
    afterAll(async () => {
      await hoplab(['down'], { HOPLAB_LAB: kernelLab });
    });

    it('brings the cluster up in calico-bgp, the calico lab mode this kernel has, instead of refusing calico-ipip', async () => {
      const r = await hoplab(['run', 'calico', '--step', 'node-interfaces', '--json'], { HOPLAB_LAB: kernelLab }, 120_000);
      expect(r.stderr).toContain(`lab '${kernelLab}' is down: bringing it up (netns, calico-bgp, 2 workers)`);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ lab: 'calico', cni: 'calico-bgp', passed: true });
    }, 120_000);
  });
}
