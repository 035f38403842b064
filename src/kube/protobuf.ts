// Request bodies in the apiserver's protobuf encoding, which kubectl >= 1.32
// uses for the kinds it builds with typed clients (`kubectl create namespace`,
// `create serviceaccount`, ...). A body is "k8s\0" + runtime.Unknown{typeMeta,
// raw}; raw is decoded with a field table per kind (from the generated.proto
// files) into the same JSON the client would have sent, zero values dropped
// as JSON's omitempty drops them.
import { badRequest } from './status.js';
import { rfc3339 } from './meta.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

export type PbType = 'string' | 'bool' | 'int' | 'bytes' | 'time' | 'stringMap' | 'bytesMap' | PbSchema;

export interface PbField {
  name: string;
  type: PbType;
  repeated?: boolean;
  /** A pointer field in Go: an explicit zero is a value, not an absence. */
  keepZero?: boolean;
}

export type PbSchema = { [fieldNumber: number]: PbField };

interface Reader {
  buf: Buffer;
  pos: number;
}

function varint(r: Reader): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (r.pos >= r.buf.length) throw badRequest('protobuf: truncated varint');
    const b = r.buf[r.pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return result;
    shift += 7n;
    if (shift > 63n) throw badRequest('protobuf: varint too long');
  }
}

function lengthDelimited(r: Reader): Buffer {
  const len = Number(varint(r));
  if (r.pos + len > r.buf.length) throw badRequest('protobuf: truncated field');
  const out = r.buf.subarray(r.pos, r.pos + len);
  r.pos += len;
  return out;
}

function skip(r: Reader, wireType: number): void {
  switch (wireType) {
    case 0:
      varint(r);
      return;
    case 1:
      r.pos += 8;
      return;
    case 2:
      lengthDelimited(r);
      return;
    case 5:
      r.pos += 4;
      return;
    default:
      throw badRequest(`protobuf: unsupported wire type ${wireType}`);
  }
}

/** Raw fields of one message: field number -> list of values (varints as bigint, the rest as bytes). */
function fields(buf: Buffer): Map<number, (bigint | Buffer)[]> {
  const r: Reader = { buf, pos: 0 };
  const out = new Map<number, (bigint | Buffer)[]>();
  while (r.pos < buf.length) {
    const key = Number(varint(r));
    const num = key >>> 3;
    const wt = key & 7;
    let v: bigint | Buffer;
    if (wt === 0) v = varint(r);
    else if (wt === 2) v = lengthDelimited(r);
    else {
      skip(r, wt);
      continue;
    }
    const list = out.get(num) ?? [];
    list.push(v);
    out.set(num, list);
  }
  return out;
}

const TIME: PbSchema = { 1: { name: 'seconds', type: 'int' }, 2: { name: 'nanos', type: 'int' } };

function decodeValue(v: bigint | Buffer, type: PbType): unknown {
  if (type === 'string') return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
  if (type === 'bytes') return Buffer.isBuffer(v) ? v.toString('base64') : undefined;
  if (type === 'bool') return typeof v === 'bigint' ? v !== 0n : undefined;
  if (type === 'int') {
    if (typeof v !== 'bigint') return undefined;
    return Number(BigInt.asIntN(64, v));
  }
  if (!Buffer.isBuffer(v)) return undefined;
  if (type === 'time') {
    const t = decodeMessage(v, TIME);
    return t.seconds ? rfc3339(new Date(Number(t.seconds) * 1000)) : undefined;
  }
  if (type === 'stringMap' || type === 'bytesMap') {
    // map<string, bytes> (a Secret's data) is base64 in JSON, as []byte is.
    const entry = decodeMessage(v, { 1: { name: 'k', type: 'string', keepZero: true }, 2: { name: 'v', type: type === 'bytesMap' ? 'bytes' : 'string', keepZero: true } });
    return [entry.k ?? '', entry.v ?? ''];
  }
  return decodeMessage(v, type);
}

function isZero(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0);
}

