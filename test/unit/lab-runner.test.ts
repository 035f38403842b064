// The runner and checkStep on a test double cluster, with the real trace
// parser, path engine and checker: the pod-to-pod lab passes on the seed's
// traces and fails, naming the hop, on the wrong ones.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { checkStep } from '../../src/labs/checks.js';
import { parseLab } from '../../src/labs/load.js';
import type { Lab } from '../../src/labs/model.js';
import { liveReport, summary } from '../../src/labs/report.js';
import type { RunEvent } from '../../src/labs/results.js';
import { assertRunnable, resetStep, runLab, runStepCommand } from '../../src/labs/runner.js';
import { labMode } from '../../src/labs/model.js';
import { lastRunOf, sessionHeader, shellRuns, traceRuns } from '../../src/labs/transcript.js';
import { baseFacts, busyboxTrace, fakeCluster, gnuTrace, type FakeOptions } from '../fixtures/labs/fake-cluster.js';

function loadPodToPod(): Lab {
  const r = parseLab(readFileSync(new URL('../../labs/pod-to-pod.yaml', import.meta.url), 'utf8'), 'labs/pod-to-pod.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lab;
}

// In the fake, nginx gets 10.244.1.2 and httpd 10.244.1.3 on node-1 (the seed's address); the traceroute pod 10.244.1.4
// (same node) and then 10.244.2.2 (node-2).
const SEED_TRACES: Record<string, string> = {
  'node:controlplane>192.168.56.11': gnuTrace('192.168.56.11', ['192.168.56.11']),
  'node:controlplane>192.168.56.12': gnuTrace('192.168.56.12', ['192.168.56.12']),
  'pod:traceroute@node-1>10.244.1.3': busyboxTrace('10.244.1.3', ['10.244.1.3']),
  'pod:traceroute@node-2>10.244.1.3': busyboxTrace('10.244.1.3', ['10.244.2.1', '192.168.56.11', '10.244.1.3']),
};

async function run(opts: FakeOptions = {}) {
  const lab = loadPodToPod();
  const provider = fakeCluster({ ...opts, traces: { ...SEED_TRACES, ...opts.traces } });
  const events: RunEvent[] = [];
  const result = await runLab(lab, provider, { onEvent: (e) => events.push(e), pollMs: 1 });
  return { lab, provider, events, result };
}

describe('runLab on pod-to-pod', () => {
  it("passes on the seed article's traces", async () => {
    const { result, events, provider } = await run();
    const failed = result.steps.flatMap((s) => [s.error, ...s.checks.filter((c) => !c.passed).map((c) => `${s.id}/${c.id}: ${c.summary}`)]).filter(Boolean);
    expect(failed).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.steps.map((s) => s.checks.length)).toEqual([4, 3, 2, 2]);
    // hoplab ran the solution: every pass is 'shown', never the learner's 'passed'.
    expect(new Set(result.steps.flatMap((s) => [s.outcome, ...s.checks.map((c) => c.outcome)]))).toEqual(new Set(['shown']));

    const across = result.steps[3]!.checks[0]!;
    expect(across.hops?.expected?.map((h) => h.address)).toEqual(['10.244.2.1', '192.168.56.11', '10.244.1.3']);
    expect(across.hops?.verdict?.hops.map((h) => [h.ttl, h.status, h.observed])).toEqual([
      [1, 'match', ['10.244.2.1']],
      [2, 'match', ['192.168.56.11']],
      [3, 'match', ['10.244.1.3']],
    ]);
    expect(result.steps[3]!.checks[1]!.answer).toEqual({ question: 'Hop 2 of the trace is an address of which node?', given: 'node-1', expected: 'node-1' });
    expect(result.steps[2]!.checks[1]!.answer).toMatchObject({ given: 'vethhttp01', expected: 'vethhttp01' });

    // The solution ran as written, templates resolved, pods pinned where the step says.
    expect(provider.calls).toContain(`kubectl run traceroute --image=busybox --restart=Never --overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-2"}}} -- traceroute -n -w 1 -m 8 10.244.1.3`);
    expect(provider.calls).toContain('node:controlplane$ traceroute -n -w 1 -m 8 192.168.56.11');
    // Checks grade what the solution's commands printed; they do not run them again.
    expect(provider.calls.filter((c) => c === 'node:controlplane$ traceroute -n -w 1 -m 8 192.168.56.11').length).toBe(1);
    expect(provider.calls.filter((c) => c === 'kubectl logs traceroute').length).toBe(2);

    // Events: bracketed by lab-start/lab-end, each step by step-start/step-end.
    expect(events[0]!.type).toBe('lab-start');
    expect(events.at(-1)!.type).toBe('lab-end');
    expect(events.filter((e) => e.type === 'step-start').length).toBe(4);
    expect(events.filter((e) => e.type === 'check').length).toBe(11);
    expect(events.some((e) => e.type === 'output' && e.line.includes('192.168.56.11'))).toBe(true);
    expect(events.some((e) => e.type === 'wait' && e.condition === 'pod traceroute Succeeded' && e.state === 'done')).toBe(true);
    // Results are plain data.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('fails the cross-node trace that left through the NAT interface, at hop 2', async () => {
    const { result } = await run({
      traces: { 'pod:traceroute@node-2>10.244.1.3': busyboxTrace('10.244.1.3', ['10.244.2.1', '10.0.2.15', '10.244.1.3']) },
    });
    expect(result.passed).toBe(false);
    expect(result.steps.map((s) => s.passed)).toEqual([true, true, true, false]);
    const check = result.steps[3]!.checks[0]!;
    expect(check.passed).toBe(false);
    expect(check.hops?.verdict?.firstDifference).toBe(2);
    expect(check.summary).toMatch(/^hop 2 is 10\.0\.2\.15, /);
    expect(check.hops?.verdict?.hops[1]).toMatchObject({ ttl: 2, status: 'mismatch', observed: ['10.0.2.15'] });
  });

  it('fails a node-to-node trace that needed a router', async () => {
    const { result } = await run({
      traces: { 'node:controlplane>192.168.56.12': gnuTrace('192.168.56.12', ['10.0.2.2', '192.168.56.12']) },
    });
    const [toNode1, toNode2] = result.steps[1]!.checks;
    expect(toNode1!.passed).toBe(true);
    expect(toNode2!.passed).toBe(false);
    expect(toNode2!.hops?.verdict?.firstDifference).toBe(1);
  });

  it('fails an empty trace with a reason instead of passing it', async () => {
    const { result } = await run({ traces: { 'pod:traceroute@node-1>10.244.1.3': '' } });
    const check = result.steps[2]!.checks[0]!;
    expect(check.passed).toBe(false);
    expect(check.summary).toBe('kubectl logs traceroute printed no trace');
  });

  it('fails the output check and the answer when the default route is wrong', async () => {
    const { result } = await run({ defaultVia: '10.0.2.3' });
    const step = result.steps[0]!;
    expect(step.passed).toBe(false);
    const byId = Object.fromEntries(step.checks.map((c) => [c.id, c]));
    expect(byId['check-3']!.passed).toBe(false);
    expect(byId['check-3']!.summary).toBe(`ip route printed no line with "default via 10.0.2.2 dev eth0"; it printed "default via 10.0.2.3 dev eth0" / "10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15" … (4 lines)`);
    expect(byId['default-gateway']!.answer).toEqual({ question: 'To which address does node-1 send traffic bound for the internet?', given: '10.0.2.3', expected: '10.0.2.2' });
    expect(byId['default-gateway']!.passed).toBe(false);
  });

  it('stops a step at a failing command and skips its checks', async () => {
    const { result } = await run({ failKubectl: { 'run nginx --image=nginx:latest': 'error: failed to create pod' } });
    const step = result.steps[0]!;
    expect(step.passed).toBe(false);
    expect(step.error).toBe('kubectl run nginx --image=nginx:latest exited 1: error: failed to create pod');
    expect(step.commands.map((c) => c.display)).toEqual(['kubectl delete pod nginx --ignore-not-found', 'kubectl run nginx --image=nginx:latest']);
    expect(step.checks.every((c) => c.skipped && !c.passed)).toBe(true);
    // The other steps still ran (and the one that does not depend on pods passed).
    expect(result.steps.slice(1).every((s) => s.commands.length > 0)).toBe(true);
    expect(result.steps[1]!.passed).toBe(true);
  });

  it('still grades the trace when the traceroute pod does not finish in time', async () => {
    const lab = loadPodToPod();
    for (const s of lab.steps) for (const c of s.run) c.wait = c.wait.map((w) => ({ ...w, timeoutSec: 0.05 }));
    const provider = fakeCluster({
      stuck: ['traceroute'],
      traces: { ...SEED_TRACES, 'pod:traceroute@node-2>10.244.1.3': busyboxTrace('10.244.1.3', ['10.244.2.1']).replace(/\n$/, '\n 2  *  *  *\n 3  *  *  *\n') },
    });
    const result = await runLab(lab, provider, { pollMs: 1 });
    const step = result.steps[3]!;
    expect(step.error).toMatch(/waiting for pod traceroute Succeeded: not after 0\.05 s: Running/);
    const [hops] = step.checks;
    expect(hops!.skipped).toBeUndefined();
    expect(hops!.passed).toBe(false);
    expect(hops!.hops?.verdict?.firstDifference).toBe(2);
  });

  it('names the checks a cancelled step did not get to, so a failed run always says why', async () => {
    const lab = loadPodToPod();
    const abort = new AbortController();
    // Cancelled right after the first check of the first step was graded.
    const onEvent = (e: RunEvent) => void (e.type === 'check' && abort.abort());
    const result = await runLab(lab, fakeCluster({ traces: SEED_TRACES }), { onEvent, signal: abort.signal, pollMs: 1 });
    expect(result.passed).toBe(false);
    const step = result.steps[0]!;
    expect(step.error).toBe('cancelled');
    expect(step.checks.map((c) => [c.passed, c.skipped ?? false])).toEqual([[true, false], [false, true], [false, true], [false, true]]);
    expect(step.checks[1]!.summary).toBe('not checked: cancelled');
    expect(summary(result)).toMatch(/^ {2}node-to-internet: cancelled$/m);
  });

  it('picks the first mode of a lab this kernel builds, and names the lab cluster in what it suggests', async () => {
    expect(labMode({ cni: ['calico-ipip', 'calico-bgp'] }, ['flannel-host-gw', 'calico-bgp'])).toBe('calico-bgp');
    expect(labMode({ cni: ['calico-ipip', 'calico-bgp'] })).toBe('calico-ipip');
    expect(labMode({ cni: ['calico-ipip'] }, ['calico-bgp'])).toBe('calico-ipip'); // then refused, with the reason
    expect(labMode({ cni: 'any' }, ['calico-bgp'])).toBe('flannel-host-gw');
    const lab = { ...loadPodToPod(), cni: ['calico-bgp' as const] };
    expect(() => assertRunnable(lab, baseFacts(), { cluster: 'demo' })).toThrow(expect.objectContaining({ hint: "start a cluster in its mode: 'hoplab --name demo down && hoplab --name demo up --cni calico-bgp'" }));
    expect(() => assertRunnable(loadPodToPod(), baseFacts(), { cni: 'flannel-vxlan' })).toThrow(expect.objectContaining({ hint: "bring it down and up again with 'hoplab down && hoplab up --cni flannel-vxlan'" }));
  });

  it('refuses a cluster the lab is not for', async () => {
    const lab = { ...loadPodToPod(), cni: ['calico-bgp' as const] };
    await expect(runLab(lab, fakeCluster())).rejects.toThrow(UsageError);
    await expect(runLab(loadPodToPod(), fakeCluster({ workers: 1 }))).rejects.toThrow(/needs 2 worker nodes; the cluster has 1/);
    await expect(runLab(loadPodToPod(), fakeCluster(), { cni: 'flannel-vxlan' })).rejects.toThrow(/--cni flannel-vxlan: the lab cluster runs flannel-host-gw/);
  });

  it('prints a report from the events and a summary naming the failed hop', async () => {
    const lab = loadPodToPod();
    const provider = fakeCluster({ traces: { ...SEED_TRACES, 'pod:traceroute@node-2>10.244.1.3': busyboxTrace('10.244.1.3', ['10.244.2.1', '192.168.56.12', '10.244.1.3']) } });
    let out = '';
    const result = await runLab(lab, provider, { onEvent: liveReport((t) => (out += t)), pollMs: 1 });
    out += summary(result);
    expect(out).toContain('[4/4] Pods on different nodes (cni0 + eth1 + cni0)');
    expect(out).toContain('node-1$ ip route');
    expect(out).toMatch(/FAIL {2}traceroute on node-2 reaches httpd on node-1: hop 2 is 192\.168\.56\.12/);
    expect(out).toMatch(/2 {4}192\.168\.56\.11 eth1 node-1 +192\.168\.56\.12 +WRONG/);
    expect(out).toContain('pod-to-pod: FAILED: 3 of 4 steps, 10 of 11 checks passed');
  });
});

