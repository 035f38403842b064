// Catch-up's pure parts: what kubectl lines create and name, each step's
// needs derived from the lab (and the explicit `needs`), the load-time errors,
// the plan for a target, the commands that only look, and the commands a
// plan step keeps. Then catch-up itself over a recording provider.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { join } from 'node:path';
import { catchUp, catchUpCommands, catchUpSteps, onlyLooks } from '../../src/labs/catch-up.js';
import { labErrors, labFrom } from '../helpers/labs.js';
import type { Lab, LabCommand } from '../../src/labs/model.js';
import { catchUpPlan, kubectlCreates, kubectlNeeds, wantedFrom } from '../../src/labs/needs.js';
import type { RunEvent } from '../../src/labs/results.js';
import { fakeCluster } from '../fixtures/labs/fake-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');

const lab = labFrom;
// As `hoplab labs --check` and every lab file: names no earlier step creates are errors.
const errorsOf = (text: string) => labErrors(text, 'labs/demo.yaml', { checkNeeds: true });

function shipped(id: string): Lab {
  return labFrom(readFileSync(join(ROOT, 'labs', `${id}.yaml`), 'utf8'), `labs/${id}.yaml`);
}

const DEMO = `id: demo
title: Demo
summary: A demo lab.
cni: any
minutes: 5
steps:
  - id: pods
    title: Pods
    text: Start httpd and a traceroute pod.
    reset:
      - kubectl: delete pod httpd trace --ignore-not-found
    run:
      - kubectl: run httpd --image=httpd
        wait: { pod: httpd, phase: Running }
      - kubectl: get pods -o wide
      - kubectl: run trace --image=busybox --restart=Never -- traceroute -n {{ pods.httpd.ip }}
        wait: { pod: trace, phase: Succeeded }
      - kubectl: logs trace
  - id: nodes
    title: Nodes
    text: Look at node-1.
    run:
      - on: node-1
        cmd: ip route
  - id: service
    title: A Service
    text: Put httpd behind a Service.
    run:
      - kubectl: expose pod httpd --port 80 --name front
  - id: route
    title: A route
    text: Add a route on node-2.
    run:
      - on: node-2
        cmd: ip route add 192.168.9.0/24 via 192.168.56.1
  - id: use
    title: Use them
    needs: [route]
    text: 'Reach {{ services.front.clusterIP }} and {{ pods.httpd.ip }}.'
    run:
      - in: httpd
        cmd: wget -qO- http://{{ services.front.clusterIP }}
`;

describe('what kubectl lines create and name', () => {
  it.each([
    ['run httpd --image=httpd', [{ kind: 'pod', name: 'httpd' }]],
    ["run traceroute --image=busybox --overrides='{\"spec\": {}}' -- traceroute -n 10.0.0.1", [{ kind: 'pod', name: 'traceroute' }]],
    ['create deployment web --image=nginx --replicas 3', [{ kind: 'deployment', name: 'web' }]],
    ['expose deployment web --port 80', [{ kind: 'service', name: 'web' }]],
    ['expose deployment web --name web-nodeport --type NodePort --port 80', [{ kind: 'service', name: 'web-nodeport' }]],
    ['expose pod/httpd --port 80', [{ kind: 'service', name: 'httpd' }]],
    ['create service nodeport np --tcp 80:80', [{ kind: 'service', name: 'np' }]],
    ['-n kube-system run x --image=busybox', []],
    ['get pods', []],
  ])('kubectl %s creates %j', (text, want) => {
    expect(kubectlCreates(text)).toEqual(want);
  });

  it.each([
    ['logs traceroute', [{ kind: 'pod', name: 'traceroute' }]],
    ['exec httpd -- ip addr', [{ kind: 'pod', name: 'httpd' }]],
    ['get pods/nginx', [{ kind: 'pod', name: 'nginx' }]],
    ['describe pod nginx', [{ kind: 'pod', name: 'nginx' }]],
    ['scale deployment web --replicas 2', [{ kind: 'deployment', name: 'web' }]],
    ['rollout status deployment web --timeout 120s', [{ kind: 'deployment', name: 'web' }]],
    ['get svc,endpoints web', []],
    ['get pods -l app=web -o wide', []],
    ['-n kube-system get svc kube-dns', []],
  ])('kubectl %s names %j', (text, want) => {
    expect(kubectlNeeds(text)).toEqual(want);
  });
});

