import { describe, expect, it } from 'vitest';
import { checkFields, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../src/kube/selectors.js';
import { ApiError } from '../../src/kube/status.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'kubernetes.io/hostname': 'node-1', n: '5' };

  it('parses and matches equality, set and existence requirements', () => {
    const cases: [string, boolean][] = [
      ['app=web', true],
      ['app==web', true],
      ['app!=web', false],
      ['app!=db', true],
      ['missing!=x', true],
      ['app in (web, api)', true],
      ['app in (db)', false],
      ['app notin (db,api)', true],
      ['missing notin (x)', true],
      ['tier', true],
      ['!tier', false],
      ['!missing', true],
      ['kubernetes.io/hostname=node-1,app=web', true],
      ['kubernetes.io/hostname=node-1,app=db', false],
      ['n>4', true],
      ['n<5', false],
      ['', true],
    ];
    for (const [sel, want] of cases) expect([sel, matchesLabels(parseLabelSelector(sel), labels)]).toEqual([sel, want]);
  });

  it('keeps commas inside parentheses with their set', () => {
    expect(parseLabelSelector('a in (x,y),b=c')).toEqual([
      { key: 'a', op: 'in', values: ['x', 'y'] },
      { key: 'b', op: '=', values: ['c'] },
    ]);
  });

  it('rejects malformed selectors with a 400', () => {
    for (const bad of ['a=b,,c=d', 'bad key=x', 'n>x']) {
      const err = (() => {
        try {
          parseLabelSelector(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(400);
    }
  });
});

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('metadata.name=x,status.phase!=Failed,spec.nodeName==n\\,1')).toEqual([
      { field: 'metadata.name', op: '=', value: 'x' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
      { field: 'spec.nodeName', op: '=', value: 'n,1' },
    ]);
  });

  it('matches against field values; a missing field is the empty string', () => {
    const fields = { 'metadata.name': 'x', 'status.phase': 'Running', 'spec.nodeName': '' };
    expect(matchesFields(parseFieldSelector('metadata.name=x,status.phase!=Failed'), fields)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName='), fields)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName!='), fields)).toBe(false);
  });

  it('refuses fields the resource does not support, as the apiserver does', () => {
    expect(() => checkFields(parseFieldSelector('spec.bogus=1'), ['metadata.name'])).toThrow('field label not supported: spec.bogus');
  });
});
