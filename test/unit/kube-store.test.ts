import { describe, expect, it } from 'vitest';
import { createStore, type WatchEvent } from '../../src/kube/store.js';
import { pods, namespaces } from '../../src/kube/core-resources.js';
import { parseFieldSelector, parseLabelSelector } from '../../src/kube/selectors.js';
import { ApiError } from '../../src/kube/status.js';

const pod = (name: string, extra: Record<string, any> = {}) => ({ metadata: { name, namespace: 'default', ...(extra.metadata ?? {}) }, spec: { nodeName: extra.node ?? '' }, status: { phase: extra.phase ?? 'Pending' } });

describe('store', () => {
  it('assigns uid, creationTimestamp, kind and increasing resourceVersions', () => {
    const s = createStore();
    const a = s.create(pods, pod('a'));
    const b = s.create(pods, pod('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect([a.kind, a.apiVersion]).toEqual(['Pod', 'v1']);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(s.resourceVersion()).toBe(b.metadata.resourceVersion);
  });

  it('completes generateName and refuses duplicates with AlreadyExists', () => {
    const s = createStore();
    const g = s.create(pods, { metadata: { generateName: 'web-', namespace: 'default' } });
    expect(g.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    s.create(pods, pod('a'));
    try {
      s.create(pods, pod('a'));
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe(409);
      expect((e as ApiError).message).toBe('pods "a" already exists');
    }
  });

  it('keeps cluster-scoped objects without a namespace', () => {
    const s = createStore();
    const ns = s.create(namespaces, { metadata: { name: 'x', namespace: 'ignored' } });
    expect(ns.metadata.namespace).toBeUndefined();
    expect(s.get(namespaces, 'whatever', 'x')?.metadata.name).toBe('x');
  });

  it('lists in key order with namespace, label and field filters', () => {
    const s = createStore();
    s.create(pods, pod('b', { node: 'node-1', phase: 'Running', metadata: { labels: { app: 'web' } } }));
    s.create(pods, pod('a', { node: 'node-2', phase: 'Succeeded' }));
    s.create(pods, { ...pod('c'), metadata: { name: 'c', namespace: 'other' } });
    expect(s.list(pods).items.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(s.list(pods, { namespace: 'default' }).items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(s.list(pods, { labelSelector: parseLabelSelector('app=web') }).items.map((p) => p.metadata.name)).toEqual(['b']);
    expect(s.list(pods, { fieldSelector: parseFieldSelector('spec.nodeName=node-2,status.phase!=Failed') }).items.map((p) => p.metadata.name)).toEqual(['a']);
  });

  it('hands out copies: changing a returned object changes nothing stored', () => {
    const s = createStore();
    const a = s.create(pods, pod('a'));
    a.metadata.name = 'changed';
    s.get(pods, 'default', 'a')!.status.phase = 'Running';
    expect(s.get(pods, 'default', 'a')!.status.phase).toBe('Pending');
  });

  it('does not bump the resourceVersion for a no-op mutate, and 409s a stale update', () => {
    const s = createStore();
    const a = s.create(pods, pod('a'));
    const same = s.mutate(pods, 'default', 'a', () => {});
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    s.mutate(pods, 'default', 'a', (p) => (p.status.phase = 'Running'));
    expect(() => s.update(pods, a)).toThrow(/the object has been modified/);
  });

  it('watches from a resourceVersion, replaying what happened after it', () => {
    const s = createStore();
    s.create(pods, pod('a'));
    const rv = s.resourceVersion();
    s.mutate(pods, 'default', 'a', (p) => (p.status.phase = 'Running'));
    s.create(pods, pod('b'));
    const seen: string[] = [];
    const stop = s.watch(pods, { namespace: 'default', resourceVersion: rv }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    s.remove(pods, 'default', 'a');
    stop();
    s.remove(pods, 'default', 'b');
    expect(seen).toEqual(['MODIFIED a', 'ADDED b', 'DELETED a']);
  });

  it('starts a watch without resourceVersion with ADDED for what exists', () => {
    const s = createStore();
    s.create(pods, pod('a'));
    const seen: WatchEvent[] = [];
    s.watch(pods, {}, (e) => seen.push(e));
    expect(seen.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('turns a change into or out of a field selection into ADDED / DELETED', () => {
    const s = createStore();
    s.create(pods, pod('a'));
    const seen: string[] = [];
    s.watch(pods, { fieldSelector: parseFieldSelector('spec.nodeName=node-1'), resourceVersion: s.resourceVersion() }, (e) => seen.push(e.type));
    s.mutate(pods, 'default', 'a', (p) => (p.spec.nodeName = 'node-1'));
    s.mutate(pods, 'default', 'a', (p) => (p.status.phase = 'Running'));
    s.mutate(pods, 'default', 'a', (p) => (p.spec.nodeName = 'node-2'));
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('answers 410 Expired for a resourceVersion older than the history', () => {
    const s = createStore({ historyLimit: 2 });
    s.create(pods, pod('a'));
    const old = s.resourceVersion();
    for (let i = 0; i < 5; i++) s.mutate(pods, 'default', 'a', (p) => (p.status.phase = `P${i}`));
    try {
      s.watch(pods, { resourceVersion: old }, () => {});
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe(410);
      expect((e as ApiError).message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    }
  });

  it('keeps history per resource type: churn of one type does not expire a watch of another', () => {
    const s = createStore({ historyLimit: 2 });
    s.create(namespaces, { metadata: { name: 'quiet' } });
    const rv = s.resourceVersion();
    s.create(pods, pod('a'));
    for (let i = 0; i < 5; i++) s.mutate(pods, 'default', 'a', (p) => (p.status.phase = `P${i}`));
    const seen: string[] = [];
    s.watch(namespaces, { resourceVersion: rv }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    s.create(namespaces, { metadata: { name: 'next' } });
    expect(seen).toEqual(['ADDED next']);
    expect(() => s.watch(pods, { resourceVersion: rv }, () => {})).toThrow(/too old resource version/);
  });

  it('scan reads the stored objects without copying, in list order, and list still hands out copies', () => {
    const s = createStore();
    s.create(pods, pod('b'));
    s.create(pods, { ...pod('a'), metadata: { name: 'a', namespace: 'kube-system' } });
    s.create(pods, pod('c'));
    const names = (xs: readonly any[]) => xs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names(s.scan(pods))).toEqual(['default/b', 'default/c', 'kube-system/a']);
    expect(names(s.scan(pods))).toEqual(names(s.list(pods).items));
    expect(s.scan(pods)[0]).toBe(s.scan(pods)[0]);
    expect(s.list(pods).items[0]).not.toBe(s.scan(pods)[0]);
    expect(names(s.scan(pods, { namespace: 'default' }))).toEqual(['default/b', 'default/c']);
    // An update replaces the stored object; a remove and a create change the order.
    const before = s.scan(pods)[0];
    s.mutate(pods, 'default', 'b', (o) => void (o.status.phase = 'Running'));
    expect(s.scan(pods)[0]).not.toBe(before);
    expect(before.status.phase).toBe('Pending');
    s.remove(pods, 'default', 'b');
    s.create(pods, pod('a'));
    expect(names(s.scan(pods))).toEqual(['default/a', 'default/c', 'kube-system/a']);
  });
});
