// The labs name three kinds of node: `controlplane`, `node-1`, `node-2`, ...
// A real cluster has its own names (kind-control-plane, ip-10-0-1-7...). The
// role map says which real node plays which role; the facts the labs see use
// the role names, and everything sent to the cluster uses the real ones.
import { UsageError } from '../../core/errors.js';
import type { ClusterFacts, NodeFacts } from '../../core/facts.js';
import { KUBECONFIG_DEFAULTS } from './defaults.js';

/** Lab role → real node name. */
export type RoleMap = Record<string, string>;

export interface NodeRoleInput {
  name: string;
  /** node-role.kubernetes.io/* roles as kubectl shows them. */
  roles: string[];
}

const CP = KUBECONFIG_DEFAULTS.controlPlaneRole;
const worker = (i: number) => `${KUBECONFIG_DEFAULTS.workerRolePrefix}${i}`;

function isControlPlane(n: NodeRoleInput): boolean {
  return n.roles.includes('control-plane') || n.roles.includes('master');
}

export interface RoleMapping {
  roles: RoleMap;
  /** Plain sentences for `up` to print: how the map was made, what is missing. */
  notes: string[];
}

/**
 * Default: the first control-plane node (by name) is `controlplane`, the
 * other nodes that are not control planes are node-1, node-2, ... by name.
 * A cluster whose control plane is hidden (EKS, GKE, AKS) lends its first
 * node to `controlplane`. `explicit` (--nodes) gives the order instead.
 */
export function mapRoles(nodes: NodeRoleInput[], explicit?: string[]): RoleMapping {
  const notes: string[] = [];
  const names = new Set(nodes.map((n) => n.name));
  let order: string[];
  if (explicit) {
    const unknown = explicit.filter((n) => !names.has(n));
    if (unknown.length) {
      throw new UsageError(`--nodes: no node ${unknown.map((n) => `'${n}'`).join(', ')} in the cluster`, `its nodes: ${[...names].sort().join(', ')}`);
    }
    order = explicit;
    notes.push(`roles as given by --nodes`);
  } else {
    const byName = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
    const cps = byName.filter(isControlPlane);
    const workers = byName.filter((n) => !isControlPlane(n));
    if (cps.length > 0) {
      order = [cps[0]!.name, ...workers.map((n) => n.name)];
      if (cps.length > 1) notes.push(`control-plane nodes ${cps.slice(1).map((n) => n.name).join(', ')} keep their own names: labs use one control plane`);
    } else {
      order = byName.map((n) => n.name);
      if (order.length) notes.push(`no node carries the control-plane role (a managed control plane): '${CP}' in labs means ${order[0]}`);
    }
  }
  const roles: RoleMap = {};
  order.forEach((name, i) => (roles[i === 0 ? CP : worker(i)] = name));
  const workers = order.length - 1;
  if (workers < 2) {
    notes.push(
      `the cluster gives the labs ${workers < 0 ? 'no nodes' : workers === 0 ? 'a control plane and no worker' : 'one worker'}: labs that need two workers (pod-to-pod) say so and do not run`,
    );
  }
  // A node left out of the map keeps its name; it must not collide with a role another node plays.
  const clash = nodes.find((n) => !order.includes(n.name) && n.name in roles);
  if (clash) {
    throw new UsageError(
      `node '${clash.name}' has the name of a lab role that ${roles[clash.name]} plays`,
      `give every role a node with --nodes, e.g. --nodes ${order.join(',')},${clash.name}`,
    );
  }
  return { roles, notes };
}

/** Real name → role name (nodes outside the map keep their name). */
export function roleOf(roles: RoleMap, real: string): string {
  for (const [role, name] of Object.entries(roles)) if (name === real) return role;
  return real;
}

/** Role name (or a real name outside the map) → real name; undefined when neither. */
export function realOf(roles: RoleMap, name: string, realNames?: string[]): string | undefined {
  if (name in roles) return roles[name];
  if (Object.values(roles).includes(name)) return name; // a real name typed directly
  if (realNames?.includes(name)) return name;
  return undefined;
}

/** The lab's view: mapped nodes under their role names, the control-plane role where the lab expects it. */
export function renameFacts(facts: ClusterFacts, roles: RoleMap): ClusterFacts {
  const nodes = facts.nodes.map((n): NodeFacts => {
    const role = roleOf(roles, n.name);
    if (role === n.name && !(role in roles)) return n;
    // What counts for the labs is the role hoplab gave the node, not its labels.
    return { ...n, name: role, roles: role === CP ? ['control-plane'] : [] };
  });
  const order = (name: string) => {
    const i = Object.keys(roles).indexOf(name);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  nodes.sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
  return {
    ...facts,
    nodes,
    pods: facts.pods.map((p) => ({ ...p, node: roleOf(roles, p.node) })),
    hosts: facts.hosts.map((h) => (h.serves ? { ...h, serves: roleOf(roles, h.serves) } : h)),
  };
}
