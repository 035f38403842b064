import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/labs/load.js';
import { formatLabError, type Lab } from '../../src/labs/model.js';
import { formatPath, parseYaml } from '../../src/labs/yaml-positions.js';

// A small valid lab; each malformed case below changes one thing in it.
const BASE = `id: demo
title: Demo
summary: A demo lab.
cni: any
minutes: 5
steps:
  - id: one
    title: One
    text: Some text.
    run:
      - id: trace
        on: node-1
        cmd: traceroute -n {{ nodes.node-2.eth1 }}
    checks:
      - kind: hops
        from: node/node-1
        to: node/node-2
        observe: { ref: trace }
`;

function edit(find: string, replace: string): string {
  if (!BASE.includes(find)) throw new Error(`BASE has no ${find}`);
  return BASE.replace(find, replace);
}

function errorsOf(text: string): string[] {
  const r = parseLab(text, 'labs/demo.yaml', { checkFileName: true });
  return r.ok ? [] : r.errors.map(formatLabError);
}

const ENDPOINTS = 'a pod, node or host like pod/httpd, node/node-1, host/registry, or an IPv4 address';
const MODES = 'flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp';

const MALFORMED: [string, string, string[]][] = [
  ['unknown fault', edit('    text: Some text.', '    text: Some text.\n    fault: { name: route-misisng }'), ["labs/demo.yaml:10:20: steps[0].fault.name: no fault 'route-misisng' (did you mean route-missing?)"]],
  [
    'fault of one mode in a step for every mode',
    edit('    text: Some text.', '    text: Some text.\n    fault: { name: route-missing, node: node-2 }'),
    ["labs/demo.yaml:10:20: steps[0].fault.name: fault 'route-missing' applies to flannel-host-gw, not to flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp, which the step runs on (give the step cni: [...] to narrow it)"],
  ],
  [
    'step mode the lab does not claim',
    edit('cni: any', 'cni: [flannel-vxlan]').replace('    text: Some text.', '    text: Some text.\n    cni: [flannel-host-gw]'),
    ["labs/demo.yaml:10:11: steps[0].cni[0]: the lab's cni does not claim flannel-host-gw (it claims flannel-vxlan)"],
  ],
  ['YAML syntax error', edit('title: Demo', 'title: [Demo'), ['labs/demo.yaml:3:1: YAML syntax: missed comma between flow collection entries']],
  ['unknown top-level key', edit('minutes: 5', 'minutes: 5\ntilte: x'), ['labs/demo.yaml:6:1: tilte: unknown key (expected one of id, title, summary, cni, order, minutes, cluster, steps)']],
  [
    'misspelt step key',
    edit('    text: Some text.', '    txt: Some text.'),
    ['labs/demo.yaml:7:5: steps[0].text: missing (expected the step text as Markdown)', 'labs/demo.yaml:9:5: steps[0].txt: unknown key (did you mean text?)'],
  ],
  ['wrong type', edit('minutes: 5', 'minutes: five'), ['labs/demo.yaml:5:10: minutes: expected the estimated minutes, got "five"']],
  ['missing field', edit('    title: One\n', ''), ['labs/demo.yaml:7:5: steps[0].title: missing (expected a one-line title)']],
  ['endpoint of the wrong type', edit('from: node/node-1', 'from: 42'), [`labs/demo.yaml:16:15: steps[0].checks[0].from: expected ${ENDPOINTS}, got 42`]],
  ['endpoint with a bad prefix', edit('from: node/node-1', 'from: pods/httpd'), [`labs/demo.yaml:16:15: steps[0].checks[0].from: expected ${ENDPOINTS}, got "pods/httpd"`]],
  [
    'template with a misspelt field',
    edit('{{ nodes.node-2.eth1 }}', '{{ nodes.node-2.internalIp }}'),
    ["labs/demo.yaml:13:14: steps[0].run[0].cmd: {{ nodes.node-2.internalIp }}: unknown node field 'internalIp', expected internalIP, podCIDR, gateway, defaultRoute or an interface name like eth1 (did you mean internalIP?)"],
  ],
  [
    'template with an unknown root',
    edit('{{ nodes.node-2.eth1 }}', '{{ pod.httpd.ip }}'),
    ['labs/demo.yaml:13:14: steps[0].run[0].cmd: {{ pod.httpd.ip }}: expected pods.NAME.FIELD, nodes.NAME.FIELD, hosts.NAME.INTERFACE, services.NAME.FIELD or lab.namespace (did you mean pods?)'],
  ],
  [
    'template with an unknown pod field',
    edit('{{ nodes.node-2.eth1 }}', '{{ pods.httpd.addr }}'),
    ["labs/demo.yaml:13:14: steps[0].run[0].cmd: {{ pods.httpd.addr }}: unknown pod field 'addr', expected one of ip, node, namespace, hostVeth"],
  ],
  ['unclosed template', edit('{{ nodes.node-2.eth1 }}', '{{ nodes.node-2.eth1'), ["labs/demo.yaml:13:14: steps[0].run[0].cmd: '{{' without a closing '}}'"]],
  ['duplicate step id', `${BASE}  - id: one\n    title: Again\n    text: x\n`, ["labs/demo.yaml:19:9: steps[1].id: duplicate step id 'one'"]],
  ['unknown CNI mode in a list', edit('cni: any', 'cni: [flannel-host-gw, flanel-vxlan]'), [`labs/demo.yaml:4:24: cni[1]: expected a CNI mode: one of ${MODES}, got "flanel-vxlan"`]],
  ['unknown CNI mode alone', edit('cni: any', 'cni: calico'), [`labs/demo.yaml:4:6: cni: expected any, or a list of CNI modes from ${MODES}, got "calico"`]],
  ['ref to an undefined command', edit('{ ref: trace }', '{ ref: trace-2 }'), ["labs/demo.yaml:18:25: steps[0].checks[0].observe.ref: no command with id 'trace-2' in this lab (ids: trace)"]],
  ['unknown check kind', edit('kind: hops', 'kind: hop'), ['labs/demo.yaml:15:15: steps[0].checks[0].kind: expected one of hops, succeeds, fails, output, answer, route, reach, got "hop"']],
  ['check without a kind', edit('      - kind: hops\n        from', '      - from'), ['labs/demo.yaml:15:9: steps[0].checks[0].kind: missing (expected kind: one of hops, succeeds, fails, output, answer, route, reach)']],
  ['command with two places', edit('        on: node-1', '        on: node-1\n        kubectl: get pods'), ['labs/demo.yaml:11:9: steps[0].run[0]: expected exactly one of kubectl, on, in, got kubectl and on']],
  ['node command without cmd', edit('        cmd: traceroute -n {{ nodes.node-2.eth1 }}\n', ''), ['labs/demo.yaml:11:9: steps[0].run[0].cmd: missing (expected the shell command to run on node-1)']],
  [
    'node the cluster does not have',
    edit('cni: any', 'cni: any\ncluster: { workers: 1 }'),
    [
      "labs/demo.yaml:14:14: steps[0].run[0].cmd: {{ nodes.node-2.eth1 }}: no node 'node-2': the lab asks for 1 worker (controlplane, node-1); raise cluster.workers",
      "labs/demo.yaml:18:13: steps[0].checks[0].to: no node 'node-2': the lab asks for 1 worker (controlplane, node-1); raise cluster.workers",
    ],
  ],
  ['bad regular expression', `${BASE}      - kind: output\n        run: { kubectl: get pods }\n        matches: 'a(b'\n`, ['labs/demo.yaml:21:18: steps[0].checks[1].matches: not a valid regular expression: /a(b/m: Unterminated group']],
  [
    'answer check without a solution answer',
    `${BASE}      - kind: answer\n        id: q\n        question: What?\n        expect: x\n`,
    ["labs/demo.yaml:7:5: steps[0]: missing solution.answers.q: the answer the headless runner gives to check 'q'"],
  ],
  ['id that does not match the file', edit('id: demo', 'id: other'), ["labs/demo.yaml:1:5: id: the id 'other' must match the file name 'demo.yaml'"]],
  ['a list instead of a lab', '- a\n- b\n', ['labs/demo.yaml:1:1: expected a lab: a mapping with id, title, summary, cni, minutes and steps, got a list']],
  ['empty file', '', ['labs/demo.yaml:1:1: missing (expected a lab: a mapping with id, title, summary, cni, minutes and steps)']],
  [
    'misspelt pod phase in a wait',
    edit('        on: node-1', '        on: node-1\n        wait: { pod: x, phase: Runing }'),
    ['labs/demo.yaml:13:32: steps[0].run[0].wait.phase: expected a pod phase or a list of them: Pending, Running, Succeeded, Failed, got "Runing"'],
  ],
  [
    'hop rule with three problems',
    `${BASE}      - kind: answer\n        id: q\n        question: What?\n        expect: { hop: 0, from: pod/a, too: pod/b }\n    solution: { text: s, answers: { q: x } }\n`,
    [
      `labs/demo.yaml:22:17: steps[0].checks[1].expect.to: missing (expected ${ENDPOINTS})`,
      'labs/demo.yaml:22:24: steps[0].checks[1].expect.hop: expected a hop number from 1, got 0',
      'labs/demo.yaml:22:40: steps[0].checks[1].expect.too: unknown key (did you mean to?)',
    ],
  ],
  [
    'solution answer for no check',
    `${BASE}    solution: { text: s, answers: { nope: x } }\n`,
    ["labs/demo.yaml:19:37: steps[0].solution.answers.nope: no answer check 'nope' in this step"],
  ],
  ['duplicate command id', edit('        on: node-1\n', '        on: node-1\n        cmd: x\n      - id: trace\n        on: node-1\n'), ["labs/demo.yaml:14:13: steps[0].run[1].id: duplicate command id 'trace'"]],
  ['hop list entry that is not an address', edit('        observe: { ref: trace }', '        observe: { ref: trace }\n        expect: [10.244.2.1, node-1]'), ['labs/demo.yaml:19:30: steps[0].checks[0].expect[1]: expected a hop address, an address template like {{ nodes.node-1.eth1 }}, or *, got "node-1"']],
  ['endpoint template that is not an address', edit('to: node/node-2', "to: '{{ pods.httpd.node }}'"), [`labs/demo.yaml:17:13: steps[0].checks[0].to: {{ pods.httpd.node }} is not an address; expected ${ENDPOINTS}`]],
];

