// ?watch=true: newline-delimited JSON WatchEvents over a chunked response,
// as objects or, when kubectl asks for tables, as one-row Tables.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './context.js';
import type { ResourceDef } from './resources.js';
import type { ListOptions } from './store.js';
import { negotiateObject } from './http-util.js';
import { parseIncludeObject, toTable } from './tables.js';
import { ApiError, errorStatus } from './status.js';
import type { KubeObject } from './runtime.js';

export function handleWatch(
  ctx: ApiContext,
  def: ResourceDef,
  filter: ListOptions,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const rep = negotiateObject(req.headers.accept);
  const includeObject = parseIncludeObject(query.get('includeObject'));
  const encode = (obj: KubeObject): KubeObject => {
    if (rep.as === 'Table') return toTable(def, [obj], { resourceVersion: obj.metadata?.resourceVersion, includeObject });
    if (rep.as === 'PartialObjectMetadata') return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
    return obj;
  };

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let done = false;
  let unsubscribe: () => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const entry = { close: () => finish() };
  const finish = () => {
    if (done) return;
    done = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
    ctx.streams.delete(entry);
    res.end();
  };
  ctx.streams.add(entry);
  res.on('close', finish);

  const timeout = Number(query.get('timeoutSeconds') ?? '');
  if (Number.isFinite(timeout) && timeout > 0) timer = setTimeout(finish, timeout * 1000);

  try {
    unsubscribe = ctx.store.watch(def, { ...filter, resourceVersion: query.get('resourceVersion') ?? undefined }, (ev) => {
      if (!done) res.write(`${JSON.stringify({ type: ev.type, object: encode(ev.object) })}\n`);
    });
  } catch (err) {
    // The apiserver reports a watch that cannot start (410 Expired) as an ERROR event.
    if (err instanceof ApiError) res.write(`${JSON.stringify({ type: 'ERROR', object: errorStatus(err) })}\n`);
    else ctx.log(`watch ${def.plural}: ${(err as Error).message}`);
    finish();
  }
}
