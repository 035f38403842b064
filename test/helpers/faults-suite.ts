// Every fault of the catalogue on every CNI mode it applies to, on the real
// kernel: inject → the path checker fails at the hop and with the diagnosis
// the fault predicts (or the symptom it names: big packets, a ClusterIP, a
// name) → `fault clear` repairs it → the trace passes again → nothing is
// left recorded, and `down` leaves no namespace. One lab per mode, shared by
// its faults (each `up` costs seconds); then each troubleshooting lab of the
// mode runs headless, its solutions repairing what its steps break.
// One test file per mode (faults-<mode>.test.ts), so the suite runs them side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CniMode } from '../../src/core/facts.js';
import { applicable } from '../../src/faults/select.js';
import { recordedFaults } from '../../src/faults/apply.js';
import { gradeTrace } from '../../src/check/index.js';
import { createNetnsProvider } from '../../src/providers/netns/provider.js';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { ROOT, hoplab, until } from './cli.js';
import { inLab, labKubectl } from './lab-direct.js';
import { NO_NETNS, testLabName } from './root.js';

const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

const LABS: Record<CniMode, string[]> = {
  'flannel-host-gw': ['troubleshoot-pods', 'troubleshoot-services'],
  'flannel-vxlan': ['troubleshoot-pods'],
  'calico-bgp': ['troubleshoot-calico'],
  'calico-vxlan': [],
  'calico-ipip': ['troubleshoot-calico'],
};
const TRACE = 'traceroute -n -w 1 -q 1 -m 6';

