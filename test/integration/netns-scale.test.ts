// A Deployment of 300 replicas on the embedded lab, through the built binary
// and the real kubectl: while the pods start, the API answers every request
// (GET pods several times a second), the rollout completes, and `down`
// leaves nothing behind. Not timed: speed is the benchmark's job (npm run bench).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listNamespaces } from '../../src/providers/netns/namespaces.js';
import { apiRequest } from '../../src/providers/netns/api-client.js';
import { readApiRecord } from '../../src/providers/netns/state.js';
import { ROOT, hoplab } from '../helpers/cli.js';
import { NO_NETNS, testLabName } from '../helpers/root.js';

const lab = testLabName('scl');
const env = { HOPLAB_LAB: lab };
const REPLICAS = 300;
const k = (args: string[], timeout?: number) => hoplab(['kubectl', ...args], env, timeout);
const skip = NO_NETNS ?? (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs `npm run build`');

describe.skipIf(skip)('300 pods on the netns lab', () => {
  beforeAll(async () => {
    const r = await hoplab(['up', '--workers', '6'], env, 120_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 130_000);

  afterAll(async () => {
    const r = await hoplab(['down'], env, 300_000);
    expect(r.code).toBe(0);
    expect((await listNamespaces()).filter((n) => n.startsWith(`hoplab-${lab}-`))).toEqual([]);
  }, 310_000);

  it('answers every API request while a Deployment of 300 replicas rolls out', async () => {
    const api = (await readApiRecord(lab))!;
    expect(api).toBeDefined();
    const answers: number[] = [];
    const unanswered: string[] = [];
    const inFlight = new Set<Promise<void>>();
    // Not a latency bound: a generous time-out only tells "no answer" from "a slow one".
    const sampler = setInterval(() => {
      const p = apiRequest(api, 'GET', '/api/v1/namespaces/default/pods', undefined, { timeoutMs: 30_000 })
        .then((r) => void answers.push(r.status))
        .catch((err: Error) => void unanswered.push(err.message))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }, 200);
    try {
      expect((await k(['create', 'deployment', 'many', '--image=httpd', `--replicas=${REPLICAS}`])).code).toBe(0);
      const st = await k(['rollout', 'status', 'deployment/many', '--timeout=600s'], 610_000);
      expect(st.stderr).toBe('');
      expect(st.code).toBe(0);
    } finally {
      clearInterval(sampler);
      await Promise.all(inFlight);
    }
    expect(unanswered).toEqual([]);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((s) => s === 200)).toBe(true);
    const list = await apiRequest<{ items: any[] }>(api, 'GET', '/api/v1/namespaces/default/pods');
    const running = list.json.items.filter((p) => p.metadata.name.startsWith('many-') && p.status?.phase === 'Running');
    expect(running).toHaveLength(REPLICAS);
  }, 620_000);
});
