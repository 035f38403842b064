// The room on disk: a snapshot (room-N.json) and the journal of records since
// it (journal-N.jsonl). A record is appended before the request that made it
// is answered, so whatever an attendee was told "accepted" survives a restart
// of the server. Compaction writes a new snapshot atomically (temporary file,
// fsync, rename) and starts generation N+1; loading replays every journal at
// or after the snapshot's generation, and since records apply idempotently a
// crash at any point of compaction loses and doubles nothing.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { applyRecord, emptyRoom, type JournalRecord, type Room } from './room.js';

export interface Journal {
  room(): Room;
  /** Appends the records (one write), then applies them; resolves when they are on disk. */
  append(records: JournalRecord[]): Promise<void>;
  /** Writes a snapshot now and starts a new journal. */
  compact(): Promise<void>;
  close(): Promise<void>;
  /** What loading found wrong (a torn last line after a crash), for the banner. */
  warnings: string[];
}

const SNAP = /^room-(\d+)\.json$/;
const JOUR = /^journal-(\d+)\.jsonl$/;

/** Writes a file so that a reader sees the old content or the new, never half: temp file, fsync, rename. */
export function writeFileAtomicSync(path: string, text: string, mode = 0o600): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // rename is atomic within a directory, so a reader finds the old snapshot or the new one.
  renameSync(tmp, path);
}

export async function openJournal(dir: string, opts: { compactEvery?: number } = {}): Promise<Journal> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const names = await readdir(dir);
  const snaps = names.map((n) => SNAP.exec(n)).filter(Boolean).map((m) => Number(m![1])).sort((a, b) => b - a);
  const warnings: string[] = [];
  let room = emptyRoom();
  let gen = 0;
  for (const g of snaps) {
    try {
      const data = JSON.parse(await readFile(join(dir, `room-${g}.json`), 'utf8')) as Room;
      if (data.schema !== 1 || typeof data.attendees !== 'object') throw new Error('not a room snapshot');
      room = data;
      gen = g;
      break;
    } catch (err) {
      warnings.push(`room-${g}.json unreadable (${(err as Error).message}); using an older state`);
    }
  }
  const journals = names.map((n) => JOUR.exec(n)).filter(Boolean).map((m) => Number(m![1])).filter((g) => g >= gen).sort((a, b) => a - b);
  for (const g of journals) {
    const lines = (await readFile(join(dir, `journal-${g}.jsonl`), 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        room = applyRecord(room, JSON.parse(line) as JournalRecord);
      } catch {
        // Only the last line can be torn (a crash mid-append); anything else is reported too.
        warnings.push(`journal-${g}.jsonl:${i + 1}: unreadable record skipped`);
      }
    });
    gen = Math.max(gen, g);
  }
  const compactEvery = opts.compactEvery ?? 5000;
  let since = 0;
  let chain: Promise<void> = Promise.resolve();
  const journalPath = () => join(dir, `journal-${gen}.jsonl`);

  async function compactNow(): Promise<void> {
    const old = gen;
    gen += 1;
    since = 0;
    writeFileAtomicSync(join(dir, `room-${gen}.json`), JSON.stringify(room));
    for (const n of await readdir(dir)) {
      const s = SNAP.exec(n) ?? JOUR.exec(n);
      if (s && Number(s[1]) <= old) await unlink(join(dir, n)).catch(() => undefined);
    }
  }

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.then(() => undefined, () => undefined);
    return p;
  };

  // Group commit: records that arrive while a write is under way go out together in the next one.
  let pending: { records: JournalRecord[]; done: (err?: unknown) => void }[] = [];
  let writing = false;
  async function pump(): Promise<void> {
    if (writing || !pending.length) return;
    writing = true;
    const batch = pending;
    pending = [];
    const records = batch.flatMap((b) => b.records);
    try {
      await serial(async () => {
        await appendFile(journalPath(), records.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
        for (const r of records) room = applyRecord(room, r);
        since += records.length;
        if (since >= compactEvery) await compactNow();
      });
      for (const b of batch) b.done();
    } catch (err) {
      for (const b of batch) b.done(err);
    } finally {
      writing = false;
      void pump();
    }
  }

  return {
    warnings,
    room: () => room,
    append(records) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ records, done: (err) => (err ? reject(err) : resolve()) });
        void pump();
      });
    },
    compact: () => serial(compactNow),
    close: () => serial(compactNow),
  };
}