describe('lab loader: malformed files', () => {
  it.each(MALFORMED)('%s', (_name, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('accepts the base lab the cases start from', () => {
    expect(errorsOf(BASE)).toEqual([]);
  });
});

describe('lab loader: the model', () => {
  const r = parseLab(BASE, 'labs/demo.yaml');
  const lab = (r as { lab: Lab }).lab;

  it('resolves refs to the command they name and keeps where each came from', () => {
    expect(r.ok).toBe(true);
    const check = lab.steps[0]!.checks[0]!;
    expect(check.kind).toBe('hops');
    if (check.kind !== 'hops') return;
    expect(check.observe).toEqual(lab.steps[0]!.run[0]);
    expect(check.observe).toMatchObject({ id: 'trace', where: { kind: 'node', name: 'node-1' }, text: 'traceroute -n {{ nodes.node-2.eth1 }}', at: 'labs/demo.yaml:11:9' });
    expect(check).toMatchObject({ id: 'check-1', title: 'hops from node/node-1 to node/node-2', from: 'node/node-1', to: 'node/node-2', at: 'labs/demo.yaml:15:9' });
  });

  it('normalises kubectl commands, waits, pods and hosts', () => {
    const text = edit(
      '      - id: trace\n',
      [
        '      - kubectl: kubectl run x --image=busybox',
        '        wait: [{ pod: x, phase: [Running, Succeeded], timeout: 5 }, { logs: x, contains: hops }]',
        '      - { in: x, namespace: kube-system, cmd: ip addr, mayFail: true }',
        '      - { on: host/registry, cmd: ip route }',
        '      - id: trace',
        '',
      ].join('\n'),
    );
    const r2 = parseLab(text, 'demo.yaml');
    expect(r2.ok).toBe(true);
    if (!r2.ok) return;
    const [a, b, c] = r2.lab.steps[0]!.run;
    expect(a).toMatchObject({ where: { kind: 'kubectl' }, text: 'run x --image=busybox', display: 'kubectl run x --image=busybox' });
    expect(a!.wait).toEqual([
      { kind: 'pod-phase', pod: 'x', phases: ['Running', 'Succeeded'], timeoutSec: 5 },
      { kind: 'logs-contain', pod: 'x', text: 'hops', timeoutSec: 180 },
    ]);
    expect(b).toMatchObject({ where: { kind: 'pod', name: 'x', namespace: 'kube-system' }, mayFail: true, display: 'ip addr' });
    expect(c).toMatchObject({ where: { kind: 'host', name: 'registry' } });
  });

  it('YAML 1.2: `on` is a key, not a boolean', () => {
    expect(parseYaml('on: node-1\n').value).toEqual({ on: 'node-1' });
  });

  it('formats paths like the errors show them', () => {
    expect(formatPath(['steps', 2, 'checks', 0, 'from'])).toBe('steps[2].checks[0].from');
    expect(formatPath(['solution', 'answers', 'a b'])).toBe('solution.answers["a b"]');
  });
});

describe('labs/pod-to-pod.yaml', () => {
  const r = parseLab(readFileSync(new URL('../../labs/pod-to-pod.yaml', import.meta.url), 'utf8'), 'labs/pod-to-pod.yaml', { checkFileName: true });

  it('loads without errors', () => {
    expect(r.ok ? [] : r.errors.map(formatLabError)).toEqual([]);
  });

  it("covers the seed's experiments in order, for every CNI mode", () => {
    if (!r.ok) return;
    expect(r.lab.cni).toBe('any');
    expect(r.lab.steps.map((s) => s.id)).toEqual(['node-to-internet', 'node-to-node', 'same-node', 'across-nodes']);
    const hops = r.lab.steps.flatMap((s) => s.checks.filter((c) => c.kind === 'hops').map((c) => `${s.id}: ${(c as { from: string }).from} -> ${(c as { to: string }).to}`));
    expect(hops).toEqual([
      'node-to-node: node/controlplane -> node/node-1',
      'node-to-node: node/controlplane -> node/node-2',
      'same-node: pod/traceroute -> pod/httpd',
      'across-nodes: pod/traceroute -> pod/httpd',
    ]);
    // Expected hops come from the engine, never from a per-mode list in the lab.
    expect(r.lab.steps.flatMap((s) => s.checks).some((c) => c.kind === 'hops' && c.expect)).toBe(false);
    // Every answer check has an answer in the solution, so the headless run tests it.
    for (const s of r.lab.steps) for (const c of s.checks) if (c.kind === 'answer') expect(s.solution?.answers[c.id]).toBeDefined();
  });
});