describe('checkStep: what the TUI calls after the learner worked in a shell', () => {
  async function preparedCluster() {
    const lab = loadPodToPod();
    const provider = fakeCluster({ traces: SEED_TRACES });
    // Steps 0..2 done the hoplab way; the learner does step 3 by hand.
    await runLab(lab, provider, { steps: [0, 1, 2], pollMs: 1 });
    await provider.kubectl(['delete', 'pod', 'traceroute']);
    await provider.kubectl(['run', 'traceroute', '--image=busybox', '--restart=Never', `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-2"}}}`, '--', 'traceroute', '10.244.1.3']);
    return { lab, provider };
  }

  it('says once that the cluster is gone, instead of failing every check with it', async () => {
    const lab = loadPodToPod();
    const gone = { ...fakeCluster(), facts: async () => Promise.reject(new UsageError("lab 'tui' is not up", "start it with 'sudo hoplab up'")) };
    const events: RunEvent[] = [];
    await expect(checkStep(lab, 0, gone, {}, { onEvent: (e) => events.push(e) })).rejects.toThrow("lab 'tui' is not up");
    expect(events.filter((e) => e.type === 'check')).toEqual([]);
  });

  it('grades the learner’s answers', async () => {
    const { lab, provider } = await preparedCluster();
    const right = await checkStep(lab, 3, provider, { 'hop-2-node': ' Node-1 ' });
    expect(right.map((c) => [c.id, c.passed, c.outcome])).toEqual([['check-1', true, 'passed'], ['hop-2-node', true, 'passed']]);
    const wrong = await checkStep(lab, 3, provider, { 'hop-2-node': 'node-2' });
    expect(wrong[1]).toMatchObject({ passed: false, outcome: 'failed', summary: '"node-2" is not the answer', answer: { given: 'node-2', expected: 'node-1' } });
    const none = await checkStep(lab, 3, provider);
    expect(none[1]).toMatchObject({ passed: false, summary: 'not answered yet' });
  });

  it('grades a pasted trace instead of running the observe command', async () => {
    const { lab, provider } = await preparedCluster();
    const pasted = '$ kubectl logs traceroute\ntraceroute to 10.244.1.3 (10.244.1.3), 30 hops max, 46 byte packets\n 1  10.244.2.1  0.1 ms\n 2  *  *  *\n 3  *  *  *\n';
    const [hops] = await checkStep(lab, 3, provider, {}, { traces: { 'check-1': pasted } });
    expect(hops!.passed).toBe(false);
    expect(hops!.command).toBeUndefined();
    expect(hops!.hops?.verdict?.firstDifference).toBe(2);
  });

  it('reports a step that does not exist', async () => {
    const { lab, provider } = await preparedCluster();
    await expect(checkStep(lab, 9, provider)).rejects.toThrow(/has no step 9/);
  });
});

