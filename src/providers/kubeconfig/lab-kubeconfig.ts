// The lab's own kubeconfig: the user's chosen context, minified and
// flattened by kubectl itself (so relative certificate paths and exec
// plugins keep working), renamed hoplab-<lab> and with the lab's namespace
// set, so a plain `kubectl run` lands there. The user's kubeconfig is only read.
import yaml from 'js-yaml';
import { MachineError, UsageError } from '../../core/errors.js';
import { kubectlMessage, kubectlWith } from './kubectl.js';

export interface ContextInfo {
  /** The user's context name. */
  context: string;
  server: string;
  /** The kubeconfig to write for the lab. */
  text: string;
}

type Obj = Record<string, any>;

/** Pure: the minified config kubectl printed → the lab's config text. */
export function labKubeconfigText(minified: Obj, labContext: string, namespace: string): { context: string; server: string; text: string } {
  const contexts: Obj[] = Array.isArray(minified.contexts) ? minified.contexts : [];
  const clusters: Obj[] = Array.isArray(minified.clusters) ? minified.clusters : [];
  if (contexts.length !== 1) throw new MachineError(`kubectl config view --minify returned ${contexts.length} contexts, expected 1`);
  const ctx = contexts[0]!;
  const cluster = clusters.find((c) => c.name === ctx.context?.cluster);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters,
    users: Array.isArray(minified.users) ? minified.users : [],
    contexts: [{ name: labContext, context: { ...ctx.context, namespace } }],
    'current-context': labContext,
  };
  return { context: String(ctx.name), server: String(cluster?.cluster?.server ?? ''), text: yaml.dump(config, { lineWidth: -1 }) };
}

/** Reads the user's context through `kubectl config view` and builds the lab's kubeconfig from it. */
export async function readUserContext(files: string[], context: string | undefined, labContext: string, namespace: string): Promise<ContextInfo> {
  const k = kubectlWith({ KUBECONFIG: files.join(':') });
  const args = ['config', 'view', '--minify', '--flatten', '-o', 'json', ...(context ? ['--context', context] : [])];
  const r = await k.run(args);
  if (r.exitCode !== 0) {
    const msg = kubectlMessage(r);
    if (/current-context must exist/i.test(msg)) {
      throw new UsageError(`${files.join(':')} has no current context`, "pick one with --context NAME ('kubectl config get-contexts' lists them)");
    }
    if (context && /context was not found|no context exists/i.test(msg)) {
      throw new UsageError(`--context '${context}': no such context in ${files.join(':')}`, "'kubectl config get-contexts' lists them");
    }
    throw new MachineError(`reading the kubeconfig failed: ${msg}`);
  }
  let parsed: Obj;
  try {
    parsed = JSON.parse(r.stdout) as Obj;
  } catch {
    throw new MachineError(`kubectl config view did not answer JSON: ${r.stdout.slice(0, 200)}`);
  }
  return labKubeconfigText(parsed, labContext, namespace);
}