describe('needs derived at load', () => {
  it('links each step to the earlier steps that create what it names, plus its explicit needs', () => {
    const l = lab(DEMO);
    expect(l.steps.map((s) => s.needs ?? [])).toEqual([
      [],
      [],
      [{ step: 0, objects: ['pod/httpd'], why: 'pod httpd' }],
      [],
      [
        { step: 0, objects: ['pod/httpd'], why: 'pod httpd' },
        { step: 2, objects: ['service/front'], why: 'service front' },
        { step: 3, objects: [], explicit: true, why: 'needs: route' },
      ],
    ]);
  });

  it('plans the closure in lab order, without the targets and steps nothing needs', () => {
    const l = lab(DEMO);
    expect(catchUpPlan(l.steps, [4])).toEqual([0, 2, 3]);
    expect(catchUpPlan(l.steps, [2])).toEqual([0]);
    expect(catchUpPlan(l.steps, [1])).toEqual([]);
    // --from service: service and what follows run; only pods is caught up.
    expect(catchUpPlan(l.steps, [2, 3, 4])).toEqual([0]);
    const want = wantedFrom(l.steps, [4]);
    expect(want.get(3)).toBe('all');
    expect([...(want.get(0) as Set<string>)]).toEqual(['pod/httpd']);
  });

  it('keeps only the commands that make what later steps need', () => {
    const l = lab(DEMO);
    const kept = catchUpCommands(l.steps[0]!.run, wantedFrom(l.steps, [4]).get(0));
    // The trace pod and the looks (get, logs) are left out; httpd and its wait stay.
    expect(kept.map((c) => c.display)).toEqual(['kubectl run httpd --image=httpd']);
    expect(catchUpCommands(l.steps[3]!.run, 'all').map((c) => c.display)).toEqual(['ip route add 192.168.9.0/24 via 192.168.56.1']);
  });

  it('keeps what a kept command of the same step names (expose needs the deployment)', () => {
    const l = shipped('pod-to-service');
    const last = l.steps.length - 1;
    const [first] = catchUpSteps(l, [last], 'netns');
    const kept = catchUpCommands(l.steps[first!]!.run, wantedFrom(l.steps, [last]).get(first!));
    expect(kept.map((c) => c.display.split(' ').slice(0, 3).join(' '))).toEqual(['kubectl create deployment', 'kubectl rollout status']);
  });

  it('derives the shipped labs: the last step of pod-to-pod needs same-node (httpd), office-lan chains its routes', () => {
    const p2p = shipped('pod-to-pod');
    expect(catchUpSteps(p2p, [3], 'netns').map((i) => p2p.steps[i]!.id)).toEqual(['same-node']);
    const office = shipped('office-lan');
    const wrong = office.steps.findIndex((s) => s.id === 'the-wrong-node');
    expect(catchUpSteps(office, [wrong], 'netns').map((i) => office.steps[i]!.id)).toEqual(['a-pod-to-reach', 'out-of-reach', 'route-on-the-gateway', 'the-way-back']);
  });

  it('rejects a name no earlier step creates, and needs that are not earlier steps, at their positions', () => {
    const bad = DEMO.replace("text: 'Reach {{ services.front.clusterIP }}", "text: 'Reach {{ services.back.clusterIP }}").replace('needs: [route]', 'needs: [use, nope]');
    expect(errorsOf(bad)).toEqual([
      "labs/demo.yaml:38:13: steps[4].needs[0]: step 'use' is this step: needs names earlier steps (pods, nodes, service, route)",
      "labs/demo.yaml:38:18: steps[4].needs[1]: no step 'nope' in this lab (steps: pods, nodes, service, route, use)",
      "labs/demo.yaml:39:11: steps[4].text: {{ services.back.clusterIP }}: no step up to here creates service 'back' (kubectl expose ... --name back), so nothing can catch a learner up to this step",
    ]);
    const later = DEMO.replace('expose pod httpd --port 80 --name front', 'get pods').replace('needs: [route]', 'needs: [route]\n    checks: [{ kind: hops, from: pod/ghost, to: pod/httpd, observe: { on: node-1, cmd: traceroute } }]');
    expect(errorsOf(later).join('\n')).toMatch(/steps\[4\]\.checks\[0\]\.from: pod\/ghost: no step up to here creates pod 'ghost'/);
  });

  it('every shipped lab loads with its needs', () => {
    for (const id of ['pod-to-pod', 'flannel-vxlan', 'calico', 'pod-to-service', 'office-lan']) expect(shipped(id).steps.length).toBeGreaterThan(0);
  });
});

