// GET pods/{name}/log: the runtime's output stream, chunked, and with
// ?follow=true kept open until the container ends or the client leaves.
// tailLines, then sinceSeconds/sinceTime, pick the lines and timestamps
// prefixes them (the runtime knows when each arrived); limitBytes cuts what
// is sent, timestamps included, as kubelet does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './context.js';
import { pods as podsDef } from './core-resources.js';
import { boolParam, intParam } from './http-util.js';
import { badRequest } from './status.js';
import { parseRfc3339 } from './rfc3339.js';
import { containerHasRun, containerStatus, selectContainer, waitingReason } from './container-select.js';

/** sinceSeconds (from now) or sinceTime (RFC 3339) as nanoseconds since the epoch; at most one of them, as the apiserver allows. */
function since(query: URLSearchParams): bigint | undefined {
  const seconds = intParam(query, 'sinceSeconds');
  const time = query.get('sinceTime');
  if (seconds !== undefined && time !== null) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (seconds !== undefined) {
    if (seconds < 1) throw badRequest('sinceSeconds: Invalid value: must be greater than 0');
    return (BigInt(Date.now()) - BigInt(seconds) * 1000n) * 1_000_000n;
  }
  if (time === null) return undefined;
  const ns = parseRfc3339(time);
  if (ns === undefined) throw badRequest(`parsing time ${JSON.stringify(time)} as "2006-01-02T15:04:05Z07:00": not RFC 3339`);
  return ns;
}

export function handleLogs(ctx: ApiContext, namespace: string, name: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
  const pod = ctx.store.require(podsDef, namespace, name);
  const container = selectContainer(pod, query.get('container'));
  const previous = boolParam(query, 'previous');
  const follow = boolParam(query, 'follow');
  const tailLines = intParam(query, 'tailLines');
  if (tailLines !== undefined && tailLines < 0) throw badRequest('tailLines: Invalid value: must be greater than or equal to 0');
  const limitBytes = intParam(query, 'limitBytes');
  if (limitBytes !== undefined && limitBytes < 1) throw badRequest('limitBytes: Invalid value: must be greater than 0');
  const timestamps = boolParam(query, 'timestamps');
  const sinceNs = since(query);
  if (previous) {
    if (!containerStatus(pod, container)?.lastState?.terminated) {
      throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    }
  } else if (!containerHasRun(pod, container)) {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waitingReason(pod, container)}`);
  }

  const abort = new AbortController();
  const stream = ctx.runtime.logs(pod, container, { follow, tailLines, previous, timestamps, sinceNs, signal: abort.signal });
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let done = false;
  const entry = { close: () => finish() };
  const finish = () => {
    if (done) return;
    done = true;
    ctx.streams.delete(entry);
    abort.abort();
    stream.destroy();
    res.end();
  };
  ctx.streams.add(entry);
  res.on('close', finish);
  stream.on('error', (err) => {
    ctx.log(`logs ${namespace}/${name}: ${err.message}`);
    finish();
  });
  stream.on('end', finish);
  // --limit-bytes: the first bytes, then the response ends (kubelet cuts mid-line too).
  let left = limitBytes ?? Infinity;
  stream.on('data', (chunk: Buffer) => {
    if (done) return;
    const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= part.length;
    if (!res.write(part)) {
      stream.pause();
      res.once('drain', () => stream.resume());
    }
    if (left <= 0) finish();
  });
}
