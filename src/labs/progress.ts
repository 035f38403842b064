// Where a learner is in each lab, kept across restarts of the TUI:
// $XDG_STATE_HOME/hoplab/progress.json (default ~/.local/state/hoplab).
// Written whole to a temporary file and renamed, so a crash never leaves half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { userStateDir } from '../core/user-state.js';
import { dirname, join } from 'node:path';

export interface LabProgress {
  /** Index of the step the learner is on. */
  step: number;
  /** Ids of the steps the learner passed (their own work graded). */
  passed: string[];
  /** Ids of the steps hoplab showed (ran the solution) and the learner has not passed since. */
  shown?: string[];
  /** ISO time of the last change. */
  updatedAt: string;
}

export interface ProgressFile {
  version: 1;
  /**
   * By lab id for the default lab cluster, by `NAME/id` for one named with
   * --name: two clusters side by side each keep their own progress.
   */
  labs: Record<string, LabProgress>;
}

export function emptyProgress(): ProgressFile {
  return { version: 1, labs: {} };
}

export function progressPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(userStateDir(env), 'progress.json');
}

function validEntry(v: unknown): v is LabProgress {
  const p = v as LabProgress;
  return (
    typeof p === 'object' && p !== null && Number.isInteger(p.step) && p.step >= 0 &&
    Array.isArray(p.passed) && p.passed.every((s) => typeof s === 'string') && typeof p.updatedAt === 'string'
  );
}

/**
 * Reads the progress file. A missing file is empty progress; an unreadable or
 * malformed one is too, with a warning to show (it is overwritten on the next save).
 */
export async function loadProgress(path = progressPath()): Promise<{ progress: ProgressFile; warning?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress() };
    return { progress: emptyProgress(), warning: `cannot read ${path}: ${(err as Error).message}` };
  }
  try {
    const data = JSON.parse(text) as Partial<ProgressFile>;
    if (data.version !== 1 || typeof data.labs !== 'object' || data.labs === null) throw new Error('not a hoplab progress file');
    const labs: Record<string, LabProgress> = {};
    const dropped: string[] = [];
    for (const [id, p] of Object.entries(data.labs)) {
      if (validEntry(p)) {
        const shown = Array.isArray(p.shown) ? p.shown.filter((s): s is string => typeof s === 'string') : [];
        labs[id] = { step: p.step, passed: [...p.passed], ...(shown.length ? { shown } : {}), updatedAt: p.updatedAt };
      }
      else dropped.push(id);
    }
    return { progress: { version: 1, labs }, ...(dropped.length ? { warning: `${path}: ignored malformed progress of ${dropped.join(', ')}` } : {}) };
  } catch (err) {
    return { progress: emptyProgress(), warning: `${path} is damaged (${(err as Error).message}); starting from scratch` };
  }
}

export async function saveProgress(progress: ProgressFile, path = progressPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(progress, null, 2) + '\n', { mode: 0o644 });
  await rename(tmp, path);
}

/** A step that got done, and who did it. */
export interface StepDone {
  id: string;
  outcome: 'passed' | 'shown';
}

/**
 * Pure update: the learner is on `step`; a step done joins the passed ones
 * (the learner's) or the shown ones (hoplab's). A learner's pass is never
 * taken back by hoplab showing the step again; a pass after a showing moves
 * the step from shown to passed.
 */
export function withStep(progress: ProgressFile, labId: string, step: number, done?: StepDone, now = new Date()): ProgressFile {
  const prev = progress.labs[labId] ?? { step: 0, passed: [], updatedAt: now.toISOString() };
  let passed = prev.passed;
  let shown = prev.shown ?? [];
  if (done?.outcome === 'passed' && !passed.includes(done.id)) passed = [...passed, done.id];
  if (done?.outcome === 'passed') shown = shown.filter((s) => s !== done.id);
  if (done?.outcome === 'shown' && !passed.includes(done.id) && !shown.includes(done.id)) shown = [...shown, done.id];
  return { ...progress, labs: { ...progress.labs, [labId]: { step, passed, ...(shown.length ? { shown } : {}), updatedAt: now.toISOString() } } };
}

/** Forgets one lab's progress (start over). */
export function withoutLab(progress: ProgressFile, labId: string): ProgressFile {
  const labs = { ...progress.labs };
  delete labs[labId];
  return { ...progress, labs };
}

const DEFAULT_CLUSTER = 'lab';
const keyFor = (cluster: string, labId: string) => (cluster === DEFAULT_CLUSTER ? labId : `${cluster}/${labId}`);

/** One lab cluster's progress (--name), keyed by lab id, as the TUI works with it. */
export function progressOf(file: ProgressFile, cluster: string): ProgressFile {
  const labs: Record<string, LabProgress> = {};
  for (const [key, p] of Object.entries(file.labs)) if (ownedBy(key, cluster)) labs[key.slice(key.indexOf('/') + 1)] = p;
  return { version: 1, labs };
}

/** The file with one cluster's progress replaced by `mine`; the other clusters' stays as it is. */
export function withProgressOf(file: ProgressFile, cluster: string, mine: ProgressFile): ProgressFile {
  const labs = Object.fromEntries(Object.entries(file.labs).filter(([key]) => !ownedBy(key, cluster)));
  for (const [id, p] of Object.entries(mine.labs)) labs[keyFor(cluster, id)] = p;
  return { version: 1, labs };
}

function ownedBy(key: string, cluster: string): boolean {
  const slash = key.indexOf('/');
  return (slash < 0 ? DEFAULT_CLUSTER : key.slice(0, slash)) === cluster;
}

/**
 * The progress store of one lab cluster: loads its part of the file, and
 * saves by reading the file again and replacing only that part, so a second
 * hoplab on another --name never overwrites this one's progress.
 */
export function clusterProgress(cluster: string, path = progressPath()) {
  return {
    async load(): Promise<{ progress: ProgressFile; warning?: string }> {
      const r = await loadProgress(path);
      return { ...r, progress: progressOf(r.progress, cluster) };
    },
    async save(mine: ProgressFile): Promise<void> {
      const { progress } = await loadProgress(path);
      await saveProgress(withProgressOf(progress, cluster, mine), path);
    },
  };
}

/** Load, update, save in one go. */
export async function recordProgress(labId: string, step: number, done?: StepDone, path = progressPath()): Promise<ProgressFile> {
  const { progress } = await loadProgress(path);
  const next = withStep(progress, labId, step, done);
  await saveProgress(next, path);
  return next;
}
