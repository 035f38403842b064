import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { labKubeconfigText } from '../../src/providers/kubeconfig/lab-kubeconfig.js';
import { checkImage, checkNamespaceName, defaultNamespace, parseNodesFlag, userKubeconfigFiles } from '../../src/providers/kubeconfig/options.js';

describe('options', () => {
  it('--nodes: names in order; empty, invalid and repeated names are refused naming the flag', () => {
    expect(parseNodesFlag('kind-control-plane, kind-worker,kind-worker2')).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);
    expect(() => parseNodesFlag('a,,b')).toThrow(/--nodes 'a,,b': expected node names separated by commas/);
    expect(() => parseNodesFlag('Node_1')).toThrow(/--nodes: 'Node_1' is not a node name/);
    expect(() => parseNodesFlag('a,b,a')).toThrow(/--nodes: 'a' is given twice/);
  });

  it('namespace and image checks', () => {
    expect(checkNamespaceName('hoplab-ada')).toBe('hoplab-ada');
    expect(() => checkNamespaceName('Hoplab')).toThrow(/--namespace 'Hoplab': expected a namespace name/);
    expect(() => checkNamespaceName('a'.repeat(64))).toThrow(/at most 63/);
    expect(checkImage('registry.example.com:5000/tools/netshoot@sha256:abc')).toBe('registry.example.com:5000/tools/netshoot@sha256:abc');
    expect(() => checkImage('bad image')).toThrow(/--debug-image 'bad image'/);
  });

  it('the default namespace: hoplab-<user>, with the lab name beside the default lab, always a valid name', () => {
    expect(defaultNamespace('lab', { USER: 'ada' })).toBe('hoplab-ada');
    expect(defaultNamespace('ws1', { USER: 'ada' })).toBe('hoplab-ada-ws1');
    expect(defaultNamespace('lab', { USER: 'Ada.Lovelace@EXAMPLE' })).toBe('hoplab-ada-lovelace-example');
    expect(defaultNamespace('lab', { USER: '___' })).toBe('hoplab-user');
    const long = defaultNamespace('abcdefghijkl', { USER: 'x'.repeat(80) });
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^hoplab-x+-abcdefghijkl$/);
  });

  it('kubeconfig files: --kubeconfig, else $KUBECONFIG (a list), else ~/.kube/config; missing ones are said', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplab-kc-'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, '');
    writeFileSync(b, '');
    expect(userKubeconfigFiles(undefined, { KUBECONFIG: `${a}:${join(dir, 'missing')}:${b}` })).toEqual([a, b]);
    expect(userKubeconfigFiles(b, { KUBECONFIG: a })).toEqual([b]);
    expect(() => userKubeconfigFiles(undefined, { HOME: dir })).toThrow(new RegExp(`no kubeconfig: ~/.kube/config names ${dir}/.kube/config, which does not exist`));
    expect(() => userKubeconfigFiles(join(dir, 'nope'), {})).toThrow(/no kubeconfig: --kubeconfig names/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("the lab's kubeconfig", () => {
  it("kind's context, renamed for the lab, with the lab namespace; credentials as kubectl flattened them", () => {
    const minified = JSON.parse(readFileSync(new URL('../fixtures/kubeconfig/kind-kubeconfig-minified.json', import.meta.url), 'utf8'));
    const out = labKubeconfigText(minified, 'hoplab-ws1', 'hoplab-ada-ws1');
    expect(out.context).toBe('kind-kind');
    expect(out.server).toBe('https://127.0.0.1:43693');
    const cfg = yaml.load(out.text) as any;
    expect(cfg['current-context']).toBe('hoplab-ws1');
    expect(cfg.contexts).toEqual([{ name: 'hoplab-ws1', context: { cluster: 'kind-kind', user: 'kind-kind', namespace: 'hoplab-ada-ws1' } }]);
    expect(cfg.users).toEqual(minified.users);
    expect(cfg.clusters).toEqual(minified.clusters);
  });

  it('refuses a listing that is not one context', () => {
    expect(() => labKubeconfigText({ contexts: [] }, 'x', 'y')).toThrow(/returned 0 contexts, expected 1/);
  });
});
