// What the user's credentials allow, asked before acting: one
// SelfSubjectAccessReview per permission (what `kubectl auth can-i` sends),
// then a server-side dry run of the node debug pod, which runs the admission
// chain (Pod Security, policy webhooks, OpenShift SCCs) without creating it.
// From the answers: which kinds of lab step can run here. Pure but for askAccess.
import type { Refusals } from '../provider.js';
import { MachineError } from '../../core/errors.js';
import type { Kubectl } from './kubectl.js';
import { kubectlMessage, splitJsonDocuments } from './kubectl.js';

/** What a permission is needed for. */
export type Need = 'discover' | 'create-namespace' | 'delete-namespace' | 'kubectl' | 'pods' | 'nodes' | 'cni-agents';

export interface Permission {
  id: string;
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  /** In the lab's namespace; absent: cluster-wide. */
  namespaced: boolean;
  /** For a permission on one object (the lab's namespace). */
  name?: 'namespace';
  need: Need;
  /** What hoplab does with it, for the refusal message. */
  why: string;
}

export const PERMISSIONS: Permission[] = [
  { id: 'list-nodes', verb: 'list', resource: 'nodes', namespaced: false, need: 'discover', why: 'read the nodes (roles, InternalIP, podCIDR, CNI annotations)' },
  { id: 'create-namespaces', verb: 'create', resource: 'namespaces', namespaced: false, need: 'create-namespace', why: "create the lab's namespace" },
  { id: 'delete-namespace', verb: 'delete', resource: 'namespaces', namespaced: false, name: 'namespace', need: 'delete-namespace', why: "delete the lab's namespace at down" },
  { id: 'create-pods', verb: 'create', resource: 'pods', namespaced: true, need: 'kubectl', why: 'start the pods the labs ask for' },
  { id: 'list-pods', verb: 'list', resource: 'pods', namespaced: true, need: 'kubectl', why: 'see the lab pods and their addresses' },
  { id: 'delete-pods', verb: 'delete', resource: 'pods', namespaced: true, need: 'kubectl', why: 'remove the pods a step replaces' },
  { id: 'get-logs', verb: 'get', resource: 'pods', subresource: 'log', namespaced: true, need: 'kubectl', why: 'read pod output (kubectl logs)' },
  { id: 'exec-pods', verb: 'create', resource: 'pods', subresource: 'exec', namespaced: true, need: 'pods', why: 'run commands in pods and in the node debug pods (kubectl exec)' },
  { id: 'list-all-pods', verb: 'list', resource: 'pods', namespaced: false, need: 'cni-agents', why: "find the CNI's agent pods in every namespace" },
];

export interface AccessReport {
  /** By permission id: allowed, or the reason it is not. */
  allowed: Record<string, boolean>;
  /** Why the debug pod's dry run was refused (Pod Security, a policy), if it was. */
  nodePodRefusal?: string;
  /** false when the cluster could not answer access reviews (then hoplab just tries). */
  reviewed: boolean;
}

/** The SelfSubjectAccessReviews for these permissions, as one List for `kubectl create -f -`. */
export function accessReviews(perms: Permission[], namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: perms.map((p) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          verb: p.verb,
          resource: p.resource,
          ...(p.group ? { group: p.group } : {}),
          ...(p.subresource ? { subresource: p.subresource } : {}),
          ...(p.namespaced ? { namespace } : {}),
          ...(p.name === 'namespace' ? { name: namespace } : {}),
        },
      },
    })),
  };
}

/** The answers in request order → allowed per permission id. */
export function readReviews(perms: Permission[], answers: unknown[]): Record<string, boolean> {
  if (answers.length !== perms.length) throw new Error(`expected ${perms.length} access review answers, got ${answers.length}`);
  return Object.fromEntries(perms.map((p, i) => [p.id, (answers[i] as any)?.status?.allowed === true]));
}

/** Asks the cluster; a cluster that cannot answer reviews gets `reviewed: false` and everything assumed allowed. */
export async function askAccess(k: Kubectl, namespace: string, perms: Permission[] = PERMISSIONS): Promise<AccessReport> {
  const r = await k.run(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify(accessReviews(perms, namespace)) });
  if (r.exitCode !== 0) {
    if (/Unable to connect|connection refused/i.test(r.stderr)) throw new MachineError(`the cluster cannot be reached: ${kubectlMessage(r)}`);
    return { allowed: Object.fromEntries(perms.map((p) => [p.id, true])), reviewed: false };
  }
  return { allowed: readReviews(perms, splitJsonDocuments(r.stdout)), reviewed: true };
}

function denied(report: AccessReport, need: Need): Permission[] {
  return PERMISSIONS.filter((p) => p.need === need && report.allowed[p.id] === false);
}

function list(perms: Permission[]): string {
  return perms.map((p) => `${p.verb} ${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.namespaced ? '' : ' (cluster-wide)'}`).join(', ');
}

/** Why kubectl steps cannot run, or undefined when they can. */
export function kubectlRefusal(report: AccessReport): string | undefined {
  const d = denied(report, 'kubectl');
  return d.length ? `your credentials may not ${list(d)} in the lab's namespace` : undefined;
}

export function podRefusal(report: AccessReport): string | undefined {
  const d = [...denied(report, 'kubectl'), ...denied(report, 'pods')];
  return d.length ? `your credentials may not ${list(d)} in the lab's namespace` : undefined;
}

/** Why commands on nodes cannot run here (RBAC or admission), or undefined. */
export function nodeRefusal(report: AccessReport): string | undefined {
  const rbac = podRefusal(report);
  if (rbac) return `${rbac}, which the node debug pods need`;
  if (report.nodePodRefusal) return report.nodePodRefusal;
  return undefined;
}

/** Why each kind of command cannot reach the cluster with this access; absent where it can. */
export function refusalsOf(report: AccessReport): Refusals {
  const out: Refusals = { hosts: 'it runs on a lab host (NAT router, registry), which only the embedded lab has' };
  const kubectl = kubectlRefusal(report);
  const pods = podRefusal(report);
  const nodes = nodeRefusal(report);
  if (kubectl) out.kubectl = kubectl;
  if (pods) out.pods = pods;
  if (nodes) out.nodes = nodes;
  return out;
}
