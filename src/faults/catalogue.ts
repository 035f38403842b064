// The catalogue: one record per fault. Each plan is a pure function of the
// cluster facts, so `hoplab fault`, the troubleshooting labs and the tests
// compute the same commands. Every command changes only a node's own network
// namespace (or, for DNS, the cluster's coredns Deployment); `clear` undoes
// it only while it is still in place, so it is safe after a learner's repair.
import { CNI_MODES, labNamespace, type ClusterFacts, type CniMode, type NodeFacts } from '../core/facts.js';
import { CNI_MODE_INFO } from '../core/cni-modes.js';
import { serviceChain, servicePortName } from '../kube/proxy-chains.js';
import type { Fault, FaultAction, FaultPlan, FaultTarget } from './types.js';

const KUBECONFIG_REFUSED = 'a cluster hoplab did not build: hoplab does not break the network of nodes it does not own';
const BIRDC = 'birdc -s /etc/bird/bird.ctl';
const ALL: readonly CniMode[] = CNI_MODES;
const VXLAN_MODES = (Object.keys(CNI_MODE_INFO) as CniMode[]).filter((m) => CNI_MODE_INFO[m].tunnel?.kind === 'vxlan');
const TUNNEL_MODES = (Object.keys(CNI_MODE_INFO) as CniMode[]).filter((m) => CNI_MODE_INFO[m].tunnel);

function nodeOf(facts: ClusterFacts, name: string): NodeFacts {
  const n = facts.nodes.find((x) => x.name === name);
  if (!n) throw new RangeError(`no node ${name}`);
  return n;
}

function iface(n: NodeFacts, name: string) {
  return n.interfaces.find((i) => i.name === name);
}

/** Undo only while the fault is in place: a learner's repair is never undone twice. */
function guarded(took: string, undo: string): string {
  return `if ${took}; then ${undo}; fi`;
}

const on = (node: string, cmd: string): FaultAction => ({ on: node, cmd });

function plan(node: string, p: { inject: string; took: string; undo: string }, finds: FaultPlan['finds']): FaultPlan {
  return { inject: [on(node, p.inject)], took: on(node, p.took), clear: [on(node, guarded(p.took, p.undo))], finds };
}

