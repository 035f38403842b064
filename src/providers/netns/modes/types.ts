import type { IfaceFacts } from '../../../core/facts.js';
import type { ProgressEvent } from '../../provider.js';
import type { CniResult } from '../cni.js';
import type { LabPlan, NodePlan } from '../plan.js';
import type { LabPaths } from '../state.js';

/** What a CNI mode adds to a node's namespace beyond eth0/eth1. */
export interface NodeWiring {
  sysctls: [string, string][];
  /** Shell lines run before the ip batch (for steps `ip -batch` cannot express, e.g. "create unless present"). */
  prelude?: string[];
  ipBatch: string[];
  /** `bridge -batch` lines: VXLAN forwarding entries (bridge fdb). */
  bridgeBatch?: string[];
  /** iptables-restore input. */
  iptables?: string;
}

/** One pod sandbox on a node, as a CNI plugin sees it. */
export interface PodContext {
  plan: LabPlan;
  node: NodePlan;
  podNs: string; // the pod's network namespace
  containerId: string;
  /** Kubernetes namespace and name: calico names the host-side veth after them. */
  namespace: string;
  name: string;
  ipamDir: string;
}

/** How a pod's eth0 is wired, when a mode does not hand it to a CNI plugin binary. */
export interface PodWiring {
  add(ctx: PodContext, signal?: AbortSignal): Promise<CniResult>;
  del(ctx: PodContext): Promise<void>;
}

/** A routing daemon the mode runs in every node namespace (calico's BIRD). */
export interface RoutingDaemon {
  /** Starts the daemon on every node, then waits until the nodes route to each other. */
  start(plan: LabPlan, paths: LabPaths, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<void>;
}

/** What a CNI mode adds to a node beyond eth0/eth1, and how its pods are wired. */
export interface ModeWiring {
  node(plan: LabPlan, node: NodePlan): NodeWiring;
  /**
   * The CNI network configuration the node's kubelet would hand its plugin for
   * a pod, for modes whose pods a CNI plugin binary wires (flannel → bridge).
   */
  cniConfig?(plan: LabPlan, node: NodePlan, ipamDir: string): Record<string, unknown>;
  /** Pod wiring done by hoplab itself, for modes whose CNI plugin is not on the machine (calico). */
  pod?: PodWiring;
  /** The node's interfaces this mode adds (after eth0 and eth1), with their addresses. */
  interfaces(plan: LabPlan, node: NodePlan): IfaceFacts[];
  /**
   * Interfaces the kernel makes together with the node's namespace, so they
   * come before eth0 in device order (tunl0 where the ipip module is loaded).
   * The order matters: a node with no address on the way back answers from
   * the first address in it.
   */
  leadingInterfaces?(plan: LabPlan, node: NodePlan): IfaceFacts[];
  routing?: RoutingDaemon;
}
