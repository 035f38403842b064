// A v1 Node as a kubeadm-built node on containerd reports itself: labels,
// the control-plane taint, addresses, podCIDR, conditions, nodeInfo, and the
// annotations its CNI writes (flannel's public-ip and backend, calico's
// address and tunnel address), which lab tools and users read back.
import { CNI_MODE_INFO, cniModeInfo } from '../core/cni-modes.js';
import { cpus, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { NodeFacts } from '../core/facts.js';
import { ifaceAddress } from '../core/facts.js';
import type { KubeObject } from './runtime.js';
import { rfc3339 } from './meta.js';

export interface NodeObjectOptions {
  /** A CniMode (flannel-host-gw, flannel-vxlan, calico-ipip, calico-vxlan, calico-bgp) or another CNI name. */
  cni: string;
  kubeletVersion: string;
  /** Default containerd://1.7.24. */
  containerRuntimeVersion?: string;
  /** Default: PRETTY_NAME from /etc/os-release. */
  osImage?: string;
  /** Default: this machine's kernel (os.release()). */
  kernelVersion?: string;
  /** MAC of flannel.1, for flannel's VXLAN backend-data (VtepMAC). */
  vtepMAC?: string;
  /** Default: now. */
  creationTimestamp?: string;
}

function osImageOfHost(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const m = text.match(/^PRETTY_NAME="?([^"\n]*)"?$/m);
    if (m?.[1]) return m[1];
  } catch {
    // fall through
  }
  return 'Linux';
}

function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
}

function prefixOf(node: NodeFacts, address: string): number {
  return node.interfaces.find((i) => i.address === address)?.prefixLength ?? 24;
}

/** The annotations a node of this CNI carries on a real cluster. */
export function cniAnnotations(node: NodeFacts, cni: string, vtepMAC?: string): Record<string, string> {
  const info = cniModeInfo(cni);
  if (info?.plugin === 'flannel') {
    const vxlan = info.tunnel?.kind === 'vxlan';
    const backendData = vxlan ? JSON.stringify({ VNI: 1, ...(vtepMAC ? { VtepMAC: vtepMAC } : {}) }) : 'null';
    return {
      'flannel.alpha.coreos.com/backend-data': backendData,
      'flannel.alpha.coreos.com/backend-type': info.backend,
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': node.internalIP,
    };
  }
  if (info?.plugin === 'calico') {
    const out: Record<string, string> = {
      'projectcalico.org/IPv4Address': `${node.internalIP}/${prefixOf(node, node.internalIP)}`,
    };
    const ipip = ifaceAddress(node, CNI_MODE_INFO['calico-ipip'].tunnel!.device);
    const vxlan = ifaceAddress(node, CNI_MODE_INFO['calico-vxlan'].tunnel!.device);
    if (ipip) out['projectcalico.org/IPv4IPIPTunnelAddr'] = ipip;
    if (vxlan) out['projectcalico.org/IPv4VXLANTunnelAddr'] = vxlan;
    return out;
  }
  return {};
}

export function nodeObject(node: NodeFacts, opts: NodeObjectOptions): KubeObject {
  const controlPlane = node.roles.includes('control-plane');
  const created = opts.creationTimestamp ?? rfc3339();
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': goArch(),
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': goArch(),
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
  };
  for (const role of node.roles) labels[`node-role.kubernetes.io/${role}`] = '';
  if (controlPlane) labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';

  const capacity = {
    cpu: String(cpus().length),
    'ephemeral-storage': '20470152Ki',
    'hugepages-2Mi': '0',
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: '110',
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: created,
    lastTransitionTime: created,
    reason,
    message,
  });

  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      creationTimestamp: created,
      labels,
      annotations: {
        ...cniAnnotations(node, opts.cni, opts.vtepMAC),
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: node.podCIDR,
      podCIDRs: [node.podCIDR],
      ...(controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
      allocatable: capacity,
      capacity,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: goArch(),
        bootID: '',
        containerRuntimeVersion: opts.containerRuntimeVersion ?? 'containerd://1.7.24',
        kernelVersion: opts.kernelVersion ?? release(),
        kubeProxyVersion: opts.kubeletVersion,
        kubeletVersion: opts.kubeletVersion,
        machineID: '',
        operatingSystem: 'linux',
        osImage: opts.osImage ?? osImageOfHost(),
        systemUUID: '',
      },
    },
  };
}
