// The room as plain data, and the pure function that applies one journal
// record to it. The server keeps exactly this in memory and on disk; replaying
// the journal over the last snapshot rebuilds it, so every record must apply
// the same way twice (a resent event is recognised by its stream and seq).
import type { ClassEvent, Hop, Outcome } from './protocol.js';

export interface CheckRecord {
  checkId: string;
  title: string;
  kind: string;
  outcome: Outcome;
  summary: string;
  wrongHop?: { ttl: number; expected?: string | undefined; observed: string[] };
  diagnosis?: string;
  hops?: Hop[];
  /** Server time it arrived. */
  at: number;
}

export interface StepRecord {
  id: string;
  title?: string;
  /** Latest result of each check of the step, by check id. */
  checks: Record<string, CheckRecord>;
  at: number;
}

export interface LabRecord {
  title?: string;
  steps: number;
  results: Record<number, StepRecord>;
  finished?: { passed: boolean; at: number };
}

export interface Attendee {
  id: string;
  name: string;
  /** sha256 of the attendee's token, hex; the token itself is never stored. */
  tokenHash: string;
  /** sha256 of the nonce the join came with, to recognise it when resent. */
  nonceHash?: string;
  joinedAt: number;
  lastSeen: number;
  /** Last seq applied, per sender stream. */
  streams: Record<string, number>;
  current?: { lab: string; step: number; stepId: string; title: string; since: number };
  labs: Record<string, LabRecord>;
  lastCheck?: CheckRecord & { lab: string; step: number };
}

export interface Hand {
  id: number;
  attendee: string;
  message?: string;
  lab?: string;
  step?: number;
  at: number;
}

export interface Room {
  schema: 1;
  /** Counts every change, so a reader can tell whether anything moved. */
  rev: number;
  attendees: Record<string, Attendee>;
  hands: Hand[];
  nextHand: number;
}

export type JournalRecord =
  | { t: 'join'; at: number; id: string; name: string; tokenHash: string; nonceHash?: string }
  | { t: 'events'; at: number; id: string; events: ClassEvent[] }
  | { t: 'clear'; at: number; hand?: number; all?: boolean };

export const LIMITS = { streamsPerAttendee: 64, labsPerAttendee: 40, hands: 500 };

export function emptyRoom(): Room {
  return { schema: 1, rev: 0, attendees: {}, hands: [], nextHand: 1 };
}

/** Keeps the most recently used streams only: a long workshop with many short `hoplab run`s must not grow without end. */
function trimStreams(streams: Record<string, number>, keep: string): Record<string, number> {
  const names = Object.keys(streams);
  if (names.length <= LIMITS.streamsPerAttendee) return streams;
  const out: Record<string, number> = {};
  for (const n of names.slice(names.length - LIMITS.streamsPerAttendee)) out[n] = streams[n]!;
  out[keep] = streams[keep]!;
  return out;
}

function labOf(a: Attendee, lab: string, steps = 0, title?: string): LabRecord {
  const prev = a.labs[lab];
  return {
    ...(prev ?? { steps, results: {} }),
    steps: Math.max(prev?.steps ?? 0, steps),
    ...(title ? { title } : prev?.title ? { title: prev.title } : {}),
  };
}

function withLab(a: Attendee, lab: string, rec: LabRecord): Attendee {
  const labs = { ...a.labs, [lab]: rec };
  const names = Object.keys(labs);
  if (names.length > LIMITS.labsPerAttendee) delete labs[names.find((n) => n !== lab)!];
  return { ...a, labs };
}

function applyEvent(room: Room, a: Attendee, e: ClassEvent, at: number): { room: Room; a: Attendee } {
  switch (e.type) {
    case 'step-started': {
      const lab = labOf(a, e.lab, e.steps, e.labTitle);
      const prev = lab.results[e.step];
      const results = { ...lab.results, [e.step]: { id: e.stepId, title: e.title, checks: prev?.id === e.stepId ? prev.checks : {}, at: prev?.at ?? at } };
      const same = a.current && a.current.lab === e.lab && a.current.step === e.step;
      const a2 = withLab({ ...a, current: { lab: e.lab, step: e.step, stepId: e.stepId, title: e.title, since: same ? a.current!.since : at } }, e.lab, { ...lab, results });
      return { room, a: a2 };
    }
    case 'check': {
      const lab = labOf(a, e.lab, e.step + 1);
      const prev = lab.results[e.step];
      const rec: CheckRecord = {
        checkId: e.checkId, title: e.title, kind: e.kind, outcome: e.outcome, summary: e.summary,
        ...(e.wrongHop ? { wrongHop: e.wrongHop } : {}),
        ...(e.diagnosis ? { diagnosis: e.diagnosis } : {}),
        ...(e.hops ? { hops: e.hops } : {}),
        at,
      };
      const checks = { ...(prev && prev.id === e.stepId ? prev.checks : {}), [e.checkId]: rec };
      const title = e.stepTitle ?? prev?.title;
      const step: StepRecord = { id: e.stepId, ...(title ? { title } : {}), checks, at };
      const a2 = withLab({ ...a, lastCheck: { ...rec, lab: e.lab, step: e.step } }, e.lab, { ...lab, results: { ...lab.results, [e.step]: step } });
      return { room, a: a2 };
    }
    case 'lab-finished': {
      const lab = labOf(a, e.lab, e.steps);
      return { room, a: withLab(a, e.lab, { ...lab, finished: { passed: e.passed, at } }) };
    }
    case 'hand': {
      // One open hand per attendee: raising it again updates the message and keeps the place in the queue.
      const existing = room.hands.find((h) => h.attendee === a.id);
      const hand: Hand = { id: existing?.id ?? room.nextHand, attendee: a.id, ...(e.message ? { message: e.message } : {}), ...(e.lab ? { lab: e.lab } : {}), ...(e.step !== undefined ? { step: e.step } : {}), at: existing?.at ?? at };
      const hands = existing ? room.hands.map((h) => (h.id === existing.id ? hand : h)) : [...room.hands, hand].slice(-LIMITS.hands);
      return { room: { ...room, hands, nextHand: existing ? room.nextHand : room.nextHand + 1 }, a };
    }
  }
}

