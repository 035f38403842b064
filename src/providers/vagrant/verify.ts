// After provisioning: does the cluster really use the host-only network the
// way the seed describes? Pure checks over what the API and each node report.
import { CNI_MODE_INFO } from '../../core/cni-modes.js';
import type { CniMode } from '../../core/facts.js';
import { detectCni, nodeInternalIP, readCniAnnotations } from '../kube-facts.js';
import { linkWithAddress, type LinkInfo, type RouteInfo } from '../ip-json.js';

export interface VerifyCheck {
  check: 'internal-ip' | 'host-only-interface' | 'cni-binding' | 'backend' | 'mtu';
  node?: string;
  ok: boolean;
  detail: string;
}

export interface NodeObservation {
  name: string;
  /** The host-only address Vagrant gave it (vagrant/settings.yaml). */
  expectedIP: string;
  links: LinkInfo[];
  routes: RouteInfo[];
}

export interface VerifyInput {
  cni: CniMode;
  /** Items of `kubectl get nodes -o json` and of the CNI's pods. */
  kubeNodes: Record<string, unknown>[];
  kubePods: Record<string, unknown>[];
  nodes: NodeObservation[];
}

function kubeName(n: Record<string, unknown>): string {
  return String((n.metadata as { name?: string } | undefined)?.name ?? '');
}

export function verifyNetwork(input: VerifyInput): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const byName = new Map(input.kubeNodes.map((n) => [kubeName(n), n]));
  const hostIface = new Map<string, LinkInfo>();

  for (const obs of input.nodes) {
    const kn = byName.get(obs.name);
    const ip = kn ? nodeInternalIP(kn) : undefined;
    checks.push({
      check: 'internal-ip',
      node: obs.name,
      ok: ip === obs.expectedIP,
      detail: !kn
        ? 'the node is not registered with the API server'
        : ip === obs.expectedIP
          ? `InternalIP ${ip}`
          : `InternalIP is ${ip ?? '(none)'}, expected the host-only ${obs.expectedIP}: kubelet --node-ip was not applied (/etc/default/kubelet)`,
    });
    const link = linkWithAddress(obs.links, obs.expectedIP);
    if (link) hostIface.set(obs.name, link);
    checks.push({
      check: 'host-only-interface',
      node: obs.name,
      ok: Boolean(link),
      detail: link ? `${obs.expectedIP} is on ${link.name} (mtu ${link.mtu})` : `no interface holds ${obs.expectedIP}`,
    });
  }

  const detected = detectCni(input.kubeNodes, input.kubePods);
  checks.push({
    check: 'backend',
    ok: detected.cni === input.cni,
    detail: detected.cni === input.cni ? `${detected.cni} as asked` : `asked for ${input.cni}, the cluster runs ${detected.cni} (${detected.evidence.join('; ')})`,
  });

  const others = (name: string) => input.nodes.filter((n) => n.name !== name);
  for (const obs of input.nodes) {
    const kn = byName.get(obs.name);
    const iface = hostIface.get(obs.name);
    if (!kn || !iface) continue;
    checks.push(bindingCheck(input.cni, obs, kn, iface, others(obs.name)));
  }

  checks.push(...mtuChecks(input.cni, input.nodes, hostIface));
  return checks;
}

