import { describe, expect, it } from 'vitest';
import { translateKubectlArgs, translateOverrides } from '../../src/providers/kubeconfig/translate.js';

const ctx = { roles: { controlplane: 'kind-control-plane', 'node-1': 'kind-worker', 'node-2': 'kind-worker2' }, namespace: 'hoplab-ada' };
const t = (...args: string[]) => translateKubectlArgs(args, ctx);

describe('kubectl lines from labs, on a real cluster', () => {
  it("the seed's nodeSelector override names the real node; the container's command after -- is untouched", () => {
    const args = [
      'run',
      'traceroute',
      '--image=busybox',
      '--restart=Never',
      `--overrides={"spec": {"nodeSelector": {"kubernetes.io/hostname": "node-2"}}}`,
      '--',
      'traceroute',
      '-n',
      'node-1',
    ];
    const out = t(...args);
    expect(JSON.parse(out[4]!.slice('--overrides='.length))).toEqual({ spec: { nodeSelector: { 'kubernetes.io/hostname': 'kind-worker2' } } });
    expect(out.slice(5)).toEqual(['--', 'traceroute', '-n', 'node-1']);
    expect(out.slice(0, 4)).toEqual(args.slice(0, 4));
  });

  it('--overrides as a separate argument, nodeName and node affinity', () => {
    const override = JSON.stringify({
      spec: {
        nodeName: 'controlplane',
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1', 'node-2', 'elsewhere'] }] },
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
              ],
            },
          },
        },
      },
    });
    const spec = JSON.parse(t('run', 'x', '--overrides', override)[3]!).spec;
    expect(spec.nodeName).toBe('kind-control-plane');
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([
      'kind-worker',
      'kind-worker2',
      'elsewhere',
    ]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].values).toEqual(['kind-worker']);
  });

  it('an override that is not JSON is left for kubectl to refuse', () => {
    expect(translateOverrides('{"spec": ', ctx)).toBe('{"spec": ');
  });

  it("the namespace 'default' is the lab's own, however it is written; others stay", () => {
    expect(t('get', 'pods', '-n', 'default')).toEqual(['get', 'pods', '-n', 'hoplab-ada']);
    expect(t('get', 'pods', '--namespace=default')).toEqual(['get', 'pods', '--namespace=hoplab-ada']);
    expect(t('get', 'pods', '--namespace', 'default')).toEqual(['get', 'pods', '--namespace', 'hoplab-ada']);
    expect(t('get', 'pods', '-ndefault')).toEqual(['get', 'pods', '-nhoplab-ada']);
    expect(t('get', 'pods', '-n', 'kube-system')).toEqual(['get', 'pods', '-n', 'kube-system']);
    expect(t('logs', 'traceroute')).toEqual(['logs', 'traceroute']);
  });

  it('nodes named as resources, in field and label selectors', () => {
    expect(t('describe', 'node', 'node-1')).toEqual(['describe', 'node', 'kind-worker']);
    expect(t('get', 'nodes', 'controlplane', 'node-2', '-o', 'wide')).toEqual(['get', 'nodes', 'kind-control-plane', 'kind-worker2', '-o', 'wide']);
    expect(t('debug', 'node/node-2', '-it', '--image=busybox')).toEqual(['debug', 'node/kind-worker2', '-it', '--image=busybox']);
    expect(t('get', 'pods', '--field-selector', 'spec.nodeName=node-1,status.phase=Running')).toEqual([
      'get',
      'pods',
      '--field-selector',
      'spec.nodeName=kind-worker,status.phase=Running',
    ]);
    expect(t('get', 'pods', '-l', 'kubernetes.io/hostname!=node-2')).toEqual(['get', 'pods', '-l', 'kubernetes.io/hostname!=kind-worker2']);
    // A pod that happens to be called like a role is a pod.
    expect(t('get', 'pod', 'node-1')).toEqual(['get', 'pod', 'node-1']);
  });
});
