// Discovery documents: /version, the legacy /api and /apis lists with one
// APIResourceList per group version, and the aggregated apidiscovery.k8s.io
// form newer kubectl asks for first. All derived from the resource table.
import type { Registry, ResourceDef } from './resources.js';

export const DEFAULT_GIT_VERSION = 'v1.31.0';

export function versionInfo(gitVersion: string): Record<string, string> {
  const m = gitVersion.match(/^v(\d+)\.(\d+)/);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '31',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T07:28:49Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function apiGroupList(registry: Registry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: groupVersion(group, v), version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: vs, preferredVersion: vs[0] };
}

export function apiResourceList(registry: Registry, group: string, version: string): Record<string, unknown> | undefined {
  const defs = registry.defs.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const d of defs) {
    resources.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
      ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
      ...(d.categories?.length ? { categories: d.categories } : {}),
    });
    for (const s of d.subresources ?? []) {
      resources.push({
        name: `${d.plural}/${s.name}`,
        singularName: '',
        namespaced: d.namespaced,
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

function resourceDiscovery(d: ResourceDef): Record<string, unknown> {
  return {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs,
    ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
    ...(d.categories?.length ? { categories: d.categories } : {}),
    ...(d.subresources?.length
      ? {
          subresources: d.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? d.group, version: s.version ?? d.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** APIGroupDiscoveryList for /api (legacy: the core group only) or /apis (every named group). */
export function aggregatedDiscovery(registry: Registry, legacy: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items = registry
    .groups()
    .filter((g) => (legacy ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: { ...(g.group ? { name: g.group } : {}), creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.defs.filter((d) => d.group === g.group && d.version === v).map(resourceDiscovery),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