/** The trace from a pod on `node` to a pod on `peer` dies after node's gateway (hop 1). */
function diesAtGateway(t: FaultTarget, peer: NodeFacts): string {
  return `dies after hop 1.*(${t.node} has no working route to ${esc(peer.podCIDR)}|next router did not answer)`;
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The VTEP (tunnel device) of a VXLAN mode, and the peer's MAC on it, which its fdb entry names. */
function vtep(facts: ClusterFacts, t: FaultTarget, mode: CniMode): { dev: string; mac: string; peer: NodeFacts } {
  const dev = CNI_MODE_INFO[mode].tunnel!.device;
  const peer = nodeOf(facts, t.peer);
  const mac = iface(peer, dev)?.mac;
  if (!mac) throw new RangeError(`${t.peer} has no ${dev} MAC in the cluster facts`);
  return { dev, mac, peer };
}

export const FAULTS: readonly Fault[] = [
  {
    name: 'route-missing',
    description: "host-gw: the node has no route to a peer's pod CIDR; its pods' packets take the default route out of eth0",
    modes: ['flannel-host-gw'],
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(facts, t) {
      const peer = nodeOf(facts, t.peer);
      const took = `! ip route show ${peer.podCIDR} | grep -q .`;
      return plan(t.node, { inject: `ip route del ${peer.podCIDR}`, took, undo: `ip route add ${peer.podCIDR} via ${peer.internalIP}` }, {
        symptom: `pods on ${t.node} cannot reach pods on ${t.peer}`,
        hop: 2,
        diagnosis: diesAtGateway(t, peer),
        evidence: [`ip route on ${t.node}: no line for ${peer.podCIDR}`, `traceroute from a pod on ${t.node} stops after ${t.node}'s cni0`],
      });
    },
  },
  {
    name: 'route-wrong-node',
    description: "host-gw: the node's route to a peer's pod CIDR points at another node",
    modes: ['flannel-host-gw'],
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(facts, t) {
      const peer = nodeOf(facts, t.peer);
      const other = nodeOf(facts, t.other);
      const took = `ip route show ${peer.podCIDR} | grep -q 'via ${other.internalIP} '`;
      return plan(t.node, { inject: `ip route replace ${peer.podCIDR} via ${other.internalIP}`, took, undo: `ip route replace ${peer.podCIDR} via ${peer.internalIP}` }, {
        symptom: `pods on ${t.node} reach pods on ${t.peer} one hop late`,
        hop: 2,
        diagnosis: `hop 2 is ${esc(other.internalIP)}.*points at the wrong node`,
        evidence: [`ip route on ${t.node}: ${peer.podCIDR} via ${other.internalIP}, where ${t.peer} is ${peer.internalIP}`],
      });
    },
  },
  {
    name: 'flannel-nat',
    description: 'flannel bound to the NAT interface (--iface/public-ip on eth0, 10.0.2.15): the way to a peer leaves through eth0',
    modes: ['flannel-host-gw', 'flannel-vxlan'],
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(facts, t, mode) {
      const n = nodeOf(facts, t.node);
      const natDev = n.defaultRoute?.dev ?? 'eth0';
      const natIP = iface(n, natDev)?.address ?? '10.0.2.15';
      if (mode === 'flannel-vxlan') {
        const v = vtep(facts, t, mode);
        const took = `bridge fdb show dev ${v.dev} | grep -q '^${v.mac} dst ${natIP} '`;
        return plan(t.node, { inject: `bridge fdb replace ${v.mac} dev ${v.dev} dst ${natIP} self permanent`, took, undo: `bridge fdb replace ${v.mac} dev ${v.dev} dst ${v.peer.internalIP} self permanent` }, {
          symptom: `pods on ${t.node} cannot reach pods on ${t.peer}`,
          hop: 2,
          diagnosis: `hop 2 is ${esc(iface(n, 'cni0')?.address ?? '')}`,
          evidence: [`bridge fdb show dev ${v.dev} on ${t.node}: ${t.peer}'s VTEP ${v.mac} is sent to ${natIP} (${natDev}), not ${v.peer.internalIP}`],
        });
      }
      const peer = nodeOf(facts, t.peer);
      const via = n.defaultRoute?.via ?? '10.0.2.2';
      const took = `ip route show ${peer.podCIDR} | grep -q 'dev ${natDev}'`;
      return plan(t.node, { inject: `ip route replace ${peer.podCIDR} via ${via} dev ${natDev}`, took, undo: `ip route replace ${peer.podCIDR} via ${peer.internalIP}` }, {
        symptom: `pods on ${t.node} cannot reach pods on ${t.peer}`,
        hop: 2,
        diagnosis: `(${esc(t.node)} has no working route to ${esc(peer.podCIDR)}|NAT)`,
        evidence: [`ip route on ${t.node}: ${peer.podCIDR} via ${via} dev ${natDev}, the NAT interface (src ${natIP})`],
      });
    },
  },
  {
    name: 'vxlan-mtu',
    description: "MTU mismatch: the node's eth1 takes 1400 bytes while the tunnel assumes 1500; small pings pass, full-size ones die",
    modes: TUNNEL_MODES,
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(_facts, t) {
      const took = "ip link show eth1 | grep -q ' mtu 1400 '";
      return plan(t.node, { inject: 'ip link set eth1 mtu 1400', took, undo: 'ip link set eth1 mtu 1500' }, {
        symptom: `small pings from ${t.node}'s pods to ${t.peer}'s pass; \`ping -M do -s SIZE\` of the pod's full MTU and large HTTP answers die`,
        evidence: [`ip link show eth1 on ${t.node}: mtu 1400, on the other nodes 1500`, 'ping -M do -s (pod MTU - 28) fails, ping -s 56 passes'],
      });
    },
  },
  {
    name: 'fdb-missing',
    description: "VXLAN: the node's fdb entry for a peer's VTEP is gone; encapsulated packets have nowhere to go",
    modes: VXLAN_MODES,
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(facts, t, mode) {
      const v = vtep(facts, t, mode);
      const took = `! bridge fdb show dev ${v.dev} | grep -q '^${v.mac} '`;
      return plan(t.node, { inject: `bridge fdb del ${v.mac} dev ${v.dev} dst ${v.peer.internalIP} self`, took, undo: `bridge fdb add ${v.mac} dev ${v.dev} dst ${v.peer.internalIP} self permanent` }, {
        symptom: `pods on ${t.node} cannot reach pods on ${t.peer}`,
        hop: 2,
        diagnosis: 'dies after hop 1',
        evidence: [`bridge fdb show dev ${v.dev} on ${t.node}: no entry for ${v.mac} (${t.peer}'s VTEP)`, `ip neigh show dev ${v.dev}: the MAC is still known`],
      });
    },
  },
  {
    name: 'vtep-wrong',
    description: "VXLAN: the fdb entry for a peer's VTEP sends its packets to another node",
    modes: VXLAN_MODES,
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(facts, t, mode) {
      const v = vtep(facts, t, mode);
      const other = nodeOf(facts, t.other);
      const took = `bridge fdb show dev ${v.dev} | grep -q '^${v.mac} dst ${other.internalIP} '`;
      return plan(t.node, { inject: `bridge fdb replace ${v.mac} dev ${v.dev} dst ${other.internalIP} self permanent`, took, undo: `bridge fdb replace ${v.mac} dev ${v.dev} dst ${v.peer.internalIP} self permanent` }, {
        symptom: `pods on ${t.node} cannot reach pods on ${t.peer}`,
        hop: 2,
        diagnosis: 'dies after hop 1',
        evidence: [`bridge fdb show dev ${v.dev} on ${t.node}: ${v.mac} (${t.peer}'s VTEP) dst ${other.internalIP}, which is ${t.other}`],
      });
    },
  },
  {
    name: 'ip-forward-off',
    description: 'net.ipv4.ip_forward=0 on one node: it no longer routes its pods\' packets',
    modes: ALL,
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(_facts, t) {
      const took = '[ "$(sysctl -n net.ipv4.ip_forward)" = 0 ]';
      return plan(t.node, { inject: 'sysctl -qw net.ipv4.ip_forward=0', took, undo: 'sysctl -qw net.ipv4.ip_forward=1' }, {
        symptom: `pods on ${t.node} reach nothing outside their node`,
        hop: 1,
        diagnosis: 'nothing answered at all, not even hop 1',
        evidence: [`sysctl net.ipv4.ip_forward on ${t.node}: 0`],
      });
    },
  },
  {
    name: 'bird-peer-down',
    description: "calico BGP: the node's BIRD session to a peer is disabled; the routes to the peer's pods vanish",
    modes: ['calico-bgp', 'calico-ipip'],
    refused: { kubeconfig: KUBECONFIG_REFUSED, vagrant: "calico-node runs BIRD inside its pod on a real cluster; hoplab does not reach into it" },
    plan(facts, t) {
      const peer = nodeOf(facts, t.peer);
      const proto = `Mesh_${peer.internalIP.replace(/\./g, '_')}`;
      const took = `${BIRDC} show protocols ${proto} | grep -q '^${proto} .* down '`;
      const established = `for i in $(seq 60); do ${BIRDC} show protocols ${proto} | grep -q Established && ip route show proto bird | grep -q 'via ${peer.internalIP} ' && break; sleep 0.5; done`;
      return plan(t.node, { inject: `${BIRDC} disable ${proto} >/dev/null`, took, undo: `${BIRDC} enable ${proto} >/dev/null; ${established}` }, {
        symptom: `pods on ${t.node} cannot reach pods on ${t.peer}`,
        hop: 2,
        diagnosis: 'dies after hop 1',
        evidence: [`${BIRDC} show protocols on ${t.node}: ${proto} down`, `ip route on ${t.node}: no proto bird route via ${peer.internalIP}`],
      });
    },
  },
  {
    name: 'kube-proxy-rule-missing',
    description: "kube-proxy's KUBE-SERVICES rule for a Service is gone on one node: its ClusterIP leads nowhere from there",
    modes: ALL,
    needsService: true,
    refused: { kubeconfig: KUBECONFIG_REFUSED, vagrant: 'the real kube-proxy rewrites its rules within its sync period, so the fault would not stay' },
    plan(facts, t) {
      const svc = facts.services.find((s) => s.name === t.service && s.namespace === labNamespace(facts)) ?? facts.services.find((s) => s.name === t.service);
      const port = svc?.ports[0];
      if (!svc || !port) throw new RangeError(`no Service ${t.service} with a port`);
      const chain = serviceChain(servicePortName(svc.namespace, svc.name, port.name ?? ''), port.protocol);
      const rule = `^-A KUBE-SERVICES .*-j ${chain}$`;
      const took = `! iptables-save -t nat | grep -q -e '${rule}'`;
      const inject = `rules=$(iptables-save -t nat | grep -e '${rule}' | sed 's/^-A /-D /'); [ -n "$rules" ] && printf '*nat\\n%s\\nCOMMIT\\n' "$rules" | iptables-restore --noflush`;
      const proto = port.protocol.toLowerCase();
      const undo = `iptables -t nat -I KUBE-SERVICES -d ${svc.clusterIP}/32 -p ${proto} -m ${proto} --dport ${port.port} -j ${chain}`;
      return plan(t.node, { inject, took, undo }, {
        symptom: `from pods on ${t.node}, ${svc.name}'s ClusterIP ${svc.clusterIP} does not answer; from other nodes it does`,
        evidence: [`iptables-save -t nat on ${t.node}: no KUBE-SERVICES rule jumping to ${chain}; the other nodes have one`],
      });
    },
  },
  {
    name: 'dns-down',
    description: 'cluster DNS down: the coredns Deployment scaled to 0; names stop resolving, ClusterIPs still work',
    modes: ALL,
    refused: { kubeconfig: KUBECONFIG_REFUSED },
    plan(facts) {
      const cp = facts.nodes.find((n) => n.roles.includes('control-plane'))?.name ?? facts.nodes[0]!.name;
      return {
        inject: [{ kubectl: '-n kube-system scale deployment coredns --replicas=0' }],
        took: on(cp, '[ "$(kubectl -n kube-system get deployment coredns -o jsonpath={.spec.replicas})" = 0 ]'),
        clear: [
          on(cp, guarded('[ "$(kubectl -n kube-system get deployment coredns -o jsonpath={.spec.replicas})" = 0 ]', 'kubectl -n kube-system scale deployment coredns --replicas=2 >/dev/null && kubectl -n kube-system rollout status deployment coredns --timeout=120s >/dev/null')),
        ],
        finds: {
          symptom: 'names of Services do not resolve in pods; the same Service by its ClusterIP answers',
          evidence: ['kubectl -n kube-system get deployment coredns: 0/0', 'kubectl -n kube-system get endpoints kube-dns: no endpoints'],
        },
      };
    },
  },
  {
    name: 'node-ip-nat',
    description: "a node's InternalIP on the NAT address (kubelet without --node-ip): kubectl logs/exec to its pods fail",
    modes: ALL,
    refused: {
      kubeconfig: KUBECONFIG_REFUSED,
      netns: "the embedded API reaches its kubelets without the nodes' addresses, so kubectl logs/exec would not fail as on a real cluster",
    },
    plan(facts, t) {
      const n = nodeOf(facts, t.node);
      const nat = iface(n, n.defaultRoute?.dev ?? 'eth0')?.address ?? '10.0.2.15';
      const eth1 = iface(n, 'eth1')?.address ?? n.internalIP;
      const file = '/etc/default/kubelet';
      const took = `grep -q -- '--node-ip=${nat}' ${file}`;
      return plan(t.node, {
        inject: `sed -i 's/--node-ip=[0-9.]*/--node-ip=${nat}/' ${file} && systemctl restart kubelet`,
        took,
        undo: `sed -i 's/--node-ip=[0-9.]*/--node-ip=${eth1}/' ${file} && systemctl restart kubelet`,
      }, {
        symptom: `kubectl logs and exec to pods on ${t.node} time out; other nodes work`,
        evidence: [`kubectl get nodes -o wide: ${t.node}'s INTERNAL-IP is ${nat}`, `${file} on ${t.node}: --node-ip=${nat}`],
      });
    },
  },
];

export function findFault(name: string): Fault | undefined {
  return FAULTS.find((f) => f.name === name);
}
