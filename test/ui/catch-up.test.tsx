// Catch-up in the TUI: a step that needs what an earlier step creates says so
// and offers `u`; the key runs the earlier step's solution through the real
// catch-up (on the fake provider), shows its commands as they run, and lands
// on the step, the offer gone.
import { describe, expect, it } from 'vitest';
import { catchUp } from '../../src/labs/catch-up.js';
import type { Catalog } from '../../src/labs/catalog.js';
import type { RunEvent } from '../../src/labs/results.js';
import { miniLab } from './fakes.js';
import { DOWN, ENTER, mount } from './mount.js';

function labWithNeeds() {
  const lab = miniLab();
  const first = lab.steps[0]!;
  first.run = [...first.run, { where: { kind: 'kubectl' }, text: 'run httpd --image=httpd', display: 'kubectl run httpd --image=httpd', wait: [], timeoutSec: 30, mayFail: false, at: 'mini.yaml:5:9' }];
  lab.steps[1]!.needs = [{ step: 0, objects: ['pod/httpd'], why: 'pod httpd' }];
  return lab;
}

describe('catch-up (u)', () => {
  it('offers it on a step that needs an earlier one, runs that solution, and lands on the step', async () => {
    const events: RunEvent[] = [];
    const t = await mount('up', {
      loadCatalog: async (): Promise<Catalog> => ({ labs: [labWithNeeds()], errors: [] }),
      catchUp: (lab, targets, provider, opts) => catchUp(lab, targets, provider, { ...opts, onEvent: (e) => (events.push(e), opts.onEvent(e)) }),
    });
    await t.press(ENTER);
    expect(t.lastFrame()).toContain('Step 1/2: Node to node');
    expect(t.lastFrame()).not.toContain('u catches you up');
    await t.press(DOWN);
    expect(t.lastFrame()).toContain('Step 2/2: Which veth?');
    expect(t.lastFrame()).toContain("This step needs what step 1 'Node to node' creates: u catches you");

    await t.press('u');
    const f = t.lastFrame()!;
    // The earlier step's command that makes something ran (the traceroute, which only looks, did not).
    expect(events.filter((e) => e.type === 'command-start').map((e) => (e as { display: string }).display)).toEqual(['kubectl run httpd --image=httpd']);
    expect(f).toContain('catching up: step 1, Node to node');
    expect(f).toContain('$ kubectl run httpd --image=httpd');
    expect(f).toMatch(/caught up in \d+\.\d s: step 2 is ready/);
    expect(f).toContain('Step 2/2: Which veth?');
    expect(f).not.toContain('u catches you up');
    // Step 1 was not checked: it stays todo, and step 2 is still to do.
    expect(t.store.get().lab!.steps.map((s) => s.state)).toEqual(['todo', 'todo']);
    expect(t.runner.runs).toEqual([]);
  });

  it('says so when the step needs nothing', async () => {
    const t = await mount('up', { loadCatalog: async (): Promise<Catalog> => ({ labs: [labWithNeeds()], errors: [] }), catchUp });
    await t.press(ENTER);
    await t.press('u');
    expect(t.lastFrame()).toContain('step 1 needs nothing an earlier step makes that is missing');
  });
});

describe('jumping ahead', () => {
  function labNeedingWeb() {
    const lab = miniLab();
    lab.steps[0]!.title = 'Start web';
    lab.steps[0]!.run = [...lab.steps[0]!.run, { where: { kind: 'kubectl' }, text: 'run web --image=httpd', display: 'kubectl run web --image=httpd', wait: [], timeoutSec: 30, mayFail: false, at: 'mini.yaml:5:9' }];
    lab.steps[1]!.needs = [{ step: 0, objects: ['pod/web'], why: 'pod web' }];
    return lab;
  }
  const MESSAGE = "web: not there yet, step 1 'Start web' creates it. u catches you up";

  it('c names the step that creates what is missing before asking the question', async () => {
    const t = await mount('up', { loadCatalog: async (): Promise<Catalog> => ({ labs: [labNeedingWeb()], errors: [] }), catchUp });
    await t.press(ENTER);
    await t.press(DOWN);
    await t.press('c');
    const f = t.lastFrame()!;
    expect(f).toContain(MESSAGE);
    expect(f).not.toContain("Which interface on node-1 is httpd's veth peer?");
    expect(t.store.get().lab!.answer).toBeUndefined();
    expect(t.runner.checks).toEqual([]);
  });

  it('Enter says it once and runs nothing', async () => {
    const t = await mount('up', { loadCatalog: async (): Promise<Catalog> => ({ labs: [labNeedingWeb()], errors: [] }), catchUp });
    await t.press(ENTER);
    await t.press(DOWN);
    await t.press(ENTER);
    const f = t.lastFrame()!;
    expect(f.split('not there yet').length - 1).toBe(1);
    expect(f).toContain(MESSAGE);
    expect(t.runner.runs).toEqual([]);
  });
});

describe("a step's text", () => {
  it('names the lab in the hoplab commands it suggests, and shows no raw template', async () => {
    const lab = miniLab();
    lab.steps[0]!.text = 'Look: `hoplab ssh node-1 -- ip route`, then ping {{ pods.web.ip }}.';
    const t = await mount('up', { loadCatalog: async (): Promise<Catalog> => ({ labs: [lab], errors: [] }) });
    await t.press(ENTER);
    const f = t.lastFrame()!;
    // The fake provider's lab is called 'tui', not the default.
    expect(f).toContain('hoplab --name tui ssh node-1 -- ip route');
    expect(f).toContain('ping WEB-IP');
    expect(f).not.toContain('{{');
  });
});