/** Every fault of `mode` on one lab of that mode, then the mode's troubleshooting labs. */
export function faultsSuite(mode: CniMode): void {
  const m = (Object.keys(LABS) as CniMode[]).indexOf(mode);
  describe.skipIf(skip)(`faults on ${mode} (netns)`, () => {
    const lab = testLabName(`f${m}`);
    const env = { HOPLAB_LAB: lab };
    let refused: string | undefined;
    let webIP = '';
    let clusterIP = '';
    const inClient = (cmd: string, timeout = 60_000) => inLab(lab)('pod/client', ['sh', '-c', cmd], timeout);
    const k = labKubectl(lab);

    /**
     * A fresh trace from client (node-2) to web (node-1), graded by the path checker: `check-trace`'s
     * grading without its CLI (which cli-netns and the lab tests run), as each fault grades twice.
     */
    async function grade(): Promise<{ passed: boolean; firstDifference?: number; diagnosis?: string; trace: string }> {
      await inClient(`ping -c 1 -W 1 ${webIP}`);
      const t = await inClient(`${TRACE} ${webIP}`);
      return { ...gradeTrace(await createNetnsProvider(lab).facts(), 'client', 'pod/web', t.stdout).verdict, trace: t.stdout };
    }
    /** `fault list --json`'s injected faults, read as it reads them (afterAll asks the CLI itself). */
    const injectedNow = () => recordedFaults(lab);

    beforeAll(async () => {
      const up = await hoplab(['up', '--cni', mode], env, 180_000);
      if (up.code === 3 && /refus|kernel/i.test(up.stderr)) {
        refused = up.stderr.trim().split('\n')[0];
        console.warn(`skipping the ${mode} faults: ${refused}`);
        return;
      }
      expect(up.code, up.stderr).toBe(0);
      const pin = (node: string) => `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "${node}"}}}`;
      expect((await k('run', 'web', '--image=httpd', pin('node-1'))).code).toBe(0);
      expect((await k('run', 'client', '--image=nicolaka/netshoot', pin('node-2'), '--', 'sleep', '86400')).code).toBe(0);
      expect((await k('expose', 'pod', 'web', '--port', '80')).code).toBe(0);
      await until('web and client Running', async () => {
        const r = await k('get', 'pods', 'web', 'client', '-o', 'jsonpath={.items[*].status.phase}');
        return r.stdout.trim() === 'Running Running' ? true : undefined;
      }, 150_000);
      webIP = (await k('get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}')).stdout.trim();
      clusterIP = (await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout.trim();
      expect((await grade()).passed).toBe(true);
    }, 420_000);

    afterAll(async () => {
      await hoplab(['down'], env, 120_000);
      expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
      const list = await hoplab(['fault', 'list', '--json'], env);
      expect(JSON.parse(list.stdout).injected).toEqual([]);
    }, 180_000);

    // A Service's rules and the cluster DNS fail the same way on every CNI mode
    // (the symptom is the Service's, not a hop's): the default mode proves them.
    // The path faults run on each mode, since the hop they are found at depends on it.
    const everyMode = (name: string) => name !== 'kube-proxy-rule-missing' && name !== 'dns-down';
    for (const fault of applicable(mode, 'netns').filter((f) => mode === 'flannel-host-gw' || everyMode(f.name))) {
      it(`${fault.name}: injected, found where it predicts, cleared`, async (ctx) => {
        if (refused) return ctx.skip(`${mode} refused on this machine: ${refused}`);
        const inj = await hoplab(['fault', 'inject', fault.name, '--node', 'node-2', '--peer', 'node-1'], env, 120_000);
        expect(inj.code, inj.stderr).toBe(0);
        const injected = await injectedNow();
        expect(injected.map((f) => f.name)).toEqual([fault.name]);
        const finds = injected[0].finds as { hop?: number; diagnosis?: string };

        // What the learner sees while it is in place.
        if (finds.hop !== undefined) {
          const v = await grade();
          expect(v.passed, v.trace).toBe(false);
          expect(v.firstDifference, v.trace).toBe(finds.hop);
          expect(v.diagnosis).toMatch(new RegExp(finds.diagnosis!));
        } else if (fault.name === 'vxlan-mtu') {
          expect((await inClient(`ping -c 1 -W 2 ${webIP}`)).code).toBe(0);
          expect((await inClient(`ping -c 1 -W 2 -M do -s $(( $(cat /sys/class/net/eth0/mtu) - 28 )) ${webIP}`)).code).not.toBe(0);
          expect((await grade()).passed).toBe(true);
        } else if (fault.name === 'kube-proxy-rule-missing') {
          expect((await inClient(`wget -qO- -T 3 http://${clusterIP}`)).code).not.toBe(0);
          expect((await inClient(`wget -qO- -T 3 http://${webIP}`)).code).toBe(0);
        } else if (fault.name === 'dns-down') {
          expect((await inClient('getent hosts web.default.svc.cluster.local')).code).not.toBe(0);
          expect((await inClient(`wget -qO- -T 3 http://${clusterIP}`)).code).toBe(0);
        } else {
          throw new Error(`no symptom check for ${fault.name}`);
        }

        const clear = await hoplab(['fault', 'clear'], env, 180_000);
        expect(clear.code, clear.stderr).toBe(0);
        expect(clear.stdout).toContain(`cleared ${fault.name} on node-2`);
        expect(await injectedNow()).toEqual([]);
        // vxlan-mtu traced to web a moment ago: traceroute's probes go out at once, and each one past web
        // (TTL 3 to 6) drew a port unreachable from web's kernel, which sends ICMP errors to a peer at
        // 1 a second after a burst of 6 (icmp_ratelimit). Without the wait the answer at hop 3 is dropped.
        if (fault.name === 'vxlan-mtu') await new Promise((r) => setTimeout(r, 3000));
        const v = await grade();
        expect(v.passed, `${v.diagnosis}\n${v.trace}`).toBe(true);
        if (fault.name === 'vxlan-mtu') expect((await inClient(`ping -c 1 -W 2 -M do -s $(( $(cat /sys/class/net/eth0/mtu) - 28 )) ${webIP}`)).code).toBe(0);
        if (fault.name === 'kube-proxy-rule-missing') expect((await inClient(`wget -qO- -T 3 http://${clusterIP}`)).code).toBe(0);
        if (fault.name === 'dns-down') await until('DNS back', async () => ((await inClient('getent hosts web.default.svc.cluster.local')).code === 0 ? true : undefined), 60_000);
      }, 240_000);
    }

    it('refuses a fault of another mode (exit 2) and one the provider cannot do (exit 3), with the reason', async (ctx) => {
      if (refused) return ctx.skip(`${mode} refused on this machine: ${refused}`);
      const other = mode.startsWith('flannel') ? 'bird-peer-down' : 'route-missing';
      const bad = await hoplab(['fault', 'inject', other], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(new RegExp(`applies to .*; the cluster runs ${mode}`));
      const machine = await hoplab(['fault', 'inject', 'node-ip-nat'], env);
      expect(machine.code).toBe(3);
      expect(machine.stderr).toMatch(/cannot be done on the netns provider/);
      const typo = await hoplab(['fault', 'inject', 'ip-forward-of'], env);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/did you mean ip-forward-off\?/);
    });

    for (const id of LABS[mode]) {
      it(`hoplab run ${id} passes headless: every step's fault found by its checks, repaired by its solution`, async (ctx) => {
        if (refused) return ctx.skip(`${mode} refused on this machine: ${refused}`);
        const r = await hoplab(['run', id, '--json'], env, 600_000);
        const result = JSON.parse(r.stdout);
        const failed = result.steps.flatMap((s: any) => s.checks.filter((c: any) => !c.passed).map((c: any) => `${s.id}/${c.id}: ${c.summary}`));
        expect(failed).toEqual([]);
        expect(r.code).toBe(0);
        const graded = result.steps.filter((s: any) => s.checks.some((c: any) => c.id === 'fault-gone'));
        expect(graded.length).toBeGreaterThan(0);
      }, 620_000);
    }
  });
}
