// A fault of the Kubernetes datapath as plain data: what it breaks, on which
// CNI modes and providers it can be done, and — from the cluster facts — the
// commands that inject it, tell whether it is in place, and undo it, with what
// a learner should find. Commands run on a node through the provider (or are
// kubectl), so a fault never knows how a command reaches a node.
import type { ClusterFacts, CniMode } from '../core/facts.js';
import type { ProviderName } from '../providers/provider.js';

/** One command: `sh -c CMD` on a node, or kubectl arguments (split like a shell). */
export type FaultAction = { on: string; cmd: string } | { kubectl: string };

/** Where a fault goes: the node it breaks, the peer whose pods it cuts off, a third node, a Service. */
export interface FaultTarget {
  node: string;
  peer: string;
  /** A node that is neither (the control plane in the seed's cluster), for "the wrong node". */
  other: string;
  service?: string;
}

/** What the learner should find: the symptom, and where the path checker says the trace goes wrong. */
export interface Finding {
  symptom: string;
  /** The first hop the path checker marks wrong on a trace from a pod on `node` to a pod on `peer` (or the Service); absent: traces look right. */
  hop?: number;
  /** A regular expression the checker's diagnosis matches. */
  diagnosis?: string;
  /** The commands that show the cause. */
  evidence: string[];
}

export interface FaultPlan {
  inject: FaultAction[];
  /** Exits 0 while the fault is in place (verify-it-took before, "is it gone?" after a repair). */
  took: FaultAction;
  /** Undoes it; harmless when it is gone already. */
  clear: FaultAction[];
  finds: Finding;
}

export interface Fault {
  name: string;
  description: string;
  modes: readonly CniMode[];
  /** The fault needs a Service (kube-proxy's rules for it). */
  needsService?: boolean;
  /** Why a provider cannot do it (safely or at all); absent providers can. */
  refused: Partial<Record<ProviderName, string>>;
  plan(facts: ClusterFacts, target: FaultTarget, mode: CniMode): FaultPlan;
}
