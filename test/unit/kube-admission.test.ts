import { describe, expect, it } from 'vitest';
import { preparePod, defaultPullPolicy, validatePodUpdate } from '../../src/kube/pod-admission.js';
import { ApiError, errorStatus, invalid, required } from '../../src/kube/status.js';
import { createResizeDecoder, exitStatus } from '../../src/kube/exec-session.js';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../src/kube/patch.js';

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('pod admission', () => {
  it('rejects a pod without containers with 422 and the apiserver wording', () => {
    const e = apiError(() => preparePod({ metadata: { name: 'x' }, spec: {} }, 'default'));
    expect(errorStatus(e)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Pod "x" is invalid: spec.containers: Required value',
      reason: 'Invalid',
      details: { name: 'x', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] },
      code: 422,
    });
  });

  it('brackets several causes', () => {
    const e = apiError(() => preparePod({ metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c' }] } }, 'default'));
    expect(e.message).toMatch(/^Pod "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, spec\.containers\[0\]\.image: Required value\]$/);
  });

  it('fills in the defaults and admission additions of a real pod', () => {
    const p = preparePod({ metadata: { name: 'x', labels: { run: 'x' } }, spec: { containers: [{ name: 'x', image: 'httpd' }] }, status: { phase: 'Running' } }, 'default');
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      enableServiceLinks: true,
      priority: 0,
    });
    expect(p.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(p.spec.tolerations.map((t: any) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('defaults imagePullPolicy by tag', () => {
    expect(['busybox', 'busybox:latest', 'busybox:1.36', 'reg:5000/busybox', 'reg:5000/busybox:1', 'x@sha256:ab'].map(defaultPullPolicy)).toEqual([
      'Always',
      'Always',
      'IfNotPresent',
      'Always',
      'IfNotPresent',
      'IfNotPresent',
    ]);
  });

  it('lets an update change the image but not the command', () => {
    const old = preparePod({ metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: 'a' }] } }, 'default');
    const image = structuredClone(old);
    image.spec.containers[0].image = 'b';
    expect(() => validatePodUpdate(image, old)).not.toThrow();
    const cmd = structuredClone(old);
    cmd.spec.containers[0].command = ['sh'];
    expect(apiError(() => validatePodUpdate(cmd, old)).message).toMatch(/^Pod "x" is invalid: spec: Forbidden: pod updates may not change fields/);
  });

  it('formats a single required field', () => {
    expect(invalid('Namespace', 'n', [required('metadata.name')]).message).toBe('Namespace "n" is invalid: metadata.name: Required value');
  });
});

describe('exec status', () => {
  it('reports exit codes as kubelet does', () => {
    expect(exitStatus(0, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(3, ['sh', '-c', 'exit 3'])).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('decodes terminal sizes split across chunks or batched', () => {
    const sizes: [number, number][] = [];
    const feed = createResizeDecoder((c, r) => sizes.push([c, r]));
    feed(Buffer.from('{"Width":80,"Hei'));
    feed(Buffer.from('ght":24}\n{"Width":100,"Height":30}\n'));
    expect(sizes).toEqual([
      [80, 24],
      [100, 30],
    ]);
  });
});

describe('patches', () => {
  const pod = { metadata: { name: 'x', labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'A', value: '1' }] }] } };

  it('applies a JSON merge patch (null deletes)', () => {
    expect(mergePatch(pod, { metadata: { labels: { a: null, c: '3' } } }).metadata.labels).toEqual({ b: '2', c: '3' });
  });

  it('merges named lists in a strategic merge patch and drops directives', () => {
    const out = strategicMergePatch(pod, {
      $setElementOrder: [],
      spec: { containers: [{ name: 'c', image: 'busybox:1.36', env: [{ name: 'B', value: '2' }] }] },
    });
    expect(out.spec.containers).toEqual([{ name: 'c', image: 'busybox:1.36', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }]);
    expect(out.$setElementOrder).toBeUndefined();
    expect(strategicMergePatch(pod, { spec: { containers: [{ name: 'c', $patch: 'delete' }] } }).spec.containers).toEqual([]);
  });

  it('applies RFC 6902 operations', () => {
    const out = jsonPatch(pod, [
      { op: 'add', path: '/metadata/labels/c', value: '3' },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'x' },
      { op: 'test', path: '/metadata/name', value: 'x' },
    ]);
    expect(out.metadata.labels).toEqual({ b: '2', c: '3' });
    expect(out.spec.containers[0].image).toBe('x');
    expect(apiError(() => jsonPatch(pod, [{ op: 'test', path: '/metadata/name', value: 'y' }])).code).toBe(422);
  });
});