export function decodeMessage(buf: Buffer, schema: PbSchema): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [num, values] of fields(buf)) {
    const f = schema[num];
    if (!f) continue; // a field this table does not know: dropped
    if (f.type === 'stringMap' || f.type === 'bytesMap') {
      const map: Record<string, string> = {};
      for (const v of values) {
        const [k, val] = decodeValue(v, f.type) as [string, string];
        map[k] = val;
      }
      if (Object.keys(map).length) out[f.name] = map;
      continue;
    }
    if (f.repeated) {
      // Packed repeated varints arrive as one length-delimited field.
      const decoded =
        (f.type === 'int' || f.type === 'bool') && values.length === 1 && Buffer.isBuffer(values[0])
          ? [...fields(Buffer.concat([Buffer.from([0x08]), values[0]])).values()].flat().map((x) => decodeValue(x, f.type))
          : values.map((v) => decodeValue(v, f.type));
      const list = decoded.filter((x) => x !== undefined);
      if (list.length) out[f.name] = list;
      continue;
    }
    const value = decodeValue(values[values.length - 1]!, f.type);
    if (value === undefined) continue;
    if (!f.keepZero && isZero(value)) continue;
    out[f.name] = value;
  }
  return out;
}

/** Unwraps the "k8s\0" runtime.Unknown envelope. */
export function decodeEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('protobuf: the body lacks the "k8s\\0" prefix');
  const unknown = fields(body.subarray(4));
  const typeMeta = unknown.get(1)?.[0];
  const raw = unknown.get(2)?.[0];
  const tm = Buffer.isBuffer(typeMeta) ? decodeMessage(typeMeta, { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } }) : {};
  return { apiVersion: tm.apiVersion ?? '', kind: tm.kind ?? '', raw: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0) };
}

/** A protobuf request body as the JSON object it encodes. */
export function decodeObject(body: Buffer, schema: PbSchema): Record<string, any> {
  const { apiVersion, kind, raw } = decodeEnvelope(body);
  return { apiVersion, kind, ...decodeMessage(raw, schema) };
}

// --- field tables (k8s.io/api and apimachinery generated.proto) ------------

const S = (name: string, extra: Partial<PbField> = {}): PbField => ({ name, type: 'string', ...extra });

export const OWNER_REFERENCE: PbSchema = {
  1: S('kind'),
  3: S('name'),
  4: S('uid'),
  5: S('apiVersion'),
  6: { name: 'controller', type: 'bool', keepZero: true },
  7: { name: 'blockOwnerDeletion', type: 'bool', keepZero: true },
};

export const OBJECT_META: PbSchema = {
  1: S('name'),
  2: S('generateName'),
  3: S('namespace'),
  4: S('selfLink'),
  5: S('uid'),
  6: S('resourceVersion'),
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int', keepZero: true },
  11: { name: 'labels', type: 'stringMap' },
  12: { name: 'annotations', type: 'stringMap' },
  13: { name: 'ownerReferences', type: OWNER_REFERENCE, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

export const OBJECT_REFERENCE: PbSchema = {
  1: S('kind'),
  2: S('namespace'),
  3: S('name'),
  4: S('uid'),
  5: S('apiVersion'),
  6: S('resourceVersion'),
  7: S('fieldPath'),
};

export const NAMESPACE: PbSchema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  3: { name: 'status', type: { 1: S('phase') } },
};

export const SERVICE_ACCOUNT: PbSchema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'secrets', type: OBJECT_REFERENCE, repeated: true },
  3: { name: 'imagePullSecrets', type: { 1: S('name') }, repeated: true },
  4: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
};

export const CONFIG_MAP: PbSchema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'data', type: 'stringMap' },
  3: { name: 'binaryData', type: 'bytesMap' },
  4: { name: 'immutable', type: 'bool', keepZero: true },
};

export const SECRET: PbSchema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'data', type: 'bytesMap' },
  3: S('type'),
  4: { name: 'stringData', type: 'stringMap' },
  5: { name: 'immutable', type: 'bool', keepZero: true },
};

export const DELETE_OPTIONS: PbSchema = {
  1: { name: 'gracePeriodSeconds', type: 'int', keepZero: true },
  2: { name: 'preconditions', type: { 1: S('uid'), 2: S('resourceVersion') } },
  4: S('propagationPolicy'),
  5: { name: 'dryRun', type: 'string', repeated: true },
};
