// One record per CNI mode: everything about a mode that more than one layer
// reads (the path engine, the netns builder, vagrant verify, kube-facts
// detection, node annotations, the topology view). Typed Record<CniMode, …>,
// here and in every per-mode map, so adding a mode to CNI_MODES is a compile
// error until each of them has its entry (see "Adding a CNI mode" in README).
import type { CniMode } from './facts.js';

export interface CniModeInfo {
  plugin: 'flannel' | 'calico';
  /**
   * How the plugin names the mode on a running cluster: flannel's
   * backend-type annotation, calico's encapsulation (which tunnel address the
   * node annotates, none for BGP).
   */
  backend: string;
  /** The device pod traffic to other nodes leaves through, when the mode tunnels. */
  tunnel?: { device: string; kind: 'vxlan' | 'ipip' };
  /** Bytes the encapsulation takes from the underlay MTU (IPIP: outer IPv4; VXLAN: outer IP+UDP+VXLAN). */
  encapOverhead: number;
  /** Kernel link types the netns provider needs to build it (probed before `up`). */
  kernelLinks: string[];
}

export const CNI_MODE_INFO: Record<CniMode, CniModeInfo> = {
  'flannel-host-gw': { plugin: 'flannel', backend: 'host-gw', encapOverhead: 0, kernelLinks: ['bridge', 'veth'] },
  'flannel-vxlan': {
    plugin: 'flannel',
    backend: 'vxlan',
    tunnel: { device: 'flannel.1', kind: 'vxlan' },
    encapOverhead: 50,
    kernelLinks: ['bridge', 'veth', 'vxlan'],
  },
  'calico-ipip': { plugin: 'calico', backend: 'ipip', tunnel: { device: 'tunl0', kind: 'ipip' }, encapOverhead: 20, kernelLinks: ['veth', 'ipip'] },
  'calico-vxlan': {
    plugin: 'calico',
    backend: 'vxlan',
    tunnel: { device: 'vxlan.calico', kind: 'vxlan' },
    encapOverhead: 50,
    kernelLinks: ['veth', 'vxlan'],
  },
  'calico-bgp': { plugin: 'calico', backend: 'bgp', encapOverhead: 0, kernelLinks: ['veth'] },
};

/** What `up` builds when neither the user nor the lab says. */
export const DEFAULT_CNI: CniMode = 'flannel-host-gw';

/** The record of a mode hoplab models, or undefined for another CNI's name ('cilium', 'flannel'). */
export function cniModeInfo(cni: string): CniModeInfo | undefined {
  return Object.hasOwn(CNI_MODE_INFO, cni) ? CNI_MODE_INFO[cni as CniMode] : undefined;
}

/** The mode a plugin's own backend name stands for (flannel 'vxlan' → flannel-vxlan). */
export function modeFromBackend(plugin: CniModeInfo['plugin'], backend: string): CniMode | undefined {
  return (Object.keys(CNI_MODE_INFO) as CniMode[]).find((m) => CNI_MODE_INFO[m].plugin === plugin && CNI_MODE_INFO[m].backend === backend);
}

/** Tunnel devices of the modelled modes and of other CNIs a kubeconfig cluster may run. */
const OTHER_TUNNELS = /^(flannel\.\d+|tunl\d+|vxlan-v6\.calico|wireguard\.cali)$/;
export function isTunnelDevice(name: string): boolean {
  return Object.values(CNI_MODE_INFO).some((i) => i.tunnel?.device === name) || OTHER_TUNNELS.test(name);
}
