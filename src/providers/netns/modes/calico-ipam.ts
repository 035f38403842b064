// Calico's addressing in the lab. Calico's IPAM hands each node /26 blocks
// from the pool and routes per block: `<block> via <node>` on the peers and a
// blackhole for the block on its own node, /32 routes for the pods inside it.
// hoplab gives node N the first /26 of its Kubernetes pod CIDR 10.244.N.0/24:
// the routes have calico's shape (/26 blocks, blackholes), while every pod IP
// still lies inside its node's podCIDR, so `kubectl get nodes` and the pod IPs
// tell one story. Like calico, the block's first address (10.244.N.0) is the
// node's tunnel address in IPIP and VXLAN mode; pods get .1 to .62.
import { createHash } from 'node:crypto';
import { nthAddress, type NodePlan } from '../plan.js';

export const CALICO_BLOCK_PREFIX = 26;
/** The gateway every calico pod routes through; nothing holds it, the cali veth answers ARP for it by proxy. */
export const CALICO_POD_GATEWAY = '169.254.1.1';
/** MAC of every host-side cali veth. */
export const CALI_MAC = 'ee:ee:ee:ee:ee:ee';
/** AS number of calico's default node-to-node mesh. */
export const CALICO_AS = 64512;

export function calicoBlock(node: NodePlan): string {
  return `${nthAddress(node.podCIDR, 0)}/${CALICO_BLOCK_PREFIX}`;
}

/** The node's IPIP / VXLAN tunnel address: the first address of its block. */
export function calicoTunnelAddress(node: NodePlan): string {
  return nthAddress(node.podCIDR, 0);
}

/**
 * Host-side veth name, as calico derives it: "cali" and the first 11 hex
 * digits of SHA-1 over "<namespace>.<pod name>" (15 characters, the kernel's
 * limit for interface names).
 */
export function caliName(namespace: string, pod: string): string {
  return `cali${createHash('sha1').update(`${namespace}.${pod}`).digest('hex').slice(0, 11)}`;
}

/** host-local IPAM configuration handing out the node's block. */
export function calicoIpamConfig(node: NodePlan, ipamDir: string): Record<string, unknown> {
  return {
    cniVersion: '1.0.0',
    name: 'k8s-pod-network',
    type: 'host-local',
    ipam: {
      type: 'host-local',
      // A gateway outside the block keeps host-local from reserving .1 for one.
      ranges: [[{ subnet: calicoBlock(node), gateway: CALICO_POD_GATEWAY }]],
      dataDir: ipamDir,
    },
  };
}
