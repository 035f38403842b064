// The kubeconfig provider's tunables, kept as data in defaults.json beside this file.
import defaults from './defaults.json' with { type: 'json' };

/** How a node command runs inside the debug pod: with the image's tools, or the node's own (`chroot /host`). */
export type NodeExecMode = 'image' | 'chroot';

export interface KubeconfigDefaults {
  /** Needs sh, iproute2 (ip -j, bridge), ping and traceroute; nicolaka/netshoot (Alpine + iproute2, iputils, mtr, tcpdump, bird) has them all. */
  debugImage: string;
  nodeExec: NodeExecMode;
  namespacePrefix: string;
  labels: { managedBy: string; lab: string; nodeShell: string };
  managedByValue: string;
  controlPlaneRole: string;
  workerRolePrefix: string;
  debugContainer: string;
  /** The debug pod's own `sleep`: it ends by itself even if hoplab never comes back. */
  debugPodLifetimeSeconds: number;
  /** A debug pod closer than this to its end is replaced, not reused. */
  debugPodReuseMarginSeconds: number;
  systemNamespace: string;
  clusterDns: { namespace: string; service: string };
  flannelConfigMaps: { namespace: string; name: string }[];
  timeoutsMs: { kubectl: number; podStart: number; pollInterval: number; namespaceDelete: number; nodeCommand: number };
}

export const KUBECONFIG_DEFAULTS: KubeconfigDefaults = defaults as KubeconfigDefaults;
