import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterProgress, loadProgress, progressPath, recordProgress, saveProgress, withoutLab, withStep } from '../../src/labs/progress.js';

describe('progress store', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoplab-progress-'));
    file = join(dir, 'state', 'hoplab', 'progress.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives under $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(progressPath({ XDG_STATE_HOME: '/x/state', HOME: '/home/a' })).toBe('/x/state/hoplab/progress.json');
    expect(progressPath({ HOME: '/home/a' })).toBe('/home/a/.local/state/hoplab/progress.json');
    // A relative XDG_STATE_HOME is invalid per the spec and ignored.
    expect(progressPath({ XDG_STATE_HOME: 'rel', HOME: '/home/a' })).toBe('/home/a/.local/state/hoplab/progress.json');
  });

  it('starts empty when there is no file', async () => {
    expect(await loadProgress(file)).toEqual({ progress: { version: 1, labs: {} } });
  });

  it('saves and loads what was recorded', async () => {
    await recordProgress('pod-to-pod', 1, { id: 'node-to-internet', outcome: 'passed' }, file);
    await recordProgress('pod-to-pod', 2, { id: 'node-to-node', outcome: 'passed' }, file);
    await recordProgress('pod-to-pod', 2, { id: 'node-to-node', outcome: 'passed' }, file);
    await recordProgress('pod-to-pod', 3, { id: 'pods-same-node', outcome: 'shown' }, file);
    const { progress, warning } = await loadProgress(file);
    expect(warning).toBeUndefined();
    expect(progress.labs['pod-to-pod']).toMatchObject({ step: 3, passed: ['node-to-internet', 'node-to-node'], shown: ['pods-same-node'] });
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(1);
  });

  it('keeps shown (hoplab ran it) apart from passed (the learner did it)', () => {
    const shown = withStep({ version: 1, labs: {} }, 'a', 0, { id: 's1', outcome: 'shown' });
    expect(shown.labs.a).toMatchObject({ passed: [], shown: ['s1'] });
    const passed = withStep(shown, 'a', 1, { id: 's1', outcome: 'passed' });
    expect(passed.labs.a).toMatchObject({ passed: ['s1'] });
    expect(passed.labs.a!.shown).toBeUndefined();
    // Showing a step the learner passed does not take the pass back.
    expect(withStep(passed, 'a', 1, { id: 's1', outcome: 'shown' }).labs.a).toMatchObject({ passed: ['s1'] });
  });

  it('survives a damaged file with a warning', async () => {
    await saveProgress(withStep({ version: 1, labs: {} }, 'a', 0), file);
    await writeFile(file, '{"version": 1, "labs": {"a": {"step": 0, "pas');
    const r = await loadProgress(file);
    expect(r.progress).toEqual({ version: 1, labs: {} });
    expect(r.warning).toMatch(/progress\.json is damaged/);
  });

  it('drops malformed entries and keeps the good ones', async () => {
    await saveProgress({ version: 1, labs: { good: { step: 1, passed: ['x'], updatedAt: 't' }, bad: { step: -1, passed: [], updatedAt: 't' } } }, file);
    const r = await loadProgress(file);
    expect(Object.keys(r.progress.labs)).toEqual(['good']);
    expect(r.warning).toMatch(/ignored malformed progress of bad/);
  });

  it('keeps the progress of two lab clusters side by side (--name) apart', async () => {
    const demo = clusterProgress('demo', file);
    const plain = clusterProgress('lab', file);
    await recordProgress('pod-to-pod', 2, { id: 'same-node', outcome: 'passed' }, file); // an older hoplab's file: the default cluster's
    await demo.save(withStep((await demo.load()).progress, 'pod-to-pod', 1, { id: 'node-to-internet', outcome: 'passed' }));
    await plain.save(withStep((await plain.load()).progress, 'calico', 0));
    expect((await demo.load()).progress.labs['pod-to-pod']).toMatchObject({ step: 1, passed: ['node-to-internet'] });
    expect((await plain.load()).progress.labs['pod-to-pod']).toMatchObject({ step: 2, passed: ['same-node'] });
    expect(Object.keys((await plain.load()).progress.labs).sort()).toEqual(['calico', 'pod-to-pod']);
    // Starting over on one cluster leaves the other's alone.
    await demo.save(withoutLab((await demo.load()).progress, 'pod-to-pod'));
    expect((await demo.load()).progress.labs).toEqual({});
    expect((await plain.load()).progress.labs['pod-to-pod']!.step).toBe(2);
  });

  it('forgets a lab', () => {
    const p = withStep(withStep({ version: 1, labs: {} }, 'a', 1), 'b', 2);
    expect(Object.keys(withoutLab(p, 'a').labs)).toEqual(['b']);
  });
});