describe('commands that only look', () => {
  const c = (where: LabCommand['where'], text: string, wait = false): LabCommand => ({ where, text, display: text, wait: wait ? [{ kind: 'pod-gone', pod: 'x', timeoutSec: 1 }] : [], timeoutSec: 1, mayFail: false, at: 'x' });
  const k = (text: string) => c({ kind: 'kubectl' }, text);
  const n = (text: string) => c({ kind: 'node', name: 'node-1' }, text);
  it.each([
    [k('get pods -o wide'), true],
    [k('-n kube-system get svc'), true],
    [k('logs traceroute'), true],
    [k('exec httpd -- ip route'), true],
    [k('exec httpd -- sh -c "echo x > /tmp/y"'), false],
    [k('run httpd --image=httpd'), false],
    [k('rollout status deployment web'), false],
    [n('ip route'), true],
    [n('ip -4 -o addr show dev eth1'), true],
    [n('ip route add 10.244.0.0/16 via 192.168.56.11'), false],
    [n('ip route replace 10.244.0.0/16 via 192.168.56.11'), false],
    [n('traceroute -n -w 1 -m 8 {{ pods.httpd.ip }}'), true],
    [n("iptables-save -t nat | grep -- '-A KUBE-NODEPORTS'"), true],
    [n('iptables -t nat -S FLANNEL-POSTRTG'), true],
    [n('iptables -t nat -A POSTROUTING -j MASQUERADE'), false],
    [n('conntrack -L -p icmp'), true],
    [n('conntrack -F'), false],
    [n('echo 1 > /proc/sys/net/ipv4/ip_forward'), false],
    [n('sysctl -w net.ipv4.ip_forward=1'), false],
    [c({ kind: 'node', name: 'node-1' }, 'ip route', true), false],
  ].map(([cmd, looks]) => [`${(cmd as LabCommand).where.kind}: ${(cmd as LabCommand).text}${(cmd as LabCommand).wait.length ? ' (with a wait)' : ''}`, cmd, looks] as const))('%s', (_name, cmd, looks) => {
    expect(onlyLooks(cmd as LabCommand)).toBe(looks);
  });
});

describe('catchUp over a recording provider', () => {
  it('runs the kept commands of the plan in order, with events, and stops at the first failure', async () => {
    const l = lab(DEMO);
    const ran: string[] = [];
    const cluster = fakeCluster();
    const provider = {
      ...cluster,
      async kubectl(args: string[], o: never) {
        if (args[0] !== 'get') ran.push(`kubectl ${args.join(' ')}`);
        if (args[0] === 'expose') return { exitCode: 0, stdout: 'service/front exposed', stderr: '' };
        return cluster.kubectl(args, o);
      },
      async run(_t: unknown, argv: string[]) {
        ran.push(argv.at(-1)!);
        return { exitCode: argv.at(-1)!.startsWith('ip route add') ? 2 : 0, stdout: '', stderr: argv.at(-1)!.startsWith('ip route add') ? 'RTNETLINK answers: File exists' : '' };
      },
    };
    const events: RunEvent['type'][] = [];
    const r = await catchUp(l, [4], provider as never, { onEvent: (e) => events.push(e.type), pollMs: 1 });
    expect(ran.slice(0, 3)).toEqual(['kubectl delete pod httpd trace --ignore-not-found', 'kubectl run httpd --image=httpd', 'kubectl expose pod httpd --port 80 --name front']);
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.id)).toEqual(['pods', 'service', 'route']);
    expect(r.error).toBe("step 4 'route': ip route add 192.168.9.0/24 via 192.168.56.1 exited 2: RTNETLINK answers: File exists");
    expect(events[0]).toBe('catch-up-start');
    expect(events.at(-1)).toBe('catch-up-end');
    expect(events.filter((e) => e === 'catch-up-step')).toHaveLength(3);
  });
});

describe('hoplab run --from / --step: bad input', () => {
  async function hoplab(...argv: string[]): Promise<{ code: number; err: string }> {
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    err.on('data', (d) => (text += d));
    const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), isTTY: false };
    const code = await main(argv, io);
    return { code, err: text };
  }

  it('names the step it does not know, and refuses --from with --step', async () => {
    expect(await hoplab('run', 'pod-to-pod', '--from', '9')).toEqual({ code: 2, err: "hoplab: --from 9: lab 'pod-to-pod' has no such step\n  steps: 1 node-to-internet, 2 node-to-node, 3 same-node, 4 across-nodes\n" });
    expect(await hoplab('run', 'pod-to-pod', '--from', 'same-node', '--step', '4')).toEqual({
      code: 2,
      err: 'hoplab: --from and --step do not go together\n  --from STEP runs that step and every one after it; --step STEP runs only the steps named\n',
    });
  });
});
