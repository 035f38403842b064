// Fakes for the UI tests: a small lab, a provider whose `up` emits real-looking
// progress and honours abort, and a runner that emits the runner's events.
import { InterruptedError } from '../../src/core/errors.js';
import type { ClusterFacts } from '../../src/core/facts.js';
import type { Catalog } from '../../src/labs/catalog.js';
import type { Lab, LabCommand } from '../../src/labs/model.js';
import { emptyProgress, type ProgressFile } from '../../src/labs/progress.js';
import type { CheckResult, LabResult, RunEvent, StepResult } from '../../src/labs/results.js';
import type { RunLabOptions } from '../../src/labs/runner.js';
import { labFacts } from '../../src/providers/netns/facts.js';
import { planLab } from '../../src/providers/netns/plan.js';
import type { LabStatus, Provider, ProgressEvent, SpawnSpec, UpOptions } from '../../src/providers/provider.js';
import { appReducer, initialApp } from '../../src/ui/app-state.js';
import { createController } from '../../src/ui/controller.js';
import { OutputStore } from '../../src/ui/output-store.js';
import type { UiDeps } from '../../src/ui/ports.js';
import { createStore } from '../../src/ui/store.js';

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

const cmd = (where: LabCommand['where'], text: string): LabCommand => ({
  where,
  text,
  display: where.kind === 'kubectl' ? `kubectl ${text}` : text,
  wait: [],
  timeoutSec: 30,
  mayFail: false,
  at: 'mini.yaml:1:1',
});

export function miniLab(): Lab {
  return {
    id: 'mini',
    title: 'Mini lab',
    summary: 'Two steps to test the UI with.',
    cni: ['flannel-host-gw'],
    minutes: 5,
    order: 1,
    cluster: {},
    file: 'labs/mini.yaml',
    steps: [
      {
        id: 'node-to-node',
        title: 'Node to node',
        text: 'Trace from the control plane to `node-1`:\n\n```\ntraceroute -n 192.168.56.11\n```\n\n- one hop\n- over eth1',
        reset: [],
        requires: [],
        run: [cmd({ kind: 'node', name: 'controlplane' }, 'traceroute -n {{ nodes.node-1.eth1 }}')],
        checks: [
          {
            kind: 'hops',
            id: 'trace',
            title: 'one hop over eth1',
            at: 'mini.yaml:9:9',
            from: 'node/controlplane',
            to: 'node/node-1',
            observe: cmd({ kind: 'node', name: 'controlplane' }, 'traceroute -n 192.168.56.11'),
          },
        ],
        hints: ['eth1 is on the host-only switch', 'one hop: the nodes share the switch'],
        solution: { text: 'Run `traceroute -n 192.168.56.11` on controlplane.', answers: {} },
      },
      {
        id: 'veth',
        title: 'Which veth?',
        text: 'Find the veth of the httpd pod on node-1.',
        reset: [cmd({ kind: 'kubectl' }, 'delete pod httpd --ignore-not-found')],
        requires: [],
        run: [cmd({ kind: 'kubectl' }, 'get pods -o wide')],
        checks: [{ kind: 'answer', id: 'veth', title: 'the veth', at: 'mini.yaml:20:9', question: "Which interface on node-1 is httpd's veth peer?", expect: { kind: 'value', text: 'veth1' } }],
        hints: [],
        solution: { text: 'It is `veth1`.', answers: { veth: { kind: 'value', text: 'veth1' } } },
      },
    ],
  };
}

