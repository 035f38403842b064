// zod issues → one readable message per problem, with the path it is at.
// Unions are unfolded to the branch the value was meant for, unknown keys are
// reported one by one with a suggestion.
import type { z } from 'zod';
import { CHECK_KINDS, UNKNOWN_KEYS_TAG } from './schema.js';
import type { PathSegment } from './yaml-positions.js';
import { suggest } from '../core/did-you-mean.js';

export interface PathIssue {
  path: PathSegment[];
  message: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
}

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** A branch "fits" when the value has its shape and only its details are wrong. */
function fits(branch: readonly Issue[]): boolean {
  return !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union'));
}

function translate(issue: Issue, base: PathSegment[], data: unknown, out: PathIssue[]): void {
  const path = [...base, ...(issue.path as PathSegment[])];
  if (issue.code === 'invalid_union') {
    if ('note' in issue && issue.note === 'No matching discriminator') {
      const v = valueAt(data, path);
      const kinds = CHECK_KINDS.join(', ');
      out.push({ path, message: v === undefined ? `missing (expected kind: one of ${kinds})` : `expected one of ${kinds}, got ${JSON.stringify(v)}` });
      return;
    }
    const branches = (issue as { errors: Issue[][] }).errors ?? [];
    const fitting = branches.filter(fits);
    if (fitting.length === 1) {
      for (const i of fitting[0]!) translate(i, path, data, out);
      return;
    }
    out.push({ path, message: issue.message });
    return;
  }
  if (issue.code === 'unrecognized_keys') {
    const known = issue.message.startsWith(UNKNOWN_KEYS_TAG) ? issue.message.slice(UNKNOWN_KEYS_TAG.length).split(',') : [];
    for (const key of issue.keys) {
      const hint = suggest(key, known);
      out.push({
        path: [...path, key],
        atKey: true,
        message: `unknown key${hint ? ` (did you mean ${hint}?)` : known.length ? ` (expected one of ${known.join(', ')})` : ''}`,
      });
    }
    return;
  }
  out.push({ path, message: issue.message });
}

export function translateIssues(issues: readonly Issue[], data: unknown): PathIssue[] {
  const out: PathIssue[] = [];
  for (const i of issues) translate(i, [], data, out);
  return out;
}
