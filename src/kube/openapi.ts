// /openapi/v2: a valid OpenAPI document that describes no schemas. kubectl
// downloads it before `apply -f`/`create -f` to validate client-side; with no
// definition for a kind it skips that validation (the server still validates
// what it stores). kubectl asks for the gnostic protobuf form, so the
// document is written as protobuf: Document{swagger=1, info=2{title=1, version=2}}.
import { parseAccept } from './http-util.js';

/** What kubectl asks for (Accept) and, with '.' for the invalid '@', what the apiserver answers (Content-Type). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function field(num: number, bytes: Buffer): Buffer {
  const len: number[] = [];
  let n = bytes.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([(num << 3) | 2, ...len]), bytes]);
}

export function openApiV2Protobuf(gitVersion: string): Buffer {
  const info = Buffer.concat([field(1, Buffer.from('Kubernetes')), field(2, Buffer.from(gitVersion))]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}

export function openApiV2Json(gitVersion: string): Record<string, unknown> {
  return { swagger: '2.0', info: { title: 'Kubernetes', version: gitVersion }, paths: {}, definitions: {} };
}

/** The representation the client asked for first: 'protobuf', 'json', or undefined if neither. */
export function negotiateOpenApi(accept: string | undefined): 'protobuf' | 'json' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.type === OPENAPI_V2_PROTOBUF || m.type === 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf') return 'protobuf';
    if (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') return 'json';
  }
  return undefined;
}
