// The real kubectl, pointed either at the user's own context (discovery at
// `up`) or at the lab's small kubeconfig (everything after). Every cluster
// call of the provider goes through here.
import { MachineError } from '../../core/errors.js';
import { kubectlProgram, run, type RunOptions, type RunResult } from '../../core/exec.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';


export interface Kubectl {
  /** Runs kubectl with these arguments; never throws for a non-zero exit. */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs a `-o json` command and parses its answer; throws MachineError saying what failed. */
  json(what: string, args: string[], opts?: RunOptions): Promise<unknown>;
}

/** kubectl with this environment (KUBECONFIG) and these leading flags (--context), for a server of this version when known. */
export function kubectlWith(env: Record<string, string>, leading: string[] = [], serverVersion?: string): Kubectl {
  const k: Kubectl = {
    run: (args, opts = {}) =>
      run([kubectlProgram(serverVersion), ...leading, ...args], {
        timeoutMs: KUBECONFIG_DEFAULTS.timeoutsMs.kubectl,
        ...opts,
        env: { ...env, ...opts.env },
      }),
    async json(what, args, opts) {
      const r = await k.run(args, opts);
      if (r.exitCode !== 0) throw kubectlFailure(what, r);
      return parseJson(what, r.stdout);
    },
  };
  return k;
}

function parseJson(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MachineError(`${what}: kubectl did not answer JSON: ${text.slice(0, 200)}`);
  }
}

/** kubectl's own message, without the noise of its log prefixes. */
export function kubectlMessage(r: RunResult): string {
  const text = (r.stderr || r.stdout).trim();
  const lines = text.split('\n').filter((l) => l && !/^[IW]\d{4} /.test(l));
  return (lines.join(' ') || `kubectl exited ${r.exitCode}`).slice(0, 600);
}

export function isForbidden(r: RunResult): boolean {
  return /\(Forbidden\)|is forbidden|forbidden:/i.test(r.stderr);
}

export function isNotFound(r: RunResult): boolean {
  return /\(NotFound\)|not found/i.test(r.stderr);
}

export function isUnknownResource(r: RunResult): boolean {
  return /doesn't have a resource type|the server could not find the requested resource/i.test(r.stderr);
}

/** What to try next, the same whether kubectl or hoplab's own HTTPS reads met the failure. */
export const UNREACHABLE_HINT = 'is the cluster running? `kubectl cluster-info` tells';
export const RBAC_HINT = 'see the RBAC hoplab needs in src/providers/kubeconfig/README.md';

export function kubectlFailure(what: string, r: RunResult): MachineError {
  const msg = kubectlMessage(r);
  if (/Unable to connect to the server|connection refused|no such host|i\/o timeout|dial tcp/i.test(msg)) {
    return new MachineError(`${what}: the cluster's API server cannot be reached: ${msg}`, UNREACHABLE_HINT);
  }
  if (isForbidden(r)) {
    return new MachineError(`${what}: the cluster refused it: ${msg}`, RBAC_HINT);
  }
  return new MachineError(`${what} failed: ${msg}`);
}

/**
 * `kubectl create -f - -o json` with several objects prints one JSON document
 * per object, back to back. Splits them (strings may hold braces).
 */
export function splitJsonDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(JSON.parse(text.slice(start, i + 1)));
        start = -1;
      }
    }
  }
  return out;
}
