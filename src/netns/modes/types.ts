import type { LabPlan, NodePlan } from '../plan.js';

/** What a CNI mode adds to a node beyond eth0/eth1, and how its pods are wired. */
export interface ModeWiring {
  node(plan: LabPlan, node: NodePlan): { sysctls: [string, string][]; ipBatch: string[]; iptables?: string };
  /** The CNI network configuration the node's kubelet would hand its plugin for a pod. */
  cniConfig(plan: LabPlan, node: NodePlan, ipamDir: string): Record<string, unknown>;
  /** Kernel link types the mode needs, probed before `up`. */
  kernelLinks: string[];
}
