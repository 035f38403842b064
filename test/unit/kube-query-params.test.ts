// Query parameters as the apiserver reads them: booleans by its own
// conversion (absent, "0" and "false" in any case are false, anything else
// true) and dryRun, which takes "All" only.
import { describe, expect, it } from 'vitest';
import { boolParam, isDryRun } from '../../src/kube/http-util.js';

const q = (s: string) => new URLSearchParams(s);

describe('boolean query parameters', () => {
  it('takes the spellings clients send for true', () => {
    for (const v of ['true', 'True', 'TRUE', 't', '1', 'yes', '']) expect(boolParam(q(`watch=${v}`), 'watch')).toBe(true);
  });
  it('is false when absent, 0 or false in any case', () => {
    expect(boolParam(q(''), 'watch')).toBe(false);
    for (const v of ['0', 'false', 'False', 'FALSE']) expect(boolParam(q(`watch=${v}`), 'watch')).toBe(false);
  });
});

describe('dryRun', () => {
  it('is a dry run with All, not without the parameter', () => {
    expect(isDryRun(q('dryRun=All'))).toBe(true);
    expect(isDryRun(q('fieldManager=kubectl'))).toBe(false);
  });
  it('refuses any other value as the apiserver does', () => {
    expect(() => isDryRun(q('dryRun=true'))).toThrow(/Invalid dry run value: "true"/);
  });
});
