// Whether hoplab may read the cluster over HTTPS itself instead of starting
// kubectl for every read: only when the lab's kubeconfig (flattened at `up`,
// so certificates are inline) says everything about the connection in a way
// node:https does exactly as kubectl would. Anything else (exec plugins as
// GKE and EKS use, auth providers, a proxy, a TLS server name, files) stays
// kubectl's job, so what works with kubectl keeps working. Pure.

type Obj = Record<string, any>;

/** How to reach the API server and prove who we are, from the kubeconfig alone. */
export interface ReaderPlan {
  /** The server URL without a trailing slash: API paths follow it (a path prefix, as Rancher's proxy has, stays). */
  server: string;
  /** PEM of the CA the server's certificate must chain to; absent with `insecure`. */
  ca?: string;
  insecure: boolean;
  cert?: string;
  key?: string;
  token?: string;
}

export type ReaderDecision = { plan: ReaderPlan } | { kubectl: string };

// Keys whose meaning node:https reproduces; any other key may change how kubectl connects or authenticates.
const CLUSTER_KEYS = new Set(['server', 'certificate-authority-data', 'insecure-skip-tls-verify', 'extensions']);
const USER_KEYS = new Set(['client-certificate-data', 'client-key-data', 'token', 'extensions']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (list: unknown, name: unknown): Obj | undefined =>
  Array.isArray(list) ? list.find((e) => isObj(e) && e.name === name) : undefined;
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/**
 * The parsed kubeconfig → a plan for direct reads, or why kubectl must do them.
 * `env` matters because kubectl (Go) honours HTTPS_PROXY, which node:https ignores.
 */
export function readerDecision(config: unknown, env: Record<string, string | undefined>): ReaderDecision {
  const no = (why: string): ReaderDecision => ({ kubectl: why });
  if (!isObj(config)) return no('the kubeconfig is not a mapping');
  const proxy = env.HTTPS_PROXY || env.https_proxy;
  if (proxy) return no(`HTTPS_PROXY is set (${proxy}): kubectl goes through the proxy`);
  const ctx = named(config.contexts, config['current-context'])?.context;
  if (!isObj(ctx)) return no(`no context '${String(config['current-context'])}'`);
  const cluster = named(config.clusters, ctx.cluster)?.cluster;
  if (!isObj(cluster)) return no(`no cluster '${String(ctx.cluster)}'`);
  // A context without a user is anonymous: kubectl sends no credentials either.
  let user: unknown = {};
  if (ctx.user !== undefined && ctx.user !== '') {
    const entry = named(config.users, ctx.user);
    if (!entry) return no(`no user '${String(ctx.user)}'`);
    user = entry.user ?? {};
  }
  if (!isObj(user)) return no(`the user '${String(ctx.user)}' is not a mapping`);

  const otherCluster = Object.keys(cluster).filter((k) => !CLUSTER_KEYS.has(k));
  if (otherCluster.length) return no(`the cluster entry has ${otherCluster.join(', ')}`);
  const otherUser = Object.keys(user).filter((k) => !USER_KEYS.has(k) && user[k] !== undefined && user[k] !== null && user[k] !== '');
  if (otherUser.length) return no(`the user entry has ${otherUser.join(', ')}`);

  const server = typeof cluster.server === 'string' ? cluster.server.replace(/\/+$/, '') : '';
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return no(`the server '${server}' is not a URL`);
  }
  if (url.protocol !== 'https:') return no(`the server '${server}' is not https`);

  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const caData = cluster['certificate-authority-data'];
  // kubectl refuses this pair itself: its own message is the one to show.
  if (insecure && caData) return no('the cluster entry has both certificate-authority-data and insecure-skip-tls-verify');
  // Without either, kubectl trusts the system's roots, which need not be the ones Node.js carries.
  if (!insecure && typeof caData !== 'string') return no('the cluster entry has no certificate-authority-data');

  const certData = user['client-certificate-data'];
  const keyData = user['client-key-data'];
  if (Boolean(certData) !== Boolean(keyData)) return no('the user entry has a client certificate without its key, or a key without its certificate');
  if ((certData && typeof certData !== 'string') || (keyData && typeof keyData !== 'string')) return no('the client certificate is not inline data');
  if (user.token !== undefined && typeof user.token !== 'string') return no('the token is not a string');

  return {
    plan: {
      server,
      insecure,
      ...(insecure ? {} : { ca: decode(caData) }),
      ...(certData ? { cert: decode(certData), key: decode(keyData) } : {}),
      ...(user.token ? { token: user.token } : {}),
    },
  };
}
