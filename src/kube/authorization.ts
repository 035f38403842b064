// SelfSubjectAccessReview: "may I do this?" — what `kubectl auth can-i` and
// tools that check their permissions before acting (the kubeconfig provider)
// ask — and SelfSubjectRulesReview, "what may I do?" (`auth can-i --list`). The lab has one user, its kubeconfig's token, who may do everything,
// so every well-formed question is answered yes. Nothing is stored: the
// apiserver computes the answer and returns it with 201 Created.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from './runtime.js';
import type { ResourceDef } from './resources.js';
import { decodeObject, PROTOBUF_CONTENT_TYPE, type PbSchema } from './protobuf.js';
import { contentTypeOf, readBody, readJson, sendJson } from './http-util.js';
import { badRequest, invalid, invalidValue, methodNotAllowed } from './status.js';

const GROUP = 'authorization.k8s.io';

const S = (name: string) => ({ name, type: 'string' as const });
const SELECTOR: PbSchema = { 1: S('rawSelector') };

/** k8s.io/api/authorization/v1 generated.proto, the fields kubectl sends. */
export const SELF_SUBJECT_ACCESS_REVIEW: PbSchema = {
  2: {
    name: 'spec',
    type: {
      1: {
        name: 'resourceAttributes',
        type: {
          1: S('namespace'),
          2: S('verb'),
          3: S('group'),
          4: S('version'),
          5: S('resource'),
          6: S('subresource'),
          7: S('name'),
          8: { name: 'fieldSelector', type: SELECTOR },
          9: { name: 'labelSelector', type: SELECTOR },
        },
      },
      2: { name: 'nonResourceAttributes', type: { 1: S('path'), 2: S('verb') } },
    },
  },
};

export const ALLOWED_REASON = "the embedded lab's only user, holder of its kubeconfig's token, may do everything";

/** The apiserver's answer to a review: its spec back, with the status filled in. Throws 422 on a malformed question. */
export function reviewAccess(obj: KubeObject): KubeObject {
  const spec = obj.spec ?? {};
  const hasResource = spec.resourceAttributes !== undefined && spec.resourceAttributes !== null;
  const hasNonResource = spec.nonResourceAttributes !== undefined && spec.nonResourceAttributes !== null;
  if (hasResource === hasNonResource) {
    throw invalid('SelfSubjectAccessReview', '', [
      invalidValue(
        hasResource ? 'spec.nonResourceAttributes' : 'spec.resourceAttributes',
        hasResource ? spec.nonResourceAttributes : spec.resourceAttributes ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ], GROUP);
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: `${GROUP}/v1`,
    metadata: { ...(obj.metadata ?? {}), creationTimestamp: null },
    spec,
    status: { allowed: true, reason: ALLOWED_REASON },
  };
}

export const selfSubjectAccessReviews: ResourceDef = {
  group: GROUP,
  version: 'v1',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  verbs: ['create'],
  protobuf: SELF_SUBJECT_ACCESS_REVIEW,
};

/** k8s.io/api/authorization/v1 SelfSubjectRulesReview: its spec is the namespace asked about. */
export const SELF_SUBJECT_RULES_REVIEW: PbSchema = { 2: { name: 'spec', type: { 1: S('namespace') } } };

/** Every verb on every resource and every non-resource URL, as for cluster-admin. */
export function reviewRules(obj: KubeObject): KubeObject {
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: `${GROUP}/v1`,
    metadata: { ...(obj.metadata ?? {}), creationTimestamp: null },
    spec: obj.spec ?? {},
    status: {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    },
  };
}

export const selfSubjectRulesReviews: ResourceDef = {
  ...selfSubjectAccessReviews,
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  kind: 'SelfSubjectRulesReview',
  protobuf: SELF_SUBJECT_RULES_REVIEW,
};

/** POST /apis/authorization.k8s.io/v1/selfsubject{access,rules}reviews (JSON or protobuf body). */
export async function handleAccessReview(def: ResourceDef, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw methodNotAllowed();
  const body = contentTypeOf(req) === PROTOBUF_CONTENT_TYPE ? decodeObject(await readBody(req), def.protobuf!) : await readJson(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
  if (body.kind && body.kind !== def.kind) {
    throw badRequest(`${body.kind} in version "${body.apiVersion ?? ''}" cannot be handled as a ${def.kind}: the object provided is unrecognized`);
  }
  sendJson(res, 201, def === selfSubjectRulesReviews ? reviewRules(body) : reviewAccess(body));
}