export function facts(): ClusterFacts {
  return labFacts(planLab('t', 'flannel-host-gw', 2), [{ name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', hostVeth: 'veth1' }]);
}

export interface FakeProvider extends Provider {
  state: LabStatus['state'];
  upCalls: UpOptions[];
  downCalls: number;
  /** Resolves `up` (it waits for this when hold is set). */
  release(): void;
  hold: boolean;
  failUp?: Error;
  tornDown: boolean;
  /** A provider that finishes `up` even when asked to stop. */
  ignoreAbort?: boolean;
}

export function fakeProvider(initial: LabStatus['state'] = 'down'): FakeProvider {
  let release = () => undefined as void;
  const p: FakeProvider = {
    name: 'netns',
    lab: 'tui',
    state: initial,
    upCalls: [],
    downCalls: 0,
    hold: false,
    tornDown: false,
    release: () => release(),
    async up(opts) {
      p.upCalls.push(opts);
      const emit = (e: ProgressEvent) => opts.onEvent?.(e);
      emit({ type: 'phase', phase: 'namespaces', state: 'start' });
      emit({ type: 'phase', phase: 'namespaces', state: 'done' });
      emit({ type: 'phase', phase: 'node-network', node: 'controlplane', state: 'start' });
      emit({ type: 'log', line: 'wiring controlplane' });
      if (p.hold) {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          opts.signal?.addEventListener('abort', () => {
            if (p.ignoreAbort) return void setTimeout(resolve, 5);
            p.tornDown = true; // the provider undoes what it built before it rejects
            reject(new InterruptedError('up was interrupted; nothing of the lab was left behind'));
          });
        });
      }
      if (p.failUp) throw p.failUp;
      emit({ type: 'phase', phase: 'node-network', node: 'controlplane', state: 'done' });
      emit({ type: 'phase', phase: 'api', state: 'done' });
      p.state = 'up';
    },
    async down() {
      p.downCalls++;
      p.state = 'down';
    },
    async status() {
      return { lab: 'tui', provider: 'netns', state: p.state, notes: [], ...(p.state === 'up' ? { cni: 'flannel-host-gw', facts: facts() } : {}) };
    },
    async run() {
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    async kubectl() {
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    async shell(target): Promise<SpawnSpec> {
      return { file: 'sh', args: ['-c', `echo shell on ${target.name}`], env: {} };
    },
    async kubeEnv() {
      return { KUBECONFIG: '/tmp/none' };
    },
    async facts() {
      return facts();
    },
  };
  return p;
}

function hopsCheck(passed: boolean): CheckResult {
  return {
    id: 'trace',
    kind: 'hops',
    outcome: passed ? 'passed' : 'failed',
    title: 'one hop over eth1',
    passed,
    summary: passed ? '1 hop, as expected' : 'hop 1 is 10.0.2.2, expected 192.168.56.11',
    hops: {
      from: 'node/controlplane',
      to: 'node/node-1',
      expected: [{ address: '192.168.56.11', interface: 'eth1', node: 'node-1', why: 'same switch' }],
      expectedFrom: 'engine',
      notes: [],
      traceWarnings: [],
      verdict: {
        passed,
        hops: [{ ttl: 1, expected: { address: '192.168.56.11', interface: 'eth1', node: 'node-1', why: 'same switch' }, observed: [passed ? '192.168.56.11' : '10.0.2.2'], status: passed ? 'match' : 'mismatch' }],
        ...(passed ? {} : { firstDifference: 1, diagnosis: 'traffic left through the NAT interface eth0, not eth1' }),
      },
      // What hoplab ran on the machine where the path went wrong (labs/evidence.ts).
      ...(passed
        ? {}
        : {
            evidence: {
              machine: 'controlplane',
              kind: 'nat-side' as const,
              items: [
                { command: 'ip route get 192.168.56.11', why: 'the route', lines: ['192.168.56.11 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0'], omitted: 2, exitCode: 0 },
                { command: 'birdc -s /etc/bird/bird.ctl show protocols', why: 'BGP', lines: [], omitted: 0, exitCode: 127, error: 'exit 127: birdc: not found' },
              ],
            },
          }),
    },
  };
}

export interface FakeRunner {
  runs: number[];
  resets: number[];
  /** Labs started over (resetLab). */
  labResets: string[];
  /** runLab waits until it is cancelled, then reports the step cancelled, as the runner does. */
  holdUntilAbort: boolean;
  checks: { step: number; answers: Record<string, string> }[];
  /** Steps that fail when run. */
  failing: Set<number>;
  outputLines: number;
  runLab: UiDeps['runLab'];
  checkStep: UiDeps['checkStep'];
}

export function fakeRunner(): FakeRunner {
  const r: FakeRunner = {
    runs: [],
    resets: [],
    labResets: [],
    holdUntilAbort: false,
    checks: [],
    failing: new Set(),
    outputLines: 3,
    async runLab(lab, provider, opts: RunLabOptions): Promise<LabResult> {
      const i = opts.steps![0]!;
      r.runs.push(i);
      const emit = (e: RunEvent) => opts.onEvent?.(e);
      const step = lab.steps[i]!;
      emit({ type: 'step-start', step: i, id: step.id, title: step.title });
      if (r.holdUntilAbort) {
        await new Promise<void>((resolve) => opts.signal?.addEventListener('abort', () => resolve()));
        const result: StepResult = { index: i, id: step.id, title: step.title, passed: false, outcome: 'failed', commands: [], checks: [], error: 'cancelled', durationMs: 1 };
        emit({ type: 'step-end', step: i, result });
        return { lab: lab.id, title: lab.title, provider: provider.name, cni: 'flannel-host-gw', passed: false, steps: [result], durationMs: 1 };
      }
      emit({ type: 'command-start', step: i, phase: 'run', display: step.run[0]!.display, where: 'controlplane' });
      for (let k = 0; k < r.outputLines; k++) emit({ type: 'output', step: i, stream: 'stdout', line: `out ${k + 1}` });
      const pass = !r.failing.has(i);
      // hoplab ran the solution: what passes is shown, not the learner's.
      const checks = step.checks.map((c): CheckResult => (c.kind === 'hops' ? { ...hopsCheck(pass), id: c.id, title: c.title, outcome: pass ? 'shown' : 'failed' } : { id: c.id, kind: c.kind, title: c.title, passed: pass, outcome: pass ? 'shown' : 'failed', summary: pass ? '"veth1" is right' : 'wrong' }));
      for (const c of checks) emit({ type: 'check', step: i, result: c });
      const result: StepResult = { index: i, id: step.id, title: step.title, passed: pass, outcome: pass ? 'shown' : 'failed', commands: [], checks, durationMs: 5 };
      emit({ type: 'step-end', step: i, result });
      return { lab: lab.id, title: lab.title, provider: provider.name, cni: 'flannel-host-gw', passed: pass, steps: [result], durationMs: 5 };
    },
    async checkStep(lab, i, _provider, answers, opts) {
      r.checks.push({ step: i, answers });
      const step = lab.steps[i]!;
      const out = step.checks.map((c): CheckResult =>
        c.kind === 'answer'
          ? { id: c.id, kind: 'answer', title: c.title, passed: answers[c.id] === 'veth1', outcome: answers[c.id] === 'veth1' ? 'passed' : 'failed', summary: `${JSON.stringify(answers[c.id])} ${answers[c.id] === 'veth1' ? 'is right' : 'is not the answer'}`, answer: { question: c.question, given: answers[c.id] ?? '' } }
          : { ...hopsCheck(!r.failing.has(i)), id: c.id, title: c.title },
      );
      for (const c of out) opts.onEvent?.({ type: 'check', step: i, result: c });
      return out;
    },
  };
  return r;
}

export function fakeDeps(provider: FakeProvider, runner: FakeRunner, extra: Partial<UiDeps> = {}) {
  let saved: ProgressFile = emptyProgress();
  const shells: SpawnSpec[] = [];
  const deps: UiDeps = {
    provider,
    loadCatalog: async (): Promise<Catalog> => ({ labs: [miniLab()], errors: [] }),
    progress: { load: async () => ({ progress: saved }), save: async (p) => void (saved = p) },
    runLab: runner.runLab,
    checkStep: runner.checkStep,
    resetStep: async (_lab, step, _p, opts) => {
      runner.resets.push(step);
      opts.onEvent({ type: 'command-start', step, phase: 'reset', display: 'kubectl delete pod httpd --ignore-not-found', where: 'kubectl' });
      return [{ display: 'kubectl delete pod httpd', where: 'kubectl', exitCode: 0, ok: true, stdout: '', stderr: '', durationMs: 1, waits: [] }];
    },
    resetLab: async (lab) => {
      runner.labResets.push(lab.id);
      return [];
    },
    missing: async () => ({ missing: [] }),
    handover: async (spec) => {
      shells.push(spec);
      return { exitCode: 0, transcript: '[root@node-1 /]# ip link\n3: veth1@if2: <BROADCAST>' };
    },
    output: new OutputStore(500, 5),
    now: () => Date.now(),
    ...extra,
  };
  return { deps, shells, saved: () => saved, setSaved: (p: ProgressFile) => void (saved = p) };
}

export function harness(deps: UiDeps) {
  const store = createStore(appReducer, initialApp(deps.provider.name, deps.provider.lab, deps.lang));
  const controller = createController(store, deps);
  return { store, controller };
}
