// What attendees and the instructor's tools send over the LAN, as zod schemas.
// Everything a peer sends is parsed here before anything else looks at it:
// sizes are bounded (so one request cannot grow the room without limit) and
// every text is cleaned of control and escape sequences on the way in.
import { z } from 'zod';
import { cleanText } from './sanitize.js';

export const PROTOCOL_VERSION = 1;
/** Largest request body the server reads; anything bigger is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_EVENTS_PER_REQUEST = 200;

/** A peer's text: bounded before cleaning (cheap refusal), cleaned after. */
const text = (max: number) => z.string().max(max * 4).transform((s) => cleanText(s, max));
const nonEmptyText = (max: number) => text(max).refine((s) => s.length > 0, 'must not be empty (after control characters are removed)');
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected letters, digits, . _ - (at most 64)');

export const OUTCOMES = ['passed', 'shown', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const HopSchema = z.object({
  ttl: z.number().int().min(0).max(64),
  expected: text(120).optional(),
  observed: z.array(text(64)).max(8),
  status: z.enum(['match', 'mismatch', 'no-answer', 'missing', 'extra']),
});
export type Hop = z.infer<typeof HopSchema>;

const common = {
  /** One sender (a process) of one attendee: seq counts up per stream, so a resent event is applied once. */
  stream: z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'expected 6-40 letters, digits, _ or -'),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** When the attendee's machine made the event (ms since the epoch); shown times use the server's clock. */
  at: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
};

const where = {
  lab: id,
  step: z.number().int().min(0).max(199),
  stepId: id,
};

export const StepStartedSchema = z.object({
  type: z.literal('step-started'),
  ...common,
  ...where,
  labTitle: text(120).optional(),
  steps: z.number().int().min(1).max(200),
  title: text(160),
});

export const CheckEventSchema = z.object({
  type: z.literal('check'),
  ...common,
  ...where,
  stepTitle: text(160).optional(),
  checkId: id,
  title: text(160),
  kind: z.string().regex(/^[a-z-]{1,20}$/),
  outcome: z.enum(OUTCOMES),
  summary: text(300),
  /** The first hop that differs, when a hops check failed. */
  wrongHop: z.object({ ttl: z.number().int().min(0).max(64), expected: text(120).optional(), observed: z.array(text(64)).max(8) }).optional(),
  diagnosis: text(500).optional(),
  hops: z.array(HopSchema).max(40).optional(),
});

export const LabFinishedSchema = z.object({
  type: z.literal('lab-finished'),
  ...common,
  lab: id,
  passed: z.boolean(),
  steps: z.number().int().min(0).max(200),
});

export const HandSchema = z.object({
  type: z.literal('hand'),
  ...common,
  message: text(200).optional(),
  lab: id.optional(),
  step: z.number().int().min(0).max(199).optional(),
});

export const EventSchema = z.discriminatedUnion('type', [StepStartedSchema, CheckEventSchema, LabFinishedSchema, HandSchema]);
export type ClassEvent = z.infer<typeof EventSchema>;
/** An event as the attendee's side builds it, before a stream and seq are stamped on. */
export type EventInput = ClassEvent extends infer E ? (E extends ClassEvent ? Omit<E, 'stream' | 'seq' | 'at'> : never) : never;

export const JoinRequestSchema = z.object({
  code: z.string().min(1).max(64),
  name: nonEmptyText(40),
  /** Random per join attempt: a join resent after a lost answer gets the same attendee (with a new token), not a second one. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
});
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const JoinResponseSchema = z.object({ id: z.string(), name: z.string(), token: z.string() });
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

export const EventsRequestSchema = z.object({ events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_REQUEST) });

export const EventsResponseSchema = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

export const ClearHandsSchema = z.union([z.object({ hand: z.number().int().min(1) }), z.object({ all: z.literal(true) })]);

/** zod's issues as one line: `events.0.seq: expected a number`. */
export function issuesLine(err: z.ZodError, max = 3): string {
  const parts = err.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
  return parts.join('; ') + (err.issues.length > max ? `; and ${err.issues.length - max} more` : '');
}
