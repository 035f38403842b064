// Jumping ahead: a step run or checked before the step that creates what it
// names says so once, naming that step, before any command runs; never a raw
// template, never once per command and check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkStep } from '../../src/labs/checks.js';
import { parseLab } from '../../src/labs/load.js';
import type { Lab } from '../../src/labs/model.js';
import { missingNeeds, missingSentence } from '../../src/labs/missing.js';
import type { RunEvent } from '../../src/labs/results.js';
import { runLab } from '../../src/labs/runner.js';
import { baseFacts, fakeCluster } from '../fixtures/labs/fake-cluster.js';

function lab(id: string): Lab {
  const r = parseLab(readFileSync(new URL(`../../labs/${id}.yaml`, import.meta.url), 'utf8'), `labs/${id}.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lab;
}

const SENTENCE = "httpd is not there yet: step 3 'Pods on the same node (cni0)' creates it";

describe('missingNeeds', () => {
  it('names what is missing and the step that creates it', () => {
    const l = lab('pod-to-pod');
    const m = missingNeeds(l, 3, baseFacts());
    expect(m).toEqual([{ kind: 'pod', name: 'httpd', step: { index: 2, title: 'Pods on the same node (cni0)' } }]);
    expect(missingSentence(m)).toBe(SENTENCE);
    const withHttpd = { ...baseFacts(), pods: [{ name: 'httpd', namespace: 'default', node: 'node-1', ip: '10.244.1.3' }] };
    expect(missingNeeds(l, 3, withHttpd)).toEqual([]);
    expect(missingNeeds(l, 0, baseFacts())).toEqual([]);
  });

  it('groups what one step creates', () => {
    const step = { index: 1, title: 'Pods' };
    expect(missingSentence([{ kind: 'pod', name: 'a', step }, { kind: 'service', name: 'web', step }])).toBe("a and Service web are not there yet: step 2 'Pods' creates them");
  });
});

describe('a step run or checked ahead of its time', () => {
  it('runLab: one error naming the step, no command run, no raw template', async () => {
    const provider = fakeCluster();
    const events: RunEvent[] = [];
    const r = await runLab(lab('pod-to-pod'), provider, { steps: [3], onEvent: (e) => events.push(e), pollMs: 1 });
    const step = r.steps[0]!;
    expect(step.passed).toBe(false);
    // The fake's lab is called 'fake': the suggested command names it.
    expect(step.error).toBe(`${SENTENCE} ('hoplab --name fake run pod-to-pod --from 4' catches up to this step)`);
    expect(step.commands).toEqual([]);
    expect(events.some((e) => e.type === 'command-start')).toBe(false);
    expect(JSON.stringify(r)).not.toContain('{{');
    expect(JSON.stringify(r).split('is not there yet').length - 1).toBe(1);
  });

  it('checkStep: said on the first check only, the rest not checked', async () => {
    const provider = fakeCluster();
    const checks = await checkStep(lab('pod-to-pod'), 3, provider, {}, {});
    expect(checks.length).toBeGreaterThan(1);
    expect(checks[0]!.summary).toContain(SENTENCE);
    expect(checks.slice(1).every((c) => c.summary === 'not checked: what the step needs is not there (above)')).toBe(true);
    expect(JSON.stringify(checks)).not.toContain('{{');
  });
});
