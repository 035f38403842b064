import { describe, expect, it } from 'vitest';
import { negotiateDiscovery, negotiateObject } from '../../src/kube/http-util.js';
import { aggregatedDiscovery, apiResourceList, apiGroupList } from '../../src/kube/discovery.js';
import { createRegistry, type ResourceDef } from '../../src/kube/resources.js';
import { CORE_RESOURCES } from '../../src/kube/core-resources.js';
import { parseRoute } from '../../src/kube/routes.js';
import { negotiateOpenApi, openApiV2Protobuf } from '../../src/kube/openapi.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGG_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

const deployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  namespaced: true,
  verbs: ['get', 'list'],
  shortNames: ['deploy'],
  categories: ['all'],
};
const registry = createRegistry([...CORE_RESOURCES, deployments]);

describe('content negotiation', () => {
  it('serves a Table when kubectl get asks for one, plain JSON otherwise', () => {
    expect(negotiateObject(TABLE_ACCEPT)).toEqual({ as: 'Table', version: 'v1' });
    expect(negotiateObject('application/json, */*')).toEqual({ as: 'object' });
    expect(negotiateObject(undefined)).toEqual({ as: 'object' });
    expect(negotiateObject('application/vnd.kubernetes.protobuf,application/json')).toEqual({ as: 'object' });
    expect(() => negotiateObject('application/vnd.kubernetes.protobuf')).toThrow(/only the following media types/);
  });

  it('recognises the aggregated discovery Accept of kubectl >= 1.26', () => {
    expect(negotiateDiscovery(AGG_ACCEPT)).toBe('v2');
    expect(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json')).toBe('v2beta1');
    expect(negotiateDiscovery('application/json, */*')).toBeUndefined();
  });

  it('answers the OpenAPI v2 request in protobuf: swagger "2.0" and info', () => {
    expect(negotiateOpenApi('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenApi('application/json')).toBe('json');
    // field 1 "2.0"; field 2 { field 1 "Kubernetes", field 2 "v1.31.0" }
    expect(openApiV2Protobuf('v1.31.0').toString('hex')).toBe(
      `0a03${Buffer.from('2.0').toString('hex')}1215` + `0a0a${Buffer.from('Kubernetes').toString('hex')}1207${Buffer.from('v1.31.0').toString('hex')}`,
    );
  });
});

describe('discovery documents', () => {
  it('lists core resources with verbs, short names, categories and subresources', () => {
    const list = apiResourceList(registry, '', 'v1') as any;
    const podsEntry = list.resources.find((r: any) => r.name === 'pods');
    expect(podsEntry).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect(list.resources.find((r: any) => r.name === 'pods/exec')).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    expect(list.resources.find((r: any) => r.name === 'pods/log')).toBeTruthy();
    expect(list.groupVersion).toBe('v1');
  });

  it('builds /apis and the aggregated documents from the same table', () => {
    // NetworkPolicies come with the core kinds (stored, not enforced).
    expect((apiGroupList(registry) as any).groups).toEqual([
      { kind: 'APIGroup', apiVersion: 'v1', name: 'networking.k8s.io', versions: [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'networking.k8s.io/v1', version: 'v1' } },
      { kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
    ]);
    const core = aggregatedDiscovery(registry, true, 'v2') as any;
    expect(core.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(core.items).toHaveLength(1);
    const podRes = core.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
    expect(podRes).toMatchObject({ scope: 'Namespaced', singularResource: 'pod', responseKind: { group: '', version: 'v1', kind: 'Pod' } });
    expect(podRes.subresources.map((s: any) => s.subresource)).toEqual(['attach', 'exec', 'log', 'portforward', 'proxy', 'status']);
    const groups = aggregatedDiscovery(registry, false, 'v2beta1') as any;
    expect(groups.items.map((i: any) => i.metadata.name)).toEqual(['networking.k8s.io', 'apps']);
  });
});

describe('routes', () => {
  it('parses collection, object, subresource and watch paths', () => {
    const r = (p: string) => {
      const x = parseRoute(registry, p) as any;
      return x.kind === 'resource' ? [x.def.plural, x.namespace, x.name, x.subresource, x.watchPrefix] : x.kind;
    };
    expect(r('/api/v1/pods')).toEqual(['pods', '', undefined, undefined, false]);
    expect(r('/api/v1/namespaces/default/pods/x/log')).toEqual(['pods', 'default', 'x', 'log', false]);
    expect(r('/api/v1/namespaces/default')).toEqual(['namespaces', '', 'default', undefined, false]);
    expect(r('/api/v1/namespaces/default/status')).toEqual(['namespaces', '', 'default', 'status', false]);
    expect(r('/api/v1/watch/namespaces/default/pods')).toEqual(['pods', 'default', undefined, undefined, true]);
    expect(r('/api/v1/nodes/node-1')).toEqual(['nodes', '', 'node-1', undefined, false]);
    expect(r('/apis/apps/v1/namespaces/x/deployments')).toEqual(['deployments', 'x', undefined, undefined, false]);
    expect(r('/api/v1/pods/x')).toBe('notFound');
    expect(r('/api/v1/foos')).toBe('notFound');
    expect(r('/apis/nope/v1')).toBe('notFound');
    expect(r('/version')).toBe('version');
    expect(r('/api')).toBe('api');
  });
});
