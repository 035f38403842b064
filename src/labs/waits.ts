// Wait conditions after a command: a pod reaching a phase, a pod gone, logs
// containing a text. Polled through kubectl so they work on every provider, or
// read from the API where the provider can without starting kubectl.
import { errorMessage } from '../core/errors.js';
import { sleep, type RunContext } from './context.js';
import type { WaitCondition } from './model.js';
import type { WaitResult } from './results.js';
import { resolveTemplates } from './templates.js';

export function describeWait(w: WaitCondition): string {
  const pod = `${w.namespace ? `${w.namespace}/` : ''}${w.pod}`;
  switch (w.kind) {
    case 'pod-phase':
      return `pod ${pod} ${w.phases.join(' or ')}`;
    case 'pod-gone':
      return `pod ${pod} gone`;
    case 'logs-contain':
      return `logs of ${pod} contain ${JSON.stringify(w.text)}`;
  }
}

interface Probe {
  done: boolean;
  /** A state that can never become the wanted one (a pod Failed while waiting for Running). */
  hopeless?: boolean;
  detail: string;
}

async function podJson(ctx: RunContext, w: WaitCondition): Promise<{ notFound: boolean; pod?: any; error?: string }> {
  if (ctx.provider.readPod) {
    try {
      const pod = await ctx.provider.readPod(w.namespace ?? 'default', w.pod);
      return pod === undefined ? { notFound: true } : { notFound: false, pod };
    } catch (err) {
      return { notFound: false, error: errorMessage(err) };
    }
  }
  const r = await ctx.provider.kubectl(['get', 'pod', w.pod, '-n', w.namespace ?? 'default', '-o', 'json'], ctx.signal ? { signal: ctx.signal } : {});
  if (r.exitCode !== 0) {
    if (/NotFound|not found/i.test(r.stderr)) return { notFound: true };
    return { notFound: false, error: r.stderr.trim() || `kubectl exited ${r.exitCode}` };
  }
  try {
    return { notFound: false, pod: JSON.parse(r.stdout) };
  } catch {
    return { notFound: false, error: 'kubectl printed something that is not JSON' };
  }
}

/** Why a pod is not there yet, from its container states (ErrImagePull, CrashLoopBackOff, ...). */
function podReason(pod: any): string {
  const statuses: any[] = pod?.status?.containerStatuses ?? [];
  const reasons = statuses.map((s) => s?.state?.waiting?.reason ?? s?.state?.terminated?.reason).filter(Boolean);
  return reasons.length ? ` (${reasons.join(', ')})` : '';
}

async function probe(ctx: RunContext, w: WaitCondition): Promise<Probe> {
  if (w.kind === 'logs-contain') {
    const r = await ctx.provider.kubectl(['logs', w.pod, '-n', w.namespace ?? 'default'], ctx.signal ? { signal: ctx.signal } : {});
    const text = resolveTemplates(w.text, await ctx.facts());
    if (r.exitCode === 0 && r.stdout.includes(text)) return { done: true, detail: 'found' };
    return { done: false, detail: r.exitCode === 0 ? `not in the logs yet (${r.stdout.split('\n').length - 1} lines)` : r.stderr.trim() };
  }
  const got = await podJson(ctx, w);
  if (w.kind === 'pod-gone') {
    if (got.notFound) return { done: true, detail: 'deleted' };
    return { done: false, detail: got.error ?? `still ${got.pod?.status?.phase ?? 'there'}` };
  }
  if (got.notFound) return { done: false, detail: 'no such pod (yet)' };
  if (got.error) return { done: false, detail: got.error };
  const phase: string = got.pod?.status?.phase ?? 'Pending';
  if ((w.phases as string[]).includes(phase)) {
    // Running with containers not yet ready is not yet what a learner calls Running.
    if (phase === 'Running') {
      const statuses: any[] = got.pod?.status?.containerStatuses ?? [];
      if (statuses.length && !statuses.every((s) => s?.ready === true)) return { done: false, detail: 'Running, containers not ready' };
    }
    return { done: true, detail: phase };
  }
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  return { done: false, hopeless: terminal, detail: `${phase}${podReason(got.pod)}` };
}

export async function waitFor(ctx: RunContext, w: WaitCondition): Promise<WaitResult> {
  const condition = describeWait(w);
  const started = Date.now();
  const deadline = started + w.timeoutSec * 1000;
  ctx.emit({ type: 'wait', step: ctx.step, condition, state: 'start' });
  let last = '';
  try {
    for (;;) {
      const p = await probe(ctx, w);
      last = p.detail;
      if (p.done || p.hopeless) {
        const result = { condition, ok: p.done, detail: p.done ? p.detail : `it is ${p.detail} and cannot get there`, durationMs: Date.now() - started };
        ctx.emit({ type: 'wait', step: ctx.step, condition, state: p.done ? 'done' : 'failed', detail: result.detail });
        return result;
      }
      if (Date.now() >= deadline) break;
      await sleep(Math.min(ctx.pollMs, Math.max(0, deadline - Date.now())), ctx.signal);
    }
  } catch (err) {
    last = errorMessage(err);
    const detail = ctx.signal?.aborted ? 'cancelled' : last;
    ctx.emit({ type: 'wait', step: ctx.step, condition, state: 'failed', detail });
    return { condition, ok: false, detail, durationMs: Date.now() - started };
  }
  const detail = `not after ${w.timeoutSec} s: ${last}`;
  ctx.emit({ type: 'wait', step: ctx.step, condition, state: 'failed', detail });
  return { condition, ok: false, detail, durationMs: Date.now() - started };
}
