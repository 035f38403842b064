// The embedded lab's Kubernetes API server: HTTPS on loopback with its own
// CA, bearer token required on every request (kubectl sends a kubeconfig's
// token only over TLS), serving discovery, the resources in the table, pod
// logs and exec, with a scheduler and the pod runtime behind it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { isIPv4, isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject, PodRuntime } from './runtime.js';
import { createRegistry, type Registry, type ResourceDef } from './resources.js';
import { createStore, type Store } from './store.js';
import { handleAccessReview, selfSubjectAccessReviews, selfSubjectRulesReviews } from './authorization.js';
import { CORE_RESOURCES, INITIAL_NAMESPACES, namespaces as nsDef, nodes as nodesDef, pods as podsDef } from './core-resources.js';
import { createEventRecorder } from './events.js';
import { startPodController } from './pod-controller.js';
import { startNamespaceController } from './namespace-controller.js';
import type { ApiContext } from './context.js';
import type { StartController } from './controller.js';
import { parseRoute } from './routes.js';
import { handleResource } from './rest.js';
import { negotiateDiscovery, sendError, sendJson } from './http-util.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  DEFAULT_GIT_VERSION,
  versionInfo,
} from './discovery.js';
import { ApiError, badRequest, internalError, methodNotAllowed, pathNotFound, unauthorized } from './status.js';
import { createOpenApiHandler } from './openapi.js';
import { parseAttachRequest, parseExecRequest } from './exec-session.js';
import { handleProxy } from './proxy.js';
import { services as servicesDef } from './service-resources.js';
import { createTunnelWebSocketServer, parsePortForwardRequest, portForwardOverSpdy, portForwardOverWebSocket } from './portforward.js';
import { execOverSpdy } from './exec-spdy.js';
import { createExecWebSocketServer, execOverWebSocket } from './exec-websocket.js';
import { rejectUpgrade } from './upgrade-util.js';
import { createServingCerts, type ServingCerts } from './x509.js';

export interface KubeApiOptions {
  runtime: PodRuntime;
  /** v1 Node objects (see nodeObject) registered at start. */
  nodes: KubeObject[];
  /** The bearer token every request must carry. */
  token: string;
  /** Loopback only; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** What /version reports; default v1.31.0. */
  gitVersion?: string;
  /** Extra resource types served beside the core ones (Services, Deployments, ...). */
  resources?: ResourceDef[];
  /** Control loops for the extra resources (endpoints, replica sets, ...), started with the server. */
  controllers?: StartController[];
  /** Diagnostics (exec transports, runtime failures); default: none. */
  log?: (line: string) => void;
  /** Serving certificate and its CA; default: a fresh CA and certificate for the host. */
  tls?: ServingCerts;
  /** Where swagger.json and OpenAPIv2.proto are (scripts/fetch-k8s-openapi.sh); default OPENAPI_SOURCE_DIR. */
  openApiDir?: string;
  /** Log every request (method, path, status, Accept) through log. */
  logRequests?: boolean;
}

export interface KubeApi {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** PEM of the CA that signed the serving certificate; goes into the kubeconfig. */
  caCert: string;
  store: Store;
  registry: Registry;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return host === '::1';
  return false;
}

