import { describe, expect, it } from 'vitest';
import { ALLOWED_REASON, reviewAccess } from '../../src/kube/authorization.js';
import { ApiError } from '../../src/kube/status.js';

describe('SelfSubjectAccessReview in the embedded lab', () => {
  it('answers a resource question with allowed, and the question back', () => {
    const spec = { resourceAttributes: { namespace: 'hoplab-ada', verb: 'create', resource: 'pods', subresource: 'exec' } };
    expect(reviewAccess({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec })).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed: true, reason: ALLOWED_REASON },
    });
  });

  it('answers a non-resource question too', () => {
    expect(reviewAccess({ spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } }).status.allowed).toBe(true);
  });

  it('refuses a question with neither or both kinds of attributes, as the apiserver does (422)', () => {
    for (const spec of [{}, { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/', verb: 'get' } }]) {
      try {
        reviewAccess({ spec });
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).code).toBe(422);
        expect((err as ApiError).message).toMatch(/^SelfSubjectAccessReview\.authorization\.k8s\.io "" is invalid: spec\.\w+Attributes: Invalid value: .*exactly one of nonResourceAttributes or resourceAttributes must be specified$/);
      }
    }
  });
});
