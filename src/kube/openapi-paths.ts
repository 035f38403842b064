// The paths of this API's OpenAPI document, written from the registry for
// what the server answers (swagger 2.0 form, as Kubernetes writes them): each
// operation names its kind (x-kubernetes-group-version-kind) and its query
// parameters. kubectl looks there for a kind's PATCH taking dryRun (kubectl
// 1.20 refuses --dry-run=server otherwise) and fieldValidation (kubectl >= 1.27
// then leaves validation to the server, as with a real one).
import type { ResourceDef } from './resources.js';
type Json = Record<string, any>;

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function camel(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The group's word in operation ids: core, apps, networking (of networking.k8s.io). */
function groupWord(group: string): string {
  return camel(group === '' ? 'core' : group.split('.')[0]!);
}

const FIELD_VALIDATION =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.';
const query = (name: string, description: string, type = 'string') => ({ in: 'query', name, description, type, uniqueItems: true });
const WRITE_PARAMS = [
  query('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  query('fieldValidation', FIELD_VALIDATION),
];
const LIST_PARAMS = [
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  query('continue', 'The continue option should be set when retrieving more results from the server.'),
  query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
];
const PATH_NAME = (kind: string) => ({ in: 'path', name: 'name', description: `name of the ${kind}`, required: true, type: 'string', uniqueItems: true });
const PATH_NAMESPACE = { in: 'path', name: 'namespace', description: 'object name and auth scope, such as for teams and projects', required: true, type: 'string', uniqueItems: true };
const body = (ref: string) => ({ in: 'body', name: 'body', required: true, schema: { $ref: `#/definitions/${ref}` } });
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

interface OpSpec {
  action: string;
  verb: string;
  id: string;
  gvk: Gvk;
  response: string;
  params: Json[];
  consumes?: string[];
}

function operation(o: OpSpec, def: ResourceDef): Json {
  return {
    description: `${o.action} ${o.gvk.kind}`,
    operationId: o.id,
    ...(o.consumes ? { consumes: o.consumes } : {}),
    produces: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
    parameters: o.params,
    responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${o.response}` } }, '401': { description: 'Unauthorized' } },
    schemes: ['https'],
    tags: [`${def.group === '' ? 'core' : def.group.split('.')[0]}_${def.version}`],
    'x-kubernetes-action': o.verb,
    'x-kubernetes-group-version-kind': o.gvk,
  };
}

/** The paths this server answers for one kind, in swagger 2.0 form, with the definitions they name. */
export function kindPaths(def: ResourceDef, byGvk: Map<string, string>): Record<string, Json> {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const kindDef = byGvk.get(`${def.group}/${def.version}/${def.kind}`);
  if (!kindDef) return {};
  const listDef = byGvk.get(`${def.group}/${def.version}/${def.kind}List`) ?? kindDef;
  const status = `${META}.Status`;
  const base = def.group ? `/apis/${def.group}/${def.version}` : '/api/v1';
  const nsPart = def.namespaced ? '/namespaces/{namespace}' : '';
  const ns = def.namespaced ? 'Namespaced' : '';
  const id = (verb: string, extra = '') => `${verb}${groupWord(def.group)}${camel(def.version)}${extra || ns}${def.kind}`;
  const can = (v: string) => def.verbs.includes(v);
  const scope = def.namespaced ? [PATH_NAMESPACE] : [];
  const out: Record<string, Json> = {};

  const collection: Json = { parameters: scope };
  if (can('list')) collection.get = operation({ action: 'list or watch objects of kind', verb: 'list', id: id('list'), gvk, response: listDef, params: LIST_PARAMS }, def);
  if (can('create')) collection.post = operation({ action: 'create a', verb: 'post', id: id('create'), gvk, response: kindDef, params: [body(kindDef), ...WRITE_PARAMS] }, def);
  if (can('deletecollection')) collection.delete = operation({ action: 'delete collection of', verb: 'deletecollection', id: id('delete', `Collection${ns}`), gvk, response: status, params: [...WRITE_PARAMS.slice(0, 1), ...LIST_PARAMS.slice(0, 2)] }, def);
  out[`${base}${nsPart}/${def.plural}`] = collection;
  if (def.namespaced && can('list')) {
    out[`${base}/${def.plural}`] = { get: operation({ action: 'list or watch objects of kind', verb: 'list', id: `list${groupWord(def.group)}${camel(def.version)}${def.kind}ForAllNamespaces`, gvk, response: listDef, params: LIST_PARAMS }, def) };
  }
  const item: Json = { parameters: [PATH_NAME(def.kind), ...scope] };
  if (can('get')) item.get = operation({ action: 'read the specified', verb: 'get', id: id('read'), gvk, response: kindDef, params: [] }, def);
  if (can('update')) item.put = operation({ action: 'replace the specified', verb: 'put', id: id('replace'), gvk, response: kindDef, params: [body(kindDef), ...WRITE_PARAMS] }, def);
  if (can('patch')) {
    item.patch = operation(
      { action: 'partially update the specified', verb: 'patch', id: id('patch'), gvk, response: kindDef, params: [body(`${META}.Patch`), ...WRITE_PARAMS, query('force', 'Force is going to "force" Apply requests.', 'boolean')], consumes: PATCH_TYPES },
      def,
    );
  }
  if (can('delete')) item.delete = operation({ action: 'delete a', verb: 'delete', id: id('delete'), gvk, response: status, params: [WRITE_PARAMS[0]!, query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer')] }, def);
  out[`${base}${nsPart}/${def.plural}/{name}`] = item;

  for (const sub of def.subresources ?? []) {
    if (sub.name !== 'status' && sub.name !== 'scale') continue;
    const subGvk = { group: sub.group ?? def.group, version: sub.version ?? def.version, kind: sub.kind };
    const subDef = byGvk.get(`${subGvk.group}/${subGvk.version}/${subGvk.kind}`);
    if (!subDef) continue;
    const suffix = camel(sub.name);
    const p: Json = { parameters: [PATH_NAME(sub.kind), ...scope] };
    p.get = operation({ action: `read ${sub.name} of the specified`, verb: 'get', id: id('read') + suffix, gvk: subGvk, response: subDef, params: [] }, def);
    p.put = operation({ action: `replace ${sub.name} of the specified`, verb: 'put', id: id('replace') + suffix, gvk: subGvk, response: subDef, params: [body(subDef), ...WRITE_PARAMS] }, def);
    p.patch = operation({ action: `partially update ${sub.name} of the specified`, verb: 'patch', id: id('patch') + suffix, gvk: subGvk, response: subDef, params: [body(`${META}.Patch`), ...WRITE_PARAMS], consumes: PATCH_TYPES }, def);
    out[`${base}${nsPart}/${def.plural}/{name}/${sub.name}`] = p;
  }
  return out;
}