function bindingCheck(
  cni: CniMode,
  obs: NodeObservation,
  kn: Record<string, unknown>,
  iface: LinkInfo,
  peers: NodeObservation[],
): VerifyCheck {
  const ann = readCniAnnotations(kn);
  const base = { check: 'cni-binding' as const, node: obs.name };
  if (CNI_MODE_INFO[cni].plugin === 'flannel') {
    if (ann.flannel?.publicIP !== obs.expectedIP) {
      return { ...base, ok: false, detail: `flannel public-ip is ${ann.flannel?.publicIP ?? '(none)'}, expected ${obs.expectedIP}: flannel is not using ${iface.name} (--iface)` };
    }
  } else {
    const addr = ann.calico?.ipv4Address?.split('/')[0];
    if (addr !== obs.expectedIP) {
      return { ...base, ok: false, detail: `calico IPv4Address is ${ann.calico?.ipv4Address ?? '(none)'}, expected ${obs.expectedIP}/..: IP_AUTODETECTION_METHOD picked another interface` };
    }
  }
  const tunnel = CNI_MODE_INFO[cni].tunnel?.device;
  if (tunnel) {
    const dev = obs.links.find((l) => l.name === tunnel);
    if (!dev) return { ...base, ok: false, detail: `${tunnel} is missing` };
    if (dev.vxlan && dev.vxlan.local !== undefined && dev.vxlan.local !== obs.expectedIP) {
      return { ...base, ok: false, detail: `${tunnel} sends from ${dev.vxlan.local}, not ${obs.expectedIP} (${iface.name})` };
    }
  }
  // Pod traffic to each peer must leave towards the peer's host-only address:
  // directly over the host-only interface (host-gw, BGP) or through the tunnel.
  const outDev = tunnel ?? iface.name;
  const missing = peers.filter((p) => !obs.routes.some((r) => r.gateway === p.expectedIP && r.dev === outDev));
  const viaTunnelAsVtep = CNI_MODE_INFO[cni].tunnel?.kind === 'vxlan';
  if (CNI_MODE_INFO[cni].plugin === 'calico' && !tunnel) {
    // Calico announces a node's block only once a pod got an address there,
    // so a fresh cluster may lack some routes; the ones present must use the host-only link.
    const peerIPs = new Set(peers.map((p) => p.expectedIP));
    const astray = obs.routes.filter((r) => r.gateway && peerIPs.has(r.gateway) && r.dev !== iface.name);
    if (astray.length > 0) {
      return { ...base, ok: false, detail: `pod routes leave via ${astray.map((r) => r.dev).join(', ')}, not ${iface.name}` };
    }
  } else if (!viaTunnelAsVtep && missing.length > 0) {
    return { ...base, ok: false, detail: `no pod route via ${missing.map((p) => p.expectedIP).join(', ')} dev ${outDev}` };
  }
  // A lone control plane (--workers 0) has no peer to route pods to.
  if (viaTunnelAsVtep && peers.length > 0 && !obs.routes.some((r) => r.dev === outDev && r.dst !== 'default')) {
    return { ...base, ok: false, detail: `no pod routes through ${outDev}` };
  }
  return { ...base, ok: true, detail: `bound to ${iface.name} (${obs.expectedIP})${tunnel ? `, tunnel ${tunnel}` : ''}` };
}

function mtuChecks(cni: CniMode, nodes: NodeObservation[], hostIface: Map<string, LinkInfo>): VerifyCheck[] {
  const out: VerifyCheck[] = [];
  const hostMtus = [...new Set([...hostIface.values()].map((l) => l.mtu))];
  if (hostMtus.length > 1) {
    out.push({ check: 'mtu', ok: false, detail: `host-only interfaces disagree on MTU: ${[...hostIface].map(([n, l]) => `${n} ${l.mtu}`).join(', ')}` });
    return out;
  }
  if (hostMtus.length === 0) return out;
  const { encapOverhead, tunnel: t, plugin } = CNI_MODE_INFO[cni];
  const podMtu = hostMtus[0]! - encapOverhead;
  const tunnel = t?.device;
  for (const obs of nodes) {
    const wrong: string[] = [];
    for (const l of obs.links) {
      const isPodSide = l.name === 'cni0' || l.name.startsWith('cali') || (l.kind === 'veth' && plugin === 'flannel');
      if ((l.name === tunnel || isPodSide) && l.mtu !== podMtu) wrong.push(`${l.name} ${l.mtu}`);
    }
    out.push({
      check: 'mtu',
      node: obs.name,
      ok: wrong.length === 0,
      detail: wrong.length === 0 ? `pod-side MTU ${podMtu} (host-only ${hostMtus[0]} less ${encapOverhead})` : `expected MTU ${podMtu}, found ${wrong.join(', ')}`,
    });
  }
  return out;
}
