// Every check kind, by name. Typed by LabCheck['kind']: a kind added to the
// model without its module here is a compile error.
import type { LabCheck } from '../model.js';
import { answerKind } from './answer.js';
import { failsKind, succeedsKind } from './command.js';
import { hopsKind } from './hops.js';
import { outputKind } from './output.js';
import { reachKind } from './reach.js';
import { routeKind } from './route.js';
import type { CheckKind, CheckOf } from './types.js';

const KINDS = {
  hops: hopsKind,
  succeeds: succeedsKind,
  fails: failsKind,
  output: outputKind,
  answer: answerKind,
  route: routeKind,
  reach: reachKind,
} satisfies { [K in LabCheck['kind']]: CheckKind<CheckOf<K>, any> };

export type CheckKindName = keyof typeof KINDS;
export const CHECK_KINDS = Object.keys(KINDS) as CheckKindName[];
export const CHECK_SCHEMAS = [hopsKind.schema, succeedsKind.schema, failsKind.schema, outputKind.schema, answerKind.schema, routeKind.schema, reachKind.schema] as const;

/** The module of a check's kind. */
export function kindOf<K extends LabCheck['kind']>(kind: K): CheckKind<CheckOf<K>> {
  return KINDS[kind] as unknown as CheckKind<CheckOf<K>>;
}
