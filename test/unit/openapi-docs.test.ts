import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { buildOpenApiDocs, refClosure, schemaToV3, type SwaggerSource } from '../../src/kube/openapi-docs.js';
import { encodeGnostic, gnosticDocument } from '../../src/kube/openapi-gnostic.js';
import { createRegistry } from '../../src/kube/resources.js';
import { CORE_RESOURCES } from '../../src/kube/core-resources.js';

import { OPENAPI_SOURCE_DIR } from '../../src/kube/openapi.js';

// gnostic's OpenAPIv2.proto as scripts/fetch-k8s-openapi.sh leaves it.
const PROTO = [join(OPENAPI_SOURCE_DIR, 'OpenAPIv2.proto')].find((p) => existsSync(p)) ?? '';
if (!PROTO) console.warn(`skipping the protobuf round trip: no ${join(OPENAPI_SOURCE_DIR, 'OpenAPIv2.proto')} (run scripts/fetch-k8s-openapi.sh)`);
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const gvk = (group: string, version: string, kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group, version, kind }] });
// A small document shaped like Kubernetes' swagger.json.
const source: SwaggerSource = {
  definitions: {
    'io.k8s.api.core.v1.Pod': {
      description: 'Pod is a collection of containers.',
      properties: {
        metadata: { $ref: `#/definitions/${META}.ObjectMeta`, description: "Standard object's metadata." },
        spec: { $ref: '#/definitions/io.k8s.api.core.v1.PodSpec' },
      },
      type: 'object',
      ...gvk('', 'v1', 'Pod'),
    },
    'io.k8s.api.core.v1.PodList': { properties: { items: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } } }, ...gvk('', 'v1', 'PodList') },
    'io.k8s.api.core.v1.PodSpec': { properties: { containers: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' }, 'x-kubernetes-patch-merge-key': 'name' } }, required: ['containers'] },
    'io.k8s.api.core.v1.Container': { properties: { name: { type: 'string' }, env: { type: 'object', additionalProperties: { type: 'string' } } } },
    'io.k8s.api.batch.v1.Job': { properties: { spec: { $ref: '#/definitions/io.k8s.api.batch.v1.JobSpec' } }, ...gvk('batch', 'v1', 'Job') },
    'io.k8s.api.batch.v1.JobSpec': { properties: {} },
    [`${META}.ObjectMeta`]: { properties: { name: { type: 'string' } } },
    [`${META}.Status`]: { properties: { message: { type: 'string' } }, ...gvk('', 'v1', 'Status') },
    [`${META}.Patch`]: { type: 'object' },
  },
  securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
  security: [{ BearerToken: [] }],
};
const pods = CORE_RESOURCES.find((d) => d.kind === 'Pod')!;
const registry = createRegistry([pods, { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true, verbs: ['get', 'list'] }]);

describe('OpenAPI documents from Kubernetes\' swagger.json', () => {
  const docs = buildOpenApiDocs(source, registry, 'v1.31.0');

  it('keeps the served kinds and what they reference, drops the rest', () => {
    expect(Object.keys(docs.v2.definitions).sort()).toEqual(
      ['io.k8s.api.core.v1.Container', 'io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.PodList', 'io.k8s.api.core.v1.PodSpec', `${META}.ObjectMeta`, `${META}.Status`].sort(),
    );
    expect(refClosure(source.definitions, ['io.k8s.api.batch.v1.Job'])).toEqual(new Set(['io.k8s.api.batch.v1.Job', 'io.k8s.api.batch.v1.JobSpec']));
    expect(docs.missing).toEqual(['EndpointSlice (discovery.k8s.io/v1)']);
    expect(docs.v2.info).toEqual({ title: 'Kubernetes', version: 'v1.31.0' });
  });

  it('writes paths for what the server answers, PATCH taking dryRun and fieldValidation', () => {
    const item = docs.v2.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(item.patch.operationId).toBe('patchCoreV1NamespacedPod');
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(item.patch.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['body', 'dryRun', 'fieldValidation']));
    expect(docs.v2.paths['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(docs.v2.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].patch.operationId).toBe('patchCoreV1NamespacedPodStatus');
    expect(Object.keys(docs.v2.paths).some((p) => p.includes('endpointslices'))).toBe(false);
  });

  it('makes one v3 document per group-version with components and allOf-wrapped references', () => {
    expect([...docs.v3.keys()]).toEqual(['api/v1']);
    const v1 = docs.v3.get('api/v1')!;
    expect(v1.openapi).toBe('3.0.0');
    const pod = v1.components.schemas['io.k8s.api.core.v1.Pod'];
    expect(pod.properties.metadata).toEqual({ allOf: [{ $ref: `#/components/schemas/${META}.ObjectMeta` }], description: "Standard object's metadata." });
    expect(pod.properties.spec).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' });
    const patch = v1.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch.parameters.find((p: any) => p.name === 'fieldValidation')).toMatchObject({ in: 'query', schema: { type: 'string' } });
    expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    expect(schemaToV3({ enum: [{ $ref: 'not a schema' }] })).toEqual({ enum: [{ $ref: 'not a schema' }] });
  });
});

describe('the v2 document in gnostic protobuf', () => {
  const docs = buildOpenApiDocs(source, registry, 'v1.31.0');

  it('maps JSON as gnostic does: named lists, TypeItem, ItemsItem, vendor extensions as YAML', () => {
    const g = gnosticDocument(docs.v2);
    const spec = g.definitions.additional_properties.find((d: any) => d.name === 'io.k8s.api.core.v1.PodSpec').value;
    const containers = spec.properties.additional_properties[0];
    expect(containers.name).toBe('containers');
    expect(containers.value.type).toEqual({ value: ['array'] });
    expect(containers.value.items).toEqual({ schema: [{ _ref: '#/definitions/io.k8s.api.core.v1.Container' }] });
    expect(containers.value.vendor_extension).toEqual([{ name: 'x-kubernetes-patch-merge-key', value: { yaml: 'name\n' } }]);
    expect(spec.required).toEqual(['containers']);
  });

  it.skipIf(!PROTO)('encodes with gnostic\'s proto and decodes back to the same document', () => {
    const proto = readFileSync(PROTO, 'utf8');
    const bytes = encodeGnostic(docs.v2, proto);
    const root = new protobuf.Root();
    root.addJSON(protobuf.common.get('google/protobuf/any.proto')!.nested!);
    protobuf.parse(proto, root, { keepCase: true });
    const back = root.lookupType('openapi.v2.Document').toObject(root.lookupType('openapi.v2.Document').decode(bytes)) as any;
    expect(back.swagger).toBe('2.0');
    const pod = back.definitions.additional_properties.find((d: any) => d.name === 'io.k8s.api.core.v1.Pod').value;
    expect(pod.vendor_extension[0]).toEqual({ name: 'x-kubernetes-group-version-kind', value: { yaml: "- group: ''\n  version: v1\n  kind: Pod\n" } });
    const patchOp = back.paths.path.find((p: any) => p.name === '/api/v1/namespaces/{namespace}/pods/{name}').value.patch;
    const names = patchOp.parameters.map((p: any) => p.parameter.non_body_parameter?.query_parameter_sub_schema?.name).filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(['dryRun', 'fieldValidation']));
  });
});