describe('single commands for the TUI', () => {
  it('runs one command of a step with its wait, and resets a step', async () => {
    const lab = loadPodToPod();
    const provider = fakeCluster({ traces: SEED_TRACES });
    const events: RunEvent[] = [];
    const r = await runStepCommand(lab, 2, 0, provider, { onEvent: (e) => events.push(e), pollMs: 1 });
    expect(r).toMatchObject({ ok: true, exitCode: 0, where: 'kubectl', stdout: 'pod/httpd created\n' });
    expect(r.waits).toMatchObject([{ condition: 'pod httpd Running', ok: true }]);
    expect(events.map((e) => e.type)).toEqual(['command-start', 'output', 'wait', 'wait', 'command-end']);
    // Running it again fails as kubectl would, and says why.
    const again = await runStepCommand(lab, 2, 0, provider);
    expect(again).toMatchObject({ ok: false, exitCode: 1, stderr: 'Error from server (AlreadyExists): pods "httpd" already exists' });
    const reset = await resetStep(lab, 2, provider);
    expect(reset.map((c) => [c.display, c.ok])).toEqual([['kubectl delete pod httpd traceroute --ignore-not-found', true]]);
    expect((await provider.facts()).pods.map((p) => p.name)).toEqual([]);
    await expect(runStepCommand(lab, 2, 9, provider)).rejects.toThrow(/no command 9 in step 2/);
  });
});

