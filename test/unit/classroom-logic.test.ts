// The classroom's pure pieces: cleaning text, the room reducer (idempotent
// replay), outcomes, the wire form of a check, reports, the --listen option.
import { describe, expect, it } from 'vitest';
import { listenOption } from '../../src/cli/commands/classroom.js';
import { checkEvent } from '../../src/classroom/events.js';
import { exportRoom } from '../../src/classroom/export.js';
import { outcomeOf } from '../../src/classroom/outcome.js';
import { EventSchema, type ClassEvent } from '../../src/classroom/protocol.js';
import { applyRecord, emptyRoom, roomView, stepOutcome, type JournalRecord } from '../../src/classroom/room.js';
import { cleanText } from '../../src/classroom/sanitize.js';
import { labJunit, labMarkdown } from '../../src/labs/report-files.js';
import type { CheckResult, LabResult } from '../../src/labs/results.js';

const hopsCheck: CheckResult = {
  id: 'trace', kind: 'hops', title: 'controlplane reaches node-1 in one hop', passed: false, summary: 'hop 1 is 10.0.2.2, where 192.168.56.11 was expected',
  command: { display: 'traceroute -n 192.168.56.11', where: 'controlplane', exitCode: 0, ok: true, stdout: 'SECRET OUTPUT', stderr: '', durationMs: 5, waits: [] },
  hops: {
    from: 'node/controlplane', to: 'node/node-1', expectedFrom: 'engine', notes: [], traceWarnings: [],
    expected: [{ address: '192.168.56.11', interface: 'eth1', node: 'node-1', why: 'on the link' }],
    verdict: { passed: false, firstDifference: 1, diagnosis: 'the packet left through the NAT interface', hops: [{ ttl: 1, expected: { address: '192.168.56.11', interface: 'eth1', node: 'node-1', why: '' }, observed: ['10.0.2.2'], status: 'mismatch' }] },
  },
};

describe('cleanText', () => {
  it('removes escape sequences, controls and bidi overrides, keeps wide characters', () => {
    expect(cleanText('\x1b]0;pwned\x07ann\x1b[31m\x1b[0m')).toBe('ann');
    expect(cleanText('a\r\nb\tc\x00\x7f\x9b2Jd')).toBe('a b c d');
    expect(cleanText('\u202egnp.exe')).toBe('gnp.exe');
    expect(cleanText('李 chloé')).toBe('李 chloé');
    expect(cleanText('x'.repeat(50), 10)).toBe('xxxxxxxxx…');
  });
});

describe('room reducer', () => {
  let seq = 0;
  const ev = (e: Record<string, unknown>, stream = 'stream-1'): ClassEvent => EventSchema.parse({ stream, seq: ++seq, at: 1, ...e });
  it('applies each event once, however often the journal holds it', () => {
    const join: JournalRecord = { t: 'join', at: 1000, id: 'a', name: 'ann', tokenHash: 'h' };
    const events: JournalRecord = { t: 'events', at: 2000, id: 'a', events: [ev({ type: 'step-started', lab: 'l', steps: 2, step: 0, stepId: 's0', title: 'one' }), ev({ type: 'check', lab: 'l', step: 0, stepId: 's0', checkId: 'c', title: 'c', kind: 'hops', outcome: 'failed', summary: 'no' })] };
    const once = [join, events].reduce(applyRecord, emptyRoom());
    const twice = [join, events, join, events].reduce(applyRecord, emptyRoom());
    expect(twice).toEqual(once);
    expect(stepOutcome(once.attendees.a!.labs.l!.results[0])).toBe('failed');
    // A later pass of the same check replaces the failure.
    const fixed = applyRecord(once, { t: 'events', at: 3000, id: 'a', events: [ev({ type: 'check', lab: 'l', step: 0, stepId: 's0', checkId: 'c', title: 'c', kind: 'hops', outcome: 'passed', summary: 'ok' })] });
    expect(stepOutcome(fixed.attendees.a!.labs.l!.results[0])).toBe('passed');
    // Events of an attendee nobody knows change nothing.
    expect(applyRecord(once, { ...events, id: 'nobody' } as JournalRecord)).toBe(once);
  });
  it('keeps one open hand per attendee and clears by id', () => {
    let r = applyRecord(emptyRoom(), { t: 'join', at: 1, id: 'a', name: 'ann', tokenHash: 'h' });
    r = applyRecord(r, { t: 'events', at: 2, id: 'a', events: [ev({ type: 'hand', message: 'one' })] });
    r = applyRecord(r, { t: 'events', at: 3, id: 'a', events: [ev({ type: 'hand', message: 'two' })] });
    expect(r.hands).toEqual([{ id: 1, attendee: 'a', message: 'two', at: 2 }]);
    expect(applyRecord(r, { t: 'clear', at: 4, hand: 1 }).hands).toEqual([]);
  });
});

