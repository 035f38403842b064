// The lab's namespace on a shared cluster: created with hoplab's labels, or
// an existing one a cluster admin handed out (--namespace). `down` deletes
// it only when its labels say this lab made it; nothing else is ever deleted.
import { MachineError, UsageError } from '../../core/errors.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';
import { isForbidden, isNotFound, kubectlFailure, kubectlMessage, type Kubectl } from './kubectl.js';
import { hoplabCmd } from '../../core/suggest.js';

const L = KUBECONFIG_DEFAULTS.labels;
export const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

type Obj = Record<string, any>;

export function namespaceManifest(name: string, lab: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [L.managedBy]: KUBECONFIG_DEFAULTS.managedByValue, [L.lab]: lab } },
  };
}

/** Whose is this namespace? */
export function ownerOf(ns: Obj, lab: string): 'this-lab' | 'other-lab' | 'not-hoplab' {
  const labels: Record<string, string> = ns?.metadata?.labels ?? {};
  if (labels[L.managedBy] !== KUBECONFIG_DEFAULTS.managedByValue) return 'not-hoplab';
  return labels[L.lab] === lab ? 'this-lab' : 'other-lab';
}

/** The Pod Security level enforced on the namespace by its label (absent: the cluster's default, often privileged). */
export function enforcedLevel(ns: Obj): string | undefined {
  return ns?.metadata?.labels?.[PSA_ENFORCE];
}

export async function readNamespace(k: Kubectl, name: string): Promise<Obj | undefined> {
  const r = await k.run(['get', 'namespace', name, '-o', 'json']);
  if (r.exitCode === 0) return JSON.parse(r.stdout) as Obj;
  if (isNotFound(r)) return undefined;
  throw kubectlFailure(`reading namespace ${name}`, r);
}

export interface NamespaceUse {
  created: boolean;
  object: Obj;
  notes: string[];
}

/**
 * Makes sure the lab has its namespace. `given`: the user named it with
 * --namespace, so an existing namespace hoplab did not make may be used
 * (and is then left in place at down).
 */
export async function ensureNamespace(k: Kubectl, name: string, lab: string, given: boolean): Promise<NamespaceUse> {
  let existing: Obj | undefined;
  try {
    existing = await readNamespace(k, name);
  } catch (err) {
    // Without `get namespaces` (a learner's narrow Role), try creating; the answer tells.
    if (!(err instanceof MachineError && /refused/.test(err.message))) throw err;
  }
  if (existing) {
    const owner = ownerOf(existing, lab);
    if (owner === 'this-lab') return { created: true, object: existing, notes: [`namespace ${name} is already there from an earlier up; hoplab uses it`] };
    if (owner === 'other-lab') {
      throw new UsageError(
        `namespace ${name} belongs to hoplab lab '${existing.metadata.labels[L.lab]}'`,
        `bring that lab down first, or give this one another --namespace`,
      );
    }
    if (!given) {
      throw new UsageError(`namespace ${name} exists and hoplab did not create it`, `to run the labs in it anyway, name it: --namespace ${name} (hoplab then leaves it in place at down)`);
    }
    return { created: false, object: existing, notes: [`namespace ${name} exists and was not made by hoplab: the labs run in it, and down leaves it in place`] };
  }
  const manifest = namespaceManifest(name, lab);
  const r = await k.run(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify(manifest) });
  if (r.exitCode === 0) return { created: true, object: JSON.parse(r.stdout) as Obj, notes: [`created namespace ${name}`] };
  if (isForbidden(r)) {
    throw new MachineError(
      `your credentials may not create namespace ${name}: ${kubectlMessage(r)}`,
      `ask a cluster admin to create it for you (see the RBAC in the kubeconfig provider's README), then: ${hoplabCmd(lab, `up --provider kubeconfig --namespace ${name}`)}`,
    );
  }
  throw kubectlFailure(`creating namespace ${name}`, r);
}

/**
 * At down: deletes the namespace if (and only if) its labels still say this
 * lab made it; otherwise only what carries the lab's label inside it.
 * Returns what was done, for the progress line.
 */
export async function releaseNamespace(k: Kubectl, name: string, lab: string): Promise<string> {
  const ns = await readNamespace(k, name);
  if (!ns) return `namespace ${name} is already gone`;
  if (ownerOf(ns, lab) !== 'this-lab') {
    const r = await k.run(['delete', 'pods', '-n', name, '-l', `${L.lab}=${lab}`, '--ignore-not-found', '--wait=false']);
    if (r.exitCode !== 0 && !isNotFound(r)) throw kubectlFailure(`deleting the lab's objects in ${name}`, r);
    return `namespace ${name} was not made by hoplab: left in place, the lab's labelled pods deleted`;
  }
  const r = await k.run(['delete', 'namespace', name, '--wait=true', `--timeout=${Math.round(KUBECONFIG_DEFAULTS.timeoutsMs.namespaceDelete / 1000)}s`], {
    timeoutMs: KUBECONFIG_DEFAULTS.timeoutsMs.namespaceDelete + 10_000,
  });
  if (r.exitCode !== 0 && !isNotFound(r)) throw kubectlFailure(`deleting namespace ${name}`, r);
  return `deleted namespace ${name}`;
}