function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const got = Buffer.from(req.headers.authorization ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export async function startKubeApi(opts: KubeApiOptions): Promise<KubeApi> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`kube API: refusing to listen on ${host}: only loopback addresses (127.0.0.0/8, ::1) are allowed`);
  if (!opts.token) throw new Error('kube API: a bearer token is required');
  const expectedAuth = Buffer.from(`Bearer ${opts.token}`);
  const log = opts.log ?? (() => {});
  const gitVersion = opts.gitVersion ?? DEFAULT_GIT_VERSION;

  const store = createStore();
  const registry = createRegistry([...CORE_RESOURCES, selfSubjectAccessReviews, selfSubjectRulesReviews, ...(opts.resources ?? [])]);
  for (const ns of INITIAL_NAMESPACES) store.create(nsDef, nsDef.prepareCreate!({ metadata: { name: ns } }, { namespace: '' }));
  for (const node of opts.nodes) store.create(nodesDef, node);
  const recorder = createEventRecorder(store);
  const pods = startPodController({ store, runtime: opts.runtime, recorder, log });
  const namespaces = startNamespaceController({ store, registry, pods, log });
  const ctx: ApiContext = { store, registry, runtime: opts.runtime, pods, namespaces, log, streams: new Set() };
  const controllers = (opts.controllers ?? []).map((start) => start({ store, registry, pods, recorder, log }));
  const openapi = createOpenApiHandler({ registry, gitVersion, dir: opts.openApiDir, log });
  const wss = createExecWebSocketServer();
  const tunnels = createTunnelWebSocketServer();
  let serverAddress = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, expectedAuth)) throw unauthorized();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = parseRoute(registry, url.pathname);
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (route.kind !== 'resource' && route.kind !== 'notFound' && !isGet) throw methodNotAllowed();
    switch (route.kind) {
      case 'version':
        return sendJson(res, 200, versionInfo(gitVersion));
      case 'root': {
        const groups = registry.groups().filter((g) => g.group !== '').flatMap((g) => [`/apis/${g.group}`, ...g.versions.map((v) => `/apis/${g.group}/${v}`)]);
        return sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', ...groups, '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'].sort() });
      }
      case 'health':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return void res.end('ok');
      case 'api':
      case 'apis': {
        const aggregated = negotiateDiscovery(req.headers.accept);
        if (aggregated) return sendJson(res, 200, aggregatedDiscovery(registry, route.kind === 'api', aggregated), aggregatedContentType(aggregated));
        return sendJson(res, 200, route.kind === 'api' ? apiVersions(serverAddress) : apiGroupList(registry));
      }
      case 'group': {
        const g = registry.groups().find((x) => x.group === route.group)!;
        return sendJson(res, 200, apiGroup(g.group, g.versions));
      }
      case 'resourceList':
        return sendJson(res, 200, apiResourceList(registry, route.group, route.version));
      case 'openapi':
        return openapi.handle(route.version, route.rest, url, req, res);
      case 'resource':
        // Answered, never stored: not one of the generic REST resources.
        if ((route.def === selfSubjectAccessReviews || route.def === selfSubjectRulesReviews) && !route.name) return handleAccessReview(route.def, req, res);
        if (route.subresource === 'proxy' && route.name && (route.def === podsDef || route.def === servicesDef)) {
          return handleProxy(ctx, route.def === podsDef ? 'pods' : 'services', route.namespace, route.name, url, req, res);
        }
        return handleResource(ctx, route, url.searchParams, req, res);
      case 'notFound':
        throw pathNotFound();
    }
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!authorized(req, expectedAuth)) throw unauthorized();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = parseRoute(registry, url.pathname);
    const sub = route.kind === 'resource' && route.def === podsDef && route.name ? route.subresource : undefined;
    if (route.kind !== 'resource' || !route.name || (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward')) {
      throw badRequest(`upgrade is not supported on ${url.pathname}`);
    }
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    const websocket = upgrade === 'websocket';
    const spdy = upgrade.split(',').map((s) => s.trim()).includes('spdy/3.1');
    if (!websocket && !spdy) throw badRequest(`unable to upgrade: unsupported protocol ${JSON.stringify(req.headers.upgrade ?? '')}`);
    if (sub === 'portforward') {
      const pod = parsePortForwardRequest(ctx, route.namespace, route.name);
      return websocket ? portForwardOverWebSocket(ctx, tunnels, req, socket, head, pod) : portForwardOverSpdy(ctx, req, socket, head, pod);
    }
    const exec = (sub === 'attach' ? parseAttachRequest : parseExecRequest)(ctx, route.namespace, route.name, url.searchParams);
    return websocket ? execOverWebSocket(ctx, wss, req, socket, head, exec) : execOverSpdy(ctx, req, socket, head, exec);
  }

  const tls = opts.tls ?? createServingCerts([...new Set([host === 'localhost' ? '127.0.0.1' : host, '127.0.0.1', 'localhost'])]);
  const sockets = new Set<Socket>();
  const server = createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => {
    if (opts.logRequests) {
      res.on('finish', () => {
        const type = req.headers['content-type'] ? ` content-type=${req.headers['content-type']}` : '';
        log(`${req.method} ${req.url} ${res.statusCode} accept=${req.headers.accept ?? ''}${type}`);
      });
    }
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ApiError) return sendError(res, err);
      log(`${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
      sendError(res, internalError((err as Error).message));
    });
  });
  server.on('tlsClientError', () => {});
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if (opts.logRequests) log(`${req.method} ${req.url} upgrade=${req.headers.upgrade ?? ''}`);
    try {
      handleUpgrade(req, socket, head);
    } catch (err) {
      const e = err instanceof ApiError ? err : internalError((err as Error).message);
      if (!(err instanceof ApiError)) log(`upgrade ${req.url}: ${(err as Error).stack ?? err}`);
      rejectUpgrade(socket, e.code, e.reason, e.message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('kube API: no TCP address after listen');
  const urlHost = isIPv6(host) ? `[${host}]` : host;
  serverAddress = `${urlHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `https://${urlHost}:${address.port}`,
    port: address.port,
    caCert: tls.caCert,
    store,
    registry,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const c of controllers) c.stop();
        pods.stop();
        namespaces.stop();
        for (const s of [...ctx.streams]) s.close();
        server.close(() => resolve());
        wss.close();
        tunnels.close();
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
