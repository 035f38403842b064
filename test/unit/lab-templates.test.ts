import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../src/core/facts.js';
import { endpointProblem, parseEndpoint, resolveEndpointText } from '../../src/labs/endpoints.js';
import { answersMatch, normaliseAnswer } from '../../src/labs/answers.js';
import { shellWords } from '../../src/core/shell-words.js';
import { baseFacts } from '../fixtures/labs/fake-cluster.js';
import { escapeRegExp, findTemplates, renderTemplates, resolveTemplates, TemplateError } from '../../src/labs/templates.js';

export const FACTS: ClusterFacts = {
  ...baseFacts(),
  pods: [
    { name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3', phase: 'Running', hostVeth: 'veth1a2b3c4d' },
    { name: 'pending', namespace: 'default', node: 'node-2', ip: '', phase: 'Pending' },
  ],
  hosts: [{ name: 'registry', role: 'registry', interfaces: [{ name: 'inet0', address: '203.0.113.100', prefixLength: 24 }] }],
  services: [],
};

describe('templates', () => {
  it('resolves every kind of key from the facts', () => {
    const t = '{{ pods.httpd.ip }} {{pods.httpd.node}} {{ pods.httpd.hostVeth }} {{ nodes.node-1.eth1 }} {{ nodes.node-1.internalIP }} {{ nodes.node-2.podCIDR }} {{ nodes.node-2.gateway }} {{ nodes.controlplane.defaultRoute }} {{ hosts.registry.inet0 }}';
    expect(resolveTemplates(t, FACTS)).toBe('10.244.1.3 node-1 veth1a2b3c4d 192.168.56.11 192.168.56.11 10.244.2.0/24 10.244.2.1 10.0.2.2 203.0.113.100');
  });

  it('{{ lab.namespace }} is the namespace the lab runs in: default unless the provider says otherwise', () => {
    expect(resolveTemplates('web.{{ lab.namespace }}.svc', FACTS)).toBe('web.default.svc');
    const kc: ClusterFacts = {
      ...FACTS,
      provider: 'kubeconfig',
      namespace: 'hoplab-ada',
      pods: [...FACTS.pods, { name: 'httpd', namespace: 'hoplab-ada', node: 'node-2', ip: '10.244.2.9', phase: 'Running' }],
    };
    expect(resolveTemplates('{{lab.namespace}}/web', kc)).toBe('hoplab-ada/web');
    // A name in both namespaces: the lab's own comes first.
    expect(resolveTemplates('{{ pods.httpd.ip }}', kc)).toBe('10.244.2.9');
    expect(findTemplates('{{ lab.namepsace }} {{ lab.Namespace }} {{ lab }}').errors).toEqual([
      "{{ lab.namepsace }}: unknown lab field 'namepsace', expected namespace",
      "{{ lab.Namespace }}: unknown lab field 'Namespace', expected namespace (did you mean namespace?)",
      "{{ lab }}: unknown lab field '', expected namespace",
    ]);
  });

  it('names what is missing at run time', () => {
    const err = (t: string) => {
      try {
        resolveTemplates(t, FACTS);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err('{{ pods.nginx.ip }}')).toBe("{{ pods.nginx.ip }}: there is no pod 'nginx' in the cluster (pods: httpd, pending); an earlier step creates it");
    expect(err('{{ pods.pending.ip }}')).toBe("{{ pods.pending.ip }}: pod 'pending' has no IP yet (phase Pending)");
    expect(err('{{ nodes.node-1.flannel.1 }}')).toBe("{{ nodes.node-1.flannel.1 }}: node 'node-1' has no interface 'flannel.1' with an address (it has eth0, eth1, cni0)");
    expect(err('{{ nodes.node-9.eth1 }}')).toBe("{{ nodes.node-9.eth1 }}: there is no node 'node-9' (nodes: controlplane, node-1, node-2)");
    expect(err('{{ pods.pending.hostVeth }}')).toBe("{{ pods.pending.hostVeth }}: the netns provider does not report the host-side veth of pod 'pending'");
  });

  it('finds templates and reports malformed ones, but leaves JSON braces alone', () => {
    expect(findTemplates(`--overrides='{"spec": {"nodeSelector": {"a": "b"}}}'`)).toEqual({ refs: [], errors: [] });
    const r = findTemplates('{{ nodes.node-1.flannel.1 }} and {{ pods.a.b.ip }}');
    expect(r.refs.map((x) => [x.root, x.name, x.field, x.kind])).toEqual([
      ['nodes', 'node-1', 'flannel.1', 'address'],
      ['pods', 'a.b', 'ip', 'address'],
    ]);
    expect(findTemplates('{{ nodes.node-1 }}').errors).toEqual(['{{ nodes.node-1 }}: expected nodes.NAME.FIELD with a name like node-1']);
  });

  it('renders what it can for display, placeholders for the rest', () => {
    // What is not there yet shows as a placeholder, never as the raw template.
    expect(renderTemplates('{{ pods.httpd.ip }} / {{ pods.nope.ip }}', FACTS)).toBe('10.244.1.3 / NOPE-IP');
    expect(renderTemplates('{{ pods.httpd.ip }}', undefined)).toBe('HTTPD-IP');
  });

  it('escapes values for regular expressions', () => {
    const re = new RegExp(resolveTemplates('^default via {{ nodes.node-1.defaultRoute }} dev', FACTS, escapeRegExp));
    expect(re.test('default via 10.0.2.2 dev eth0')).toBe(true);
    expect(re.test('default via 10x0x2x2 dev eth0')).toBe(false);
  });
});

describe('endpoints', () => {
  it('parses every form', () => {
    expect(parseEndpoint('pod/httpd')).toEqual({ kind: 'pod', name: 'httpd' });
    expect(parseEndpoint('pod/kube-system/coredns')).toEqual({ kind: 'pod', name: 'coredns', namespace: 'kube-system' });
    expect(parseEndpoint('node/node-1')).toEqual({ kind: 'node', name: 'node-1' });
    expect(parseEndpoint('host/registry')).toEqual({ kind: 'host', name: 'registry' });
    expect(parseEndpoint('10.244.1.3')).toEqual({ kind: 'address', ip: '10.244.1.3' });
    expect(parseEndpoint('httpd')).toBeUndefined();
    expect(parseEndpoint('10.244.1.300')).toBeUndefined();
  });

  it('accepts an address template and resolves it', () => {
    expect(endpointProblem('{{ pods.httpd.ip }}')).toBeUndefined();
    expect(endpointProblem('x{{ pods.httpd.ip }}')).toMatch(/^expected a pod, node or host/);
    expect(resolveEndpointText('{{ pods.httpd.ip }}', FACTS)).toEqual({ kind: 'address', ip: '10.244.1.3' });
  });
});

describe('answers', () => {
  it('compares leniently but not loosely', () => {
    expect(normaliseAnswer('  "Node-1". ')).toBe('node-1');
    expect(answersMatch('veth1a2b3c4d@if2', 'veth1a2b3c4d')).toBe(true);
    expect(answersMatch('10.244.2.1/24', '10.244.2.1')).toBe(true);
    expect(answersMatch('10.0.2.2', '10.0.2.2')).toBe(true);
    expect(answersMatch('10.0.2.3', '10.0.2.2')).toBe(false);
    expect(answersMatch('node-2', 'node-1')).toBe(false);
    expect(answersMatch('', 'node-1')).toBe(false);
  });
});

describe('shell words', () => {
  it('splits kubectl arguments as sh would', () => {
    expect(shellWords(`run httpd --image=httpd --overrides='{"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-1"}}}' -- traceroute -n 10.244.1.3`)).toEqual([
      'run', 'httpd', '--image=httpd', '--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-1"}}}', '--', 'traceroute', '-n', '10.244.1.3',
    ]);
    expect(shellWords(`a "b \\"c\\" d" e\\ f ''`)).toEqual(['a', 'b "c" d', 'e f', '']);
    expect(() => shellWords(`a 'b`)).toThrow(/unterminated/);
  });
});
