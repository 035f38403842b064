// hoplab's own reads of the cluster over HTTPS, on one keep-alive
// connection, and its own commands in pods over the exec subresource, where
// reader-plan.ts allows them: a kubectl process costs ~0.14 s of CPU per call
// (and longer on a remote cluster), and the labs read facts, poll pods and
// run commands on nodes (in their debug pods) at every step. Writes and logs
// stay kubectl's, as does whatever the learner types.
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import yaml from 'js-yaml';
import { MachineError } from '../../core/errors.js';
import type { RunOptions, RunResult } from '../../core/exec.js';
import { execOverApi, type ApiConnection, type PodRef } from '../../kube/exec-client.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';
import { isNotFound, kubectlFailure, RBAC_HINT, UNREACHABLE_HINT, type Kubectl } from './kubectl.js';
import { readerDecision, type ReaderPlan } from './reader-plan.js';

type Obj = Record<string, any>;

export interface ApiReader {
  /** GET one API path as answered: its status and JSON body (none when it was not JSON); only no answer throws (a MachineError). */
  read(what: string, path: string): Promise<{ status: number; body?: Obj }>;
  /** GET one API path: 200 → its body, 404 → undefined; anything else, or no answer, throws a MachineError saying what failed. */
  get(what: string, path: string): Promise<Obj | undefined>;
  /** A list's items, each with the kind and apiVersion a kubectl List gives it: the API leaves them out of a list's items. */
  list(what: string, path: string, kind: string, apiVersion?: string): Promise<Obj[]>;
  /**
   * `kubectl exec` without kubectl: the result as kubectl would give it, or
   * undefined when this server does not take exec over WebSocket (then, and
   * from then on, kubectl runs the command).
   */
  exec(pod: PodRef, argv: string[], opts?: RunOptions): Promise<RunResult | undefined>;
  /** Drops the idle connection (it never keeps the process alive: Node unrefs idle keep-alive sockets). */
  close(): void;
}

/** Why a request got no answer, as kubectlFailure words kubectl's own failures. */
function networkFailure(what: string, err: NodeJS.ErrnoException): MachineError {
  const code = err.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) {
    return new MachineError(`${what}: TLS with the cluster's API server failed: ${err.message}`, "the lab's kubeconfig no longer matches the server's certificate? `hoplab up` again writes it anew");
  }
  return new MachineError(`${what}: the cluster's API server cannot be reached: ${err.message}`, UNREACHABLE_HINT);
}

function statusFailure(what: string, status: number, body: Obj | undefined): MachineError {
  const msg = typeof body?.message === 'string' ? body.message : '';
  if (status === 403) return new MachineError(`${what}: the cluster refused it: ${msg || 'Forbidden'}`, RBAC_HINT);
  if (status === 401) return new MachineError(`${what}: the cluster did not accept the lab's credentials: ${msg || 'Unauthorized'}`);
  return new MachineError(`${what} failed: the API server answered ${status}${msg ? `: ${msg}` : ''}`);
}

