// The kubeconfig provider's discovery and the pod-to-pod lab on each CNI mode
// the embedded lab builds besides flannel host-gw. A mode this kernel cannot
// build (calico-ipip without IPIP) is skipped, saying so. Two test files take
// half the modes each, so that the suite runs them side by side.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { cluster as clusterFor, learnerState, skip } from './kubeconfig-cluster.js';
import { testLabName } from './root.js';

/**
 * The provider drives whichever kubectl is on the learner's PATH: two modes' runs use the oldest
 * a fresh Debian gets (1.20, scripts/fetch-kubectl-1.20.sh) and the newest these machines carry,
 * so each runs a whole lab without a run of its own (kubeconfig-kubectl.test.ts has their up,
 * node command and down). Absent, the run uses the default kubectl and says so.
 */
export const KUBECTLS = {
  '1.20': join(ROOT, '.cache', 'kubectl-1.20', 'usr', 'bin', 'kubectl'),
  '1.33': '/usr/lib/google-cloud-sdk/bin/kubectl.1.33',
} as const;
const KUBECTL_OF: Partial<Record<(typeof MODES)[number], keyof typeof KUBECTLS>> = { 'flannel-vxlan': '1.20', 'calico-bgp': '1.33' };

const MODES = ['flannel-vxlan', 'calico-bgp', 'calico-vxlan', 'calico-ipip'] as const;
export type OtherMode = (typeof MODES)[number];
const TAG: Record<(typeof MODES)[number], string> = { 'flannel-vxlan': 'fx', 'calico-bgp': 'cb', 'calico-vxlan': 'cx', 'calico-ipip': 'ci' };
const TUNNEL: Record<(typeof MODES)[number], string | undefined> = {
  'flannel-vxlan': 'flannel.1',
  'calico-bgp': undefined,
  'calico-vxlan': 'vxlan.calico',
  'calico-ipip': 'tunl0',
};

/** One describe for `modes`: each its own cluster, up, the lab, down. */
export function modesSuite(modes: readonly OtherMode[]): void {
  const { userEnv } = learnerState();
  const cluster = (tag: string, cni?: string, kubectl?: string) => clusterFor(tag, kubectl ? { ...userEnv, HOPLAB_KUBECTL: kubectl } : userEnv, cni);
  describe.skipIf(skip)(`kubeconfig provider: discovery per CNI mode (${modes.join(', ')})`, () => {
    for (const mode of modes) {
      const version = KUBECTL_OF[mode];
      const binary = version && existsSync(KUBECTLS[version]) ? KUBECTLS[version] : undefined;
      const which = version ? (binary ? ` with kubectl ${version}` : ` (kubectl ${version} absent: the default kubectl)`) : '';
      it(`${mode}: found from the node annotations, node readings, and pod-to-pod passes${which}`, async (ctx) => {
        const c = cluster(`kn${TAG[mode]}`, mode, binary);
        const learner = testLabName(`km${TAG[mode]}`);
        const up = await c.up();
        if (up.code !== 0 && /needs the kernel's/.test(up.stderr)) {
          console.warn(`skipping ${mode}: ${up.stderr.trim()}`);
          ctx.skip();
        }
        try {
          expect(up.code, up.stderr).toBe(0);
          const r = await c.hoplab(['up', '--provider', 'kubeconfig', '--name', learner]);
          expect(r.code, r.stdout + r.stderr).toBe(0);
          expect(r.stdout).toContain(`✓ cni  (${mode} (hoplab predicts its paths))`);
          const s = JSON.parse((await c.hoplab(['status', '--json', '--name', learner])).stdout);
          expect(s.cni).toBe(mode);
          const tunnel = TUNNEL[mode];
          if (tunnel) expect(s.facts.nodes.find((n: any) => n.name === 'node-1').interfaces.map((i: any) => i.name)).toContain(tunnel);
          const run = await c.hoplab(['run', 'pod-to-pod', '--name', learner], 240_000);
          expect(run.code, run.stdout.slice(-3000)).toBe(0);
          expect(run.stdout).toContain(`(kubeconfig, ${mode},`);
        } finally {
          await c.hoplab(['down', '--name', learner, '--provider', 'kubeconfig'], 60_000);
          await c.down();
        }
      }, 400_000);
    }
  });
}