describe("c grades the learner's own shell, not a command hoplab runs again", () => {
  const prompt = '[root@controlplane ~]# ';
  const session = (...runs: [string, string][]) => runs.map(([cmd, out]) => `${prompt}${cmd}\n${out}`).join('') + `${prompt}exit\n`;
  async function cluster() {
    const lab = loadPodToPod();
    const provider = fakeCluster({ traces: SEED_TRACES });
    return { lab, provider };
  }

  it('passes the traces the learner ran, as theirs', async () => {
    const { lab, provider } = await cluster();
    const transcript = session(
      ['traceroute -n -w 1 -m 8 192.168.56.11', gnuTrace('192.168.56.11', ['192.168.56.11'])],
      ['traceroute -n 192.168.56.12', gnuTrace('192.168.56.12', ['192.168.56.12'])],
    );
    const [one, two] = await checkStep(lab, 1, provider, {}, { transcript });
    expect(one).toMatchObject({ passed: true, outcome: 'passed' });
    expect(two).toMatchObject({ passed: true, outcome: 'passed' });
    // hoplab did not run the traceroute itself.
    expect(provider.calls.filter((c) => c.includes('traceroute'))).toEqual([]);
  });

  it('a typo is no traceroute: it says so and what to run', async () => {
    const { lab, provider } = await cluster();
    const transcript = session(['tracerout -n 192.168.56.11', 'sh: tracerout: not found\n']);
    const [one] = await checkStep(lab, 1, provider, {}, { transcript });
    expect(one).toMatchObject({ passed: false, outcome: 'failed', summary: 'no traceroute in your shell yet: run traceroute -n -w 1 -m 8 192.168.56.11 on controlplane (s in hoplab\'s lab screen, or hoplab ssh)' });
  });

  it('a trace to the wrong address fails, naming the address it went to and the one the check traces', async () => {
    const { lab, provider } = await cluster();
    const transcript = session(['traceroute 10.0.2.2', gnuTrace('10.0.2.2', ['10.0.2.2'])]);
    const [one] = await checkStep(lab, 1, provider, {}, { transcript });
    expect(one!.passed).toBe(false);
    expect(one!.summary).toBe('your traceroute went to 10.0.2.2, but this check traces node/node-1 at 192.168.56.11: run traceroute -n -w 1 -m 8 192.168.56.11 on controlplane');
  });

  describe('where the learner ran it', () => {
    const wrongPlace = 'your traceroute to 192.168.56.11 ran on node-2, but this step asks for it on controlplane: run traceroute -n -w 1 -m 8 192.168.56.11 on controlplane';
    const trace = gnuTrace('192.168.56.11', ['192.168.56.11']);

    it('a trace typed in the node-2 shell does not count for one from controlplane, and says so', async () => {
      const { lab, provider } = await cluster();
      const transcript = `${sessionHeader({ kind: 'node', name: 'node-2' })}\n[root@node-2 ~]# traceroute -n 192.168.56.11\n${trace}[root@node-2 ~]# exit\n`;
      const [one] = await checkStep(lab, 1, provider, {}, { transcript });
      expect(one).toMatchObject({ passed: false, outcome: 'failed', summary: wrongPlace });
    });

    it('knows the place from the command (hoplab ssh NODE --) and from the session when the prompt names none', async () => {
      const { lab, provider } = await cluster();
      const viaSsh = `$ hoplab ssh --name lab1 node-2 -- traceroute -n 192.168.56.11\n${trace}$ exit\n`;
      expect((await checkStep(lab, 1, provider, {}, { transcript: viaSsh }))[0]).toMatchObject({ passed: false, summary: wrongPlace });
      const busybox = `${sessionHeader({ kind: 'node', name: 'node-2' })}\n/ # traceroute -n 192.168.56.11\n${trace}/ # exit\n`;
      expect((await checkStep(lab, 1, provider, {}, { transcript: busybox }))[0]).toMatchObject({ passed: false, summary: wrongPlace });
      // The same trace, then the right one from controlplane: the right one counts.
      const both = `${viaSsh}${sessionHeader({ kind: 'node', name: 'controlplane' })}\n/ # traceroute -n 192.168.56.11\n${trace}/ # exit\n`;
      expect((await checkStep(lab, 1, provider, {}, { transcript: both }))[0]).toMatchObject({ passed: true, outcome: 'passed' });
    });

    it('a trace typed on node-2 for a step that traces from the traceroute pod on node-1 is named beside the reason', async () => {
      const { lab, provider } = await cluster();
      await provider.kubectl(['run', 'httpd', '--image=httpd', `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-1"}}}`]);
      const transcript = `${sessionHeader({ kind: 'node', name: 'node-2' })}\n[root@node-2 ~]# traceroute -n 10.244.1.2\n${busyboxTrace('10.244.1.2', ['10.244.1.2'])}`;
      const [hops] = await checkStep(lab, 2, provider, {}, { transcript });
      expect(hops!.summary).toBe('there is no pod traceroute yet: this step needs it on node-1; your traceroute to 10.244.1.2 ran on node-2, but this step asks for it from pod traceroute');
      // With the pod there, its own trace is graded, and the node-2 one still named when that fails.
      await provider.kubectl(['run', 'traceroute', '--image=busybox', '--restart=Never', `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-1"}}}`, '--', 'traceroute', '10.244.1.2']);
      const [again] = await checkStep(lab, 2, provider, {}, { transcript });
      expect(again!.summary).toBe('kubectl logs traceroute printed no trace; your traceroute to 10.244.1.2 ran on node-2, but this step asks for it from pod traceroute');
    });

    it("an output check reads the learner's command where the check asks for it", async () => {
      const { lab, provider } = await cluster();
      await runLab(lab, provider, { steps: [0], pollMs: 1 });
      const route = 'default via 10.0.2.2 dev eth0 proto dhcp\n';
      const onNode2 = `[root@node-2 ~]# ip route\n${route}[root@node-2 ~]# exit\n`;
      const check = (t: string) => checkStep(lab, 0, provider, { 'default-gateway': '10.0.2.2' }, { transcript: t }).then((r) => r[2]!);
      expect(await check(onNode2)).toMatchObject({
        passed: false,
        summary: "your `ip route` ran on node-2, but this check reads it on node-1: run it there (s in hoplab's lab screen, or hoplab ssh)",
      });
      expect(await check(`${onNode2}$ hoplab ssh node-1 -- ip route\n${route}`)).toMatchObject({ passed: true });
    });
  });
});