describe('what a check sends', () => {
  it('is passed by the learner, shown by hoplab or failed', () => {
    const ok = { ...hopsCheck, passed: true };
    expect(outcomeOf(ok, 'learner')).toBe('passed');
    expect(outcomeOf(ok, 'hoplab')).toBe('shown');
    expect(outcomeOf(hopsCheck, 'learner')).toBe('failed');
    expect(outcomeOf({ ...ok, outcome: 'failed' } as CheckResult, 'learner')).toBe('failed');
  });
  it('carries the first wrong hop and the diagnosis, never the command output', () => {
    const e = EventSchema.parse({ ...checkEvent({ lab: 'pod-to-pod', step: 1, stepId: 'node-to-node', check: hopsCheck }, 'failed'), stream: 'stream-1', seq: 1, at: 1 });
    expect(e).toMatchObject({ wrongHop: { ttl: 1, expected: '192.168.56.11 eth1 node-1', observed: ['10.0.2.2'] }, diagnosis: 'the packet left through the NAT interface' });
    expect(JSON.stringify(e)).not.toContain('SECRET OUTPUT');
  });
});

describe('reports', () => {
  const result: LabResult = {
    lab: 'pod-to-pod', title: 'Pod to pod', provider: 'netns', cni: 'flannel-host-gw', passed: false, durationMs: 1200,
    steps: [{ index: 0, id: 'node-to-node', title: 'Node <to> node', passed: false, commands: [], durationMs: 1000, checks: [hopsCheck, { id: 'ans', kind: 'answer', title: 'eth1 & co', passed: true, summary: '"x" is right' }] }],
  };
  it('JUnit: a case per check, failures with the hop table, escaped', () => {
    const x = labJunit(result, outcomeOf, 'hoplab');
    expect(x).toContain('<testsuites name="hoplab pod-to-pod" tests="2" failures="1" skipped="0">');
    expect(x).toContain('classname="pod-to-pod.node-to-node" name="eth1 &amp; co"');
    expect(x).toContain('<failure message="hop 1 is 10.0.2.2, where 192.168.56.11 was expected">');
    expect(x).toContain('diagnosis: the packet left through the NAT interface');
  });
  it('Markdown: a row per check with its outcome, the hop table of failed traces', () => {
    const m = labMarkdown(result, outcomeOf, 'hoplab');
    expect(m).toContain('| Node <to> node | eth1 & co | shown by hoplab | "x" is right |');
    expect(m).toMatch(/1\s+192\.168\.56\.11 eth1 node-1\s+10\.0\.2\.2\s+WRONG/);
  });
  it('the room export in JSON, JUnit and Markdown', () => {
    let r = applyRecord(emptyRoom(), { t: 'join', at: 1, id: 'a', name: 'ann', tokenHash: 'h' });
    r = applyRecord(r, { t: 'events', at: 2, id: 'a', events: [EventSchema.parse({ ...checkEvent({ lab: 'pod-to-pod', step: 0, stepId: 'node-to-node', stepTitle: 'Node to node', check: hopsCheck }, 'failed'), stream: 'stream-9', seq: 1, at: 1 })] });
    const view = roomView(r, 10);
    expect(JSON.parse(exportRoom(view, 'json')).attendees[0].name).toBe('ann');
    expect(exportRoom(view, 'junit')).toContain('<testsuite name="ann: pod-to-pod" tests="1" failures="1"');
    expect(exportRoom(view, 'md')).toContain('- step 1: 1 of 1: hop 1 is 10.0.2.2 — the packet left through the NAT interface');
  });
});

describe('--listen', () => {
  it('takes ADDR:PORT, ADDR, :PORT and [IPv6]:PORT, and says what it expected otherwise', () => {
    expect(listenOption(undefined)).toEqual({ host: '0.0.0.0', port: 7341 });
    expect(listenOption('127.0.0.1:8000')).toEqual({ host: '127.0.0.1', port: 8000 });
    expect(listenOption('192.168.1.20')).toEqual({ host: '192.168.1.20', port: 7341 });
    expect(listenOption(':9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(listenOption('[::1]:7000')).toEqual({ host: '::1', port: 7000 });
    expect(() => listenOption('host:99999')).toThrow(/expected ADDR:PORT/);
  });
});
