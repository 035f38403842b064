import { describe, expect, it } from 'vitest';
import { decodeObject, decodeMessage, NAMESPACE, OBJECT_META, SERVICE_ACCOUNT, DELETE_OPTIONS } from '../../src/kube/protobuf.js';

// Bodies kubectl 1.33 sent for `create namespace pbtest2` and `create serviceaccount pbsa` (from -v=9).
const NAMESPACE_BODY = Buffer.from(
  '6b3873000a0f0a0276311209' + Buffer.from('Namespace').toString('hex') + '121f0a170a07' + Buffer.from('pbtest2').toString('hex') + '12001a0022002a00320038004200' + '12001a020a00' + '1a002200',
  'hex',
);
const SA_BODY = Buffer.from(
  '6b3873000a140a027631120e' + Buffer.from('ServiceAccount').toString('hex') + '12160a140a04' + Buffer.from('pbsa').toString('hex') + '12001a0022002a003200380042001a002200',
  'hex',
);

function field(num: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(num << 3) | 2, payload.length]), payload]);
}
const str = (num: number, s: string) => field(num, Buffer.from(s));

describe('protobuf request bodies', () => {
  it("decodes kubectl's namespace body, dropping zero values like omitempty", () => {
    expect(decodeObject(NAMESPACE_BODY, NAMESPACE)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pbtest2' }, spec: {}, status: {} });
  });

  it("decodes kubectl's service account body", () => {
    expect(decodeObject(SA_BODY, SERVICE_ACCOUNT)).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'pbsa' } });
  });

  it('decodes labels maps, repeated strings, timestamps and varints', () => {
    const meta = Buffer.concat([
      str(1, 'x'),
      field(11, Buffer.concat([str(1, 'app'), str(2, 'web')])),
      field(11, Buffer.concat([str(1, 'tier'), str(2, '')])),
      str(14, 'a'),
      str(14, 'b'),
      Buffer.from([0x38, 0x96, 0x01]), // generation = 150
      field(8, Buffer.from([0x08, 0x80, 0xe2, 0xcf, 0xb1, 0x06])), // Time{seconds: 1714680064}
    ]);
    const out = decodeMessage(meta, OBJECT_META);
    expect(out.name).toBe('x');
    expect(out.labels).toEqual({ app: 'web', tier: '' });
    expect(out.finalizers).toEqual(['a', 'b']);
    expect(out.generation).toBe(150);
    expect(out.creationTimestamp).toBe('2024-05-02T20:01:04Z');
  });

  it('keeps an explicit zero where Go has a pointer (gracePeriodSeconds 0)', () => {
    expect(decodeMessage(Buffer.from([0x08, 0x00, 0x22, 0x0a, ...Buffer.from('Background')]), DELETE_OPTIONS)).toEqual({ gracePeriodSeconds: 0, propagationPolicy: 'Background' });
  });

  it('refuses a body without the k8s envelope', () => {
    expect(() => decodeObject(Buffer.from('{"kind":"Namespace"}'), NAMESPACE)).toThrow(/lacks the "k8s\\0" prefix/);
  });
});
