// pods/proxy and services/proxy (what `kubectl proxy` URLs and `kubectl
// cluster-info` point at): an HTTP request passed to a pod's port, reached as
// port-forward reaches it, inside the pod's network namespace (a Service picks
// one of its ready endpoints). The response comes back as the pod sent it.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import type { ApiContext } from './context.js';
import type { KubeObject } from './runtime.js';
import { pods as podsDef } from './core-resources.js';
import { endpoints as endpointsDef, services as servicesDef } from './service-resources.js';
import { ApiError, badRequest } from './status.js';
import { sendError } from './http-util.js';

/** "name", "name:port" or "scheme:name:port", as the apiserver reads the proxy's object name. */
export function splitProxyName(text: string): { scheme: string; name: string; port: string } {
  const parts = text.split(':');
  if (parts.length === 3) return { scheme: parts[0]!, name: parts[1]!, port: parts[2]! };
  if (parts.length === 2) return { scheme: '', name: parts[0]!, port: parts[1]! };
  return { scheme: '', name: text, port: '' };
}

/** The path after …/proxy in the request's own (undecoded) form, "/" when there is none. */
export function proxyPath(pathname: string): string {
  const m = /^\/api\/v1\/namespaces\/[^/]+\/(?:pods|services)\/[^/]+\/proxy(\/.*)?$/.exec(pathname);
  return m?.[1] ?? '/';
}

function podPort(pod: KubeObject, port: string): number {
  if (port === '') {
    const first = (pod.spec?.containers ?? []).flatMap((c: KubeObject) => c.ports ?? [])[0];
    return first?.containerPort ?? 80;
  }
  if (/^\d+$/.test(port)) return Number(port);
  const named = (pod.spec?.containers ?? []).flatMap((c: KubeObject) => c.ports ?? []).find((p: KubeObject) => p.name === port);
  if (!named) throw badRequest(`no port named "${port}" on pod "${pod.metadata.name}"`);
  return named.containerPort;
}

/** A ready endpoint of the Service's port: the pod behind it and its port there. */
function serviceTarget(ctx: ApiContext, namespace: string, name: string, port: string): { pod: KubeObject; port: number } {
  const svc = ctx.store.require(servicesDef, namespace, name);
  const ports: KubeObject[] = svc.spec?.ports ?? [];
  const sp = port === '' ? ports[0] : ports.find((p) => p.name === port || String(p.port) === port);
  if (!sp) throw badRequest(`no port "${port}" on service "${name}"`);
  const ep = ctx.store.get(endpointsDef, namespace, name);
  const candidates: { podName: string; port: number }[] = [];
  for (const subset of (ep?.subsets ?? []) as KubeObject[]) {
    const p = ((subset.ports ?? []) as KubeObject[]).find((x) => (x.name ?? '') === (sp.name ?? '')) ?? (subset.ports ?? [])[0];
    if (!p) continue;
    for (const a of (subset.addresses ?? []) as KubeObject[]) if (a.targetRef?.kind === 'Pod') candidates.push({ podName: a.targetRef.name, port: p.port });
  }
  const pick = candidates[Math.floor(Math.random() * candidates.length)];
  const pod = pick && ctx.store.get(podsDef, namespace, pick.podName);
  if (!pick || !pod) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  return { pod, port: pick.port };
}

export async function handleProxy(ctx: ApiContext, kind: 'pods' | 'services', namespace: string, objectName: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { scheme, name, port } = splitProxyName(objectName);
  if (scheme && scheme !== 'http') throw badRequest(`the embedded lab proxies plain HTTP only, not ${scheme}`);
  const target = kind === 'pods' ? (() => {
    const pod = ctx.store.require(podsDef, namespace, name);
    return { pod, port: podPort(pod, port) };
  })() : serviceTarget(ctx, namespace, name, port);
  if (target.pod.status?.phase !== 'Running') throw badRequest(`pod "${target.pod.metadata.name}" is not running`);
  const conn = ctx.runtime.portForward(target.pod, target.port);
  const socket = Duplex.from({ readable: conn.output, writable: conn.input });
  // The pod closing its side early is the request's failure, never the daemon's.
  socket.on('error', () => undefined);
  const headers = { ...req.headers };
  // The lab's token is for the API, not for the pod.
  delete headers.authorization;
  delete headers.connection;
  headers.host = `${target.pod.status?.podIP ?? 'localhost'}:${target.port}`;
  await new Promise<void>((resolve) => {
    const fail = (why: string) => {
      conn.close();
      if (!res.headersSent) sendError(res, new ApiError(503, 'ServiceUnavailable', `error trying to reach ${kind === 'pods' ? 'pod' : 'service'}: ${why}`));
      else res.destroy();
      resolve();
    };
    const upstream = request(
      { method: req.method, path: proxyPath(url.pathname) + url.search, headers, createConnection: () => socket as any },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', () => {
          conn.close();
          resolve();
        });
        up.on('error', (e) => fail(e.message));
      },
    );
    upstream.on('error', async (e) => fail((await conn.failed) ?? e.message));
    res.on('close', () => conn.close());
    req.pipe(upstream);
  });
}