describe('shellRuns', () => {
  it('gives each command where it ran: the prompt, the command, the session', () => {
    const t = [
      sessionHeader({ kind: 'pod', name: 'traceroute' }),
      '/ # ip addr',
      '1: lo',
      'hoplab-session: kubectl',
      'me@laptop:~$ kubectl exec -n default tcp -- traceroute -T 10.96.0.10',
      ' 1  10.96.0.10',
      'me@laptop:~$ hoplab ssh office-pc -- ip route',
      '[root@node-1 ~]# ip route',
    ].join('\n');
    const runs = shellRuns(t);
    expect(runs.map((r) => [r.command, r.ranOn])).toEqual([
      ['ip addr', 'traceroute'],
      ['kubectl exec -n default tcp -- traceroute -T 10.96.0.10', 'laptop'],
      ['hoplab ssh office-pc -- ip route', 'laptop'],
      ['ip route', 'node-1'],
    ]);
    expect(traceRuns(runs).map((r) => [r.command, r.ranOn, r.destination])).toEqual([['traceroute -T 10.96.0.10', 'tcp', '10.96.0.10']]);
    expect(lastRunOf(runs, 'ip route', 'office-pc').run?.ranOn).toBe('office-pc');
  });
});

describe('step preconditions', () => {
  it('a traceroute pod on the wrong node fails the same-node step with the reason, not a ✓ computed from where it landed', async () => {
    const lab = loadPodToPod();
    const provider = fakeCluster({ traces: SEED_TRACES });
    await runLab(lab, provider, { steps: [0, 1, 2], pollMs: 1 });
    await provider.kubectl(['delete', 'pod', 'traceroute']);
    await provider.kubectl(['run', 'traceroute', '--image=busybox', '--restart=Never', `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-2"}}}`, '--', 'traceroute', '10.244.1.3']);
    const checks = await checkStep(lab, 2, provider, { 'httpd-veth': 'x' });
    expect(checks.length).toBe(lab.steps[2]!.checks.length);
    for (const c of checks) expect(c).toMatchObject({ passed: false, outcome: 'failed', summary: 'traceroute runs on node-2, this step needs it on node-1' });
  });
});

describe('checkStep on a troubleshooting step (a step with fault:)', () => {
  it("grades the learner's repair too: 'the cause is repaired' follows the step's own checks", async () => {
    const prev = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'hoplab-faults-'));
    try {
      const lab = loadPodToPod();
      const step = { ...lab.steps[0]!, fault: { name: 'ip-forward-off', node: 'node-2' } } as Lab['steps'][number];
      const checks = await checkStep({ ...lab, steps: [step, ...lab.steps.slice(1)] }, 0, fakeCluster({ traces: SEED_TRACES }));
      expect(checks).toHaveLength(step.checks.length + 1);
      // Nothing was injected into this lab: the learner is told to start the step broken, not passed.
      expect(checks.at(-1)).toMatchObject({ id: 'fault-gone', passed: false, summary: expect.stringContaining('was never injected into this lab') });
    } finally {
      rmSync(process.env.XDG_STATE_HOME!, { recursive: true, force: true });
      if (prev === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = prev;
    }
  });
});
