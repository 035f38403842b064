// The swagger 2.0 document in the protobuf form kubectl asks for
// (application/com.github.proto-openapi.spec.v2@v1.0+protobuf): gnostic's
// openapi.v2.Document, encoded with gnostic's own OpenAPIv2.proto (fetched
// beside the document). The mapping from JSON is gnostic's: named maps become
// lists of Named* pairs, `type` a TypeItem, `items` an ItemsItem, vendor
// extensions and other free values an Any holding their YAML, which is what
// kubectl parses them from.
import yaml from 'js-yaml';
import protobuf from 'protobufjs';
import type { Json } from './openapi-docs.js';

const anyOf = (v: unknown) => ({ yaml: yaml.dump(v, { lineWidth: -1, noRefs: true }) });

function extensions(o: Json): Json[] {
  return Object.entries(o)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, v]) => ({ name, value: anyOf(v) }));
}

function schema(s: Json): Json {
  const out: Json = {};
  if (s.$ref) out._ref = s.$ref;
  for (const k of ['format', 'title', 'description', 'pattern', 'discriminator'] as const) if (s[k] !== undefined) out[k] = s[k];
  for (const [k, p] of [['maxLength', 'max_length'], ['minLength', 'min_length'], ['maxItems', 'max_items'], ['minItems', 'min_items'], ['maximum', 'maximum'], ['minimum', 'minimum']] as const) {
    if (s[k] !== undefined) out[p] = s[k];
  }
  if (s.uniqueItems) out.unique_items = true;
  if (s.readOnly) out.read_only = true;
  if (s.required) out.required = s.required;
  if (s.default !== undefined) out.default = anyOf(s.default);
  if (s.enum) out.enum = (s.enum as unknown[]).map(anyOf);
  if (s.type !== undefined) out.type = { value: Array.isArray(s.type) ? s.type : [s.type] };
  if (s.items) out.items = { schema: (Array.isArray(s.items) ? s.items : [s.items]).map(schema) };
  if (s.allOf) out.all_of = (s.allOf as Json[]).map(schema);
  if (s.properties) out.properties = { additional_properties: Object.entries(s.properties as Record<string, Json>).map(([name, v]) => ({ name, value: schema(v) })) };
  if (s.additionalProperties !== undefined) {
    out.additional_properties = typeof s.additionalProperties === 'boolean' ? { boolean: s.additionalProperties } : { schema: schema(s.additionalProperties) };
  }
  const ext = extensions(s);
  if (ext.length) out.vendor_extension = ext;
  return out;
}

function parameter(p: Json): Json {
  if (p.$ref) return { json_reference: { _ref: p.$ref } };
  if (p.in === 'body') {
    return { parameter: { body_parameter: { name: p.name, in: p.in, description: p.description, required: p.required === true, schema: schema(p.schema ?? {}) } } };
  }
  const sub: Json = { name: p.name, in: p.in, description: p.description, required: p.required === true, type: p.type };
  if (p.uniqueItems) sub.unique_items = true;
  const kind = { query: 'query_parameter_sub_schema', path: 'path_parameter_sub_schema', header: 'header_parameter_sub_schema', formData: 'form_data_parameter_sub_schema' }[p.in as string];
  return { parameter: { non_body_parameter: { [kind ?? 'query_parameter_sub_schema']: sub } } };
}

function operation(op: Json): Json {
  return {
    tags: op.tags,
    description: op.description,
    operation_id: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    schemes: op.schemes,
    parameters: ((op.parameters ?? []) as Json[]).map(parameter),
    responses: {
      response_code: Object.entries((op.responses ?? {}) as Record<string, Json>).map(([name, r]) => ({
        name,
        value: { response: { description: r.description ?? '', ...(r.schema ? { schema: { schema: schema(r.schema) } } : {}) } },
      })),
    },
    vendor_extension: extensions(op),
  };
}

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** The gnostic message of a swagger 2.0 document, as protobufjs takes it (field names as in the .proto). */
export function gnosticDocument(doc: Json): Json {
  const paths = Object.entries((doc.paths ?? {}) as Record<string, Json>).map(([name, item]) => {
    const value: Json = { parameters: ((item.parameters ?? []) as Json[]).map(parameter) };
    for (const v of VERBS) if (item[v]) value[v] = operation(item[v]);
    return { name, value };
  });
  const out: Json = {
    swagger: doc.swagger,
    info: { title: doc.info?.title ?? '', version: doc.info?.version ?? '' },
    paths: { path: paths },
    definitions: { additional_properties: Object.entries((doc.definitions ?? {}) as Record<string, Json>).map(([name, s]) => ({ name, value: schema(s) })) },
  };
  if (doc.securityDefinitions) {
    out.security_definitions = {
      additional_properties: Object.entries(doc.securityDefinitions as Record<string, Json>)
        .filter(([, d]) => d.type === 'apiKey')
        .map(([name, d]) => ({ name, value: { api_key_security: { type: d.type, name: d.name, in: d.in, description: d.description ?? '' } } })),
    };
  }
  if (doc.security) {
    out.security = (doc.security as Json[]).map((req) => ({
      additional_properties: Object.entries(req).map(([name, scopes]) => ({ name, value: { value: scopes } })),
    }));
  }
  return out;
}

/** Encodes `doc` with the openapi.v2.Document of `protoSource` (gnostic's OpenAPIv2.proto). */
export function encodeGnostic(doc: Json, protoSource: string): Buffer {
  const root = new protobuf.Root();
  // OpenAPIv2.proto imports google/protobuf/any.proto, which protobufjs carries.
  root.addJSON(protobuf.common.get('google/protobuf/any.proto')!.nested!);
  protobuf.parse(protoSource, root, { keepCase: true });
  const Document = root.lookupType('openapi.v2.Document');
  return Buffer.from(Document.encode(Document.fromObject(gnosticDocument(doc))).finish());
}