export function createApiReader(plan: ReaderPlan, timeoutMs = KUBECONFIG_DEFAULTS.timeoutsMs.kubectl): ApiReader {
  const agent = new Agent({ keepAlive: true });
  const tls = {
    rejectUnauthorized: !plan.insecure,
    ...(plan.ca ? { ca: plan.ca } : {}),
    ...(plan.cert ? { cert: plan.cert, key: plan.key } : {}),
  };
  const { server, ...auth } = plan;
  const connection: ApiConnection = { url: server, ...auth };
  const headers = { accept: 'application/json', 'user-agent': 'hoplab', ...(plan.token ? { authorization: `Bearer ${plan.token}` } : {}) };

  function send(what: string, path: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${plan.server}${path}`, { method: 'GET', agent, headers, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(networkFailure(what, err)));
      });
      // The whole request, as kubectl's timeout bounds its whole run: a stalled API is an error, not a hang.
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      timer.unref();
      req.on('error', (err) => reject(networkFailure(what, err)));
      req.on('close', () => clearTimeout(timer));
      req.end();
    });
  }

  const reader: ApiReader = {
    async read(what, path) {
      const { status, text } = await send(what, path);
      try {
        return { status, body: JSON.parse(text) as Obj };
      } catch {
        if (status === 200) throw new MachineError(`${what}: the API server did not answer JSON: ${text.slice(0, 200)}`);
        return { status };
      }
    },
    async get(what, path) {
      const { status, body } = await reader.read(what, path);
      if (status === 200) return body;
      if (status === 404) return undefined;
      throw statusFailure(what, status, body);
    },
    async list(what, path, kind, apiVersion = 'v1') {
      const body = await reader.get(what, path);
      // A list is never 404 for a namespace that is merely empty: 404 is a resource the server does not have.
      if (!body) throw statusFailure(what, 404, { message: `the server could not find ${path}` });
      return withKinds(body, kind, apiVersion).items;
    },
    async exec(pod, argv, opts = {}) {
      const input = opts.input !== undefined;
      if (noExec || (input && noExecWithInput)) return undefined;
      const r = await execOverApi(connection, pod, argv, opts);
      if (!('unsupported' in r)) return r;
      // A server without v5 still runs commands without input (over v4).
      if (r.thisCallOnly) return undefined;
      if (input) noExecWithInput = true;
      else noExec = true;
      return undefined;
    },
    close: () => agent.destroy(),
  };
  let noExec = false;
  let noExecWithInput = false;
  return reader;
}

/** A list as kubectl prints it: the API leaves each item's kind and apiVersion out, kubectl puts them in. */
export function withKinds(list: Obj, kind: string, apiVersion: string): Obj & { items: Obj[] } {
  const items: unknown[] = Array.isArray(list.items) ? list.items : [];
  return { ...list, items: items.map((o) => ({ kind, apiVersion, ...(o as Obj) })) };
}

/** An API path in namespace `ns`: /api/v1/namespaces/NS/RESOURCE, or one object of it. */
export function namespacedPath(ns: string, resource: string, name?: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** One pod as the API has it, undefined when there is none: over HTTPS with a reader, else `kubectl get pod -o json`. */
export async function readOnePod(via: { k: Kubectl; api?: ApiReader }, ns: string, name: string, what: string): Promise<Obj | undefined> {
  if (via.api) return via.api.get(what, namespacedPath(ns, 'pods', name));
  const r = await via.k.run(['get', 'pod', name, '-n', ns, '-o', 'json']);
  if (r.exitCode !== 0) {
    if (isNotFound(r)) return undefined;
    throw kubectlFailure(what, r);
  }
  try {
    return JSON.parse(r.stdout) as Obj;
  } catch {
    throw new MachineError(`${what}: kubectl did not answer JSON: ${r.stdout.slice(0, 200)}`);
  }
}

/** The kubeconfig's text → a reader, or undefined when kubectl must do the reads (see reader-plan.ts). */
export function readerFromKubeconfig(text: string, env: Record<string, string | undefined>): ApiReader | undefined {
  let config: unknown;
  try {
    config = yaml.load(text);
  } catch {
    return undefined; // kubectl says what is wrong with it
  }
  const decision = readerDecision(config, env);
  return 'plan' in decision ? createApiReader(decision.plan) : undefined;
}

/**
 * The lab's reader, made again only when its kubeconfig file changed (a TUI
 * session may `up` the lab again), so that one connection serves a whole run.
 */
export function labApiReader(kubeconfigFile: string, env: Record<string, string | undefined> = process.env): () => Promise<ApiReader | undefined> {
  let cached: { text: string; reader: ApiReader | undefined } | undefined;
  return async () => {
    const text = await readFile(kubeconfigFile, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    if (cached?.text !== text) {
      cached?.reader?.close();
      cached = { text, reader: readerFromKubeconfig(text, env) };
    }
    return cached.reader;
  };
}