/** Applies one journal record. Pure; unknown attendees and already-applied events leave the room as it is. */
export function applyRecord(room: Room, r: JournalRecord): Room {
  switch (r.t) {
    case 'join': {
      const prev = room.attendees[r.id];
      // The same join resent: the attendee stays, with the token of the latest answer.
      if (prev) return prev.tokenHash === r.tokenHash ? room : { ...room, rev: room.rev + 1, attendees: { ...room.attendees, [r.id]: { ...prev, tokenHash: r.tokenHash } } };
      return { ...room, rev: room.rev + 1, attendees: { ...room.attendees, [r.id]: { id: r.id, name: r.name, tokenHash: r.tokenHash, ...(r.nonceHash ? { nonceHash: r.nonceHash } : {}), joinedAt: r.at, lastSeen: r.at, streams: {}, labs: {} } } };
    }
    case 'events': {
      let a = room.attendees[r.id];
      if (!a) return room;
      let next = room;
      let changed = false;
      for (const e of r.events) {
        if ((a.streams[e.stream] ?? 0) >= e.seq) continue;
        const out = applyEvent(next, a, e, r.at);
        next = out.room;
        a = { ...out.a, streams: trimStreams({ ...out.a.streams, [e.stream]: e.seq }, e.stream) };
        changed = true;
      }
      a = { ...a, lastSeen: Math.max(a.lastSeen, r.at) };
      return { ...next, rev: room.rev + (changed ? 1 : 0), attendees: { ...next.attendees, [r.id]: a } };
    }
    case 'clear': {
      const hands = r.all ? [] : room.hands.filter((h) => h.id !== r.hand);
      return hands.length === room.hands.length ? room : { ...room, rev: room.rev + 1, hands };
    }
  }
}

/** How many of the events are new to the room (not applied before). */
export function newEvents(room: Room, attendee: string, events: ClassEvent[]): number {
  const a = room.attendees[attendee];
  if (!a) return 0;
  const seen = { ...a.streams };
  let n = 0;
  for (const e of events) {
    if ((seen[e.stream] ?? 0) >= e.seq) continue;
    seen[e.stream] = e.seq;
    n++;
  }
  return n;
}

/** A step's result from its checks' latest results: any failed is failed, else any shown is shown. */
export function stepOutcome(s: StepRecord | undefined): Outcome | undefined {
  const outs = Object.values(s?.checks ?? {}).map((c) => c.outcome);
  if (!outs.length) return undefined;
  if (outs.includes('failed')) return 'failed';
  if (outs.includes('shown')) return 'shown';
  return 'passed';
}

export interface StepView {
  index: number;
  id: string;
  title?: string;
  outcome?: Outcome;
  checks: CheckRecord[];
}

export interface AttendeeView {
  id: string;
  name: string;
  joinedAt: number;
  lastSeen: number;
  current?: Attendee['current'];
  labs: Record<string, { title?: string; steps: number; finished?: LabRecord['finished']; results: StepView[] }>;
  lastCheck?: Attendee['lastCheck'];
}

export interface HandView extends Hand {
  name: string;
}

/** What the instructor's tools see: the room without tokens and stream counters. */
export interface RoomView {
  rev: number;
  now: number;
  attendees: AttendeeView[];
  hands: HandView[];
}

export function roomView(room: Room, now: number): RoomView {
  const attendees = Object.values(room.attendees)
    .sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id))
    .map((a): AttendeeView => ({
      id: a.id,
      name: a.name,
      joinedAt: a.joinedAt,
      lastSeen: a.lastSeen,
      ...(a.current ? { current: a.current } : {}),
      labs: Object.fromEntries(
        Object.entries(a.labs).map(([id, l]) => [
          id,
          {
            ...(l.title ? { title: l.title } : {}),
            steps: l.steps,
            ...(l.finished ? { finished: l.finished } : {}),
            results: Object.entries(l.results)
              .map(([i, s]) => {
                const outcome = stepOutcome(s);
                return { index: Number(i), id: s.id, ...(s.title ? { title: s.title } : {}), ...(outcome ? { outcome } : {}), checks: Object.values(s.checks) };
              })
              .sort((x, y) => x.index - y.index),
          },
        ]),
      ),
      ...(a.lastCheck ? { lastCheck: a.lastCheck } : {}),
    }));
  const hands = room.hands.map((h) => ({ ...h, name: room.attendees[h.attendee]?.name ?? h.attendee }));
  return { rev: room.rev, now, attendees, hands };
}
