// The native spawner helper's request frames (native/hoplab-spawner.c reads them).
import { describe, expect, it } from 'vitest';
import { encodeNativeRequest } from '../../src/core/spawner-protocol.js';

const fields = (b: Buffer) => {
  expect(b.readUInt32LE(0)).toBe(b.length - 4);
  return b.subarray(4);
};

describe('native spawner requests', () => {
  it('lays out a run: kind, id, time limit, cwd, log file, env mode, argv, env, then the input as it is', () => {
    const b = fields(encodeNativeRequest({ id: 7, argv: ['ip', '-batch', '-'], env: { A: '1', B: 'x=y' }, timeoutMs: 5000, cwd: '/tmp', input: 'link set lo up\n' }));
    expect(b.toString()).toBe('run\u00007\u00005000\u0000/tmp\u0000\u00000\u00003\u0000ip\u0000-batch\u0000-\u00002\u0000A=1\u0000B=x=y\u0000link set lo up\n');
  });

  it('lays out a detached start with its log file and whole environment, and a kill', () => {
    const b = fields(encodeNativeRequest({ id: 9, argv: ['sleep', '1'], env: { PATH: '/bin' }, replaceEnv: true, logFile: '/l' }));
    expect(b.toString()).toBe('start\u00009\u00000\u0000\u0000/l\u00001\u00002\u0000sleep\u00001\u00001\u0000PATH=/bin\u0000');
    expect(fields(encodeNativeRequest({ id: 0, argv: [], kill: 9 })).toString()).toBe('kill\u00009\u0000');
    expect(fields(encodeNativeRequest({ id: 4, argv: [], stats: true })).toString()).toBe('stats\u00004\u0000');
  });

  it('carries input of any bytes and length, and refuses a NUL where the frame has its separators', () => {
    const input = 'é\u0000'.repeat(70_000);
    const b = fields(encodeNativeRequest({ id: 1, argv: ['cat'], input }));
    expect(b.subarray(b.length - Buffer.byteLength(input)).toString()).toBe(input);
    expect(() => encodeNativeRequest({ id: 1, argv: ['a\u0000b'] })).toThrow(/NUL/);
    expect(() => encodeNativeRequest({ id: 1, argv: ['a'], env: { X: '\u0000' } })).toThrow(/NUL/);
  });
});
