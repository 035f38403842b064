// URL paths of the Kubernetes API, parsed into what they address:
// discovery documents, a collection, an object or an object's subresource.
import type { Registry, ResourceDef } from './resources.js';

export type Route =
  | { kind: 'version' }
  /** GET /: the paths the server answers (what cluster-info's control plane link shows). */
  | { kind: 'root' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  /** rest: the path below the version (a group-version for v3), '' for the version itself. */
  | { kind: 'openapi'; version: string; rest: string }
  | {
      kind: 'resource';
      def: ResourceDef;
      /** '' for cluster-scoped resources and for lists across all namespaces. */
      namespace: string;
      name?: string;
      subresource?: string;
      /** Addressed through the legacy /watch/ prefix. */
      watchPrefix: boolean;
    }
  | { kind: 'notFound' };

function resourceRoute(registry: Registry, group: string, version: string, rest: string[]): Route {
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const def = registry.find(group, version, rest[2]!);
    if (def?.namespaced) {
      // …/{name}/proxy/{path}: the path belongs to the pod.
      if (rest.length > 5 && rest[4] !== 'proxy') return { kind: 'notFound' };
      return { kind: 'resource', def, namespace: rest[1]!, name: rest[3], subresource: rest[4], watchPrefix };
    }
  }
  const def = registry.find(group, version, rest[0] ?? '');
  if (!def || rest.length > 3) return { kind: 'notFound' };
  // A namespaced kind without a namespace: only the all-namespaces collection exists.
  if (def.namespaced && rest.length > 1) return { kind: 'notFound' };
  return { kind: 'resource', def, namespace: '', name: rest[1], subresource: rest[2], watchPrefix };
}

export function parseRoute(registry: Registry, pathname: string): Route {
  const segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = segs;
  if (segs.length === 0) return { kind: 'root' };
  if (a === 'version' && segs.length === 1) return { kind: 'version' };
  if ((a === 'healthz' || a === 'livez' || a === 'readyz') && segs.length <= 2) return { kind: 'health' };
  if (a === 'openapi' && segs.length >= 2) return { kind: 'openapi', version: b!, rest: segs.slice(2).join('/') };
  if (a === 'api') {
    if (segs.length === 1) return { kind: 'api' };
    if (b !== 'v1') return { kind: 'notFound' };
    if (segs.length === 2) return { kind: 'resourceList', group: '', version: 'v1' };
    return resourceRoute(registry, '', 'v1', segs.slice(2));
  }
  if (a === 'apis') {
    if (segs.length === 1) return { kind: 'apis' };
    const known = registry.groups().find((g) => g.group === b);
    if (!known) return { kind: 'notFound' };
    if (segs.length === 2) return { kind: 'group', group: b! };
    if (!known.versions.includes(c!)) return { kind: 'notFound' };
    if (segs.length === 3) return { kind: 'resourceList', group: b!, version: c! };
    return resourceRoute(registry, b!, c!, segs.slice(3));
  }
  return { kind: 'notFound' };
}
