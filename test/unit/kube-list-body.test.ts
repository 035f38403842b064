import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/kube/store.js';
import { pods } from '../../src/kube/core-resources.js';
import { listBody } from '../../src/kube/list-body.js';

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default', labels: { app: 'web', note: 'naïve → ok' } },
  spec: { containers: [{ name: 'c', image: 'httpd' }] },
  ...extra,
});

describe('list replies from cached encodings', () => {
  it('are the bytes of JSON.stringify of the whole list, also with non-ASCII text', () => {
    const s = createStore();
    for (const n of ['a', 'b', 'c']) s.create(pods, pod(n));
    const head = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: s.resourceVersion() } };
    const items = s.scan(pods);
    expect(listBody(head, items).toString()).toBe(JSON.stringify({ ...head, items }));
    expect(JSON.parse(listBody(head, []).toString())).toEqual({ ...head, items: [] });
  });

  it('show an object as it is now after the store changed it', () => {
    const s = createStore();
    s.create(pods, pod('a'));
    const head = { kind: 'PodList', apiVersion: 'v1', metadata: {} };
    listBody(head, s.scan(pods)); // cached
    s.mutate(pods, 'default', 'a', (o) => void (o.status = { phase: 'Running' }));
    const again = JSON.parse(listBody(head, s.scan(pods)).toString());
    expect(again.items[0].status).toEqual({ phase: 'Running' });
    expect(again.items[0].metadata.resourceVersion).toBe(s.get(pods, 'default', 'a')!.metadata.resourceVersion);
  });
});
