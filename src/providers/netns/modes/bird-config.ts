// BIRD 2 configuration for a calico node: the policy calico-node's confd
// writes for its BIRD (router id = the node address, a full iBGP mesh in AS
// 64512 with one `Mesh_<peer address>` protocol per peer, the node's IPAM
// block announced and blackholed locally, pool routes programmed into the
// kernel, the /32 pod routes kept to the node). Calico runs its own BIRD 1.6
// fork; this is the same policy in stock BIRD 2 syntax. Pure.
import ipaddr from 'ipaddr.js';
import type { LabPlan, NodePlan } from '../plan.js';
import { CALICO_AS, calicoBlock } from './calico-ipam.js';

export interface BirdFiles {
  config: string;
  socket: string;
  pid: string;
  log: string;
}

export interface BirdOptions {
  /**
   * IPIP: routes to peer blocks leave through this device, as calico's BIRD
   * fork does with krt_tunnel. Stock BIRD resolves each BGP next hop through
   * a table holding `<peer eth1>/32 via <peer eth1>%tunl0 onlink`, which puts
   * `via <peer eth1> dev tunl0 onlink` on the kernel route.
   */
  tunnelDevice?: string;
}

/** calico's protocol names: Mesh_192_168_56_10. */
export function meshProtocolName(peerAddress: string): string {
  return `Mesh_${peerAddress.replace(/[.:]/g, '_')}`;
}

const asNumber = (a: string) => ipaddr.IPv4.parse(a).toByteArray().reduce((acc, b) => acc * 256 + b, 0);

export function birdConfig(plan: LabPlan, node: NodePlan, files: BirdFiles, opts: BirdOptions = {}): string {
  const block = calicoBlock(node);
  const peers = plan.nodes.filter((p) => p.name !== node.name);
  const tunnel = opts.tunnelDevice;
  const lines = [
    `# BIRD 2 on ${node.name}: calico's node-to-node mesh${tunnel ? ` with IPIP over ${tunnel}` : ''}. Written by hoplab.`,
    `router id ${node.eth1};`,
    `log "${files.log}" all;`,
    '',
    ...(tunnel ? ['ipv4 table tunnel_igp;', ''] : []),
    '# Announce the node\'s block, never the /32 pod routes inside it.',
    'filter calico_export_to_bgp_peers {',
    `  if ( net = ${block} ) then accept;`,
    `  if ( net ~ ${block} ) then reject;`,
    '  reject;',
    '}',
    '',
    '# Program only routes of the IP pool into the kernel.',
    'filter calico_kernel_programming {',
    `  if ( net ~ ${plan.clusterCIDR} ) then accept;`,
    '  reject;',
    '}',
    '',
    'protocol device { scan time 2; }',
    '',
    'protocol kernel {',
    '  learn;          # see the routes others put in the kernel (the /32 pod routes)',
    '  scan time 2;',
    '  metric 0;       # as calico\'s BIRD: no metric on the routes it programs',
    '  ipv4 { import all; export filter calico_kernel_programming; };',
    '}',
    '',
    '# The local block: a blackhole, so an unassigned address in it is dropped here.',
    'protocol static {',
    '  ipv4;',
    `  route ${block} blackhole;`,
    '}',
    '',
  ];
  if (tunnel) {
    lines.push(
      'protocol static tunnel_routes {',
      '  ipv4 { table tunnel_igp; };',
      ...peers.map((p) => `  route ${p.eth1}/32 via ${p.eth1}%${tunnel} onlink;`),
      '}',
      '',
    );
  }
  lines.push(
    'template bgp bgp_template {',
    `  local ${node.eth1} as ${CALICO_AS};`,
    '  direct;         # peers share eth1\'s network',
    '  ipv4 {',
    '    import all;',
    '    export filter calico_export_to_bgp_peers;',
    tunnel ? '    gateway recursive;\n    igp table tunnel_igp;' : '    gateway direct;  # next hop = the peer on eth1; without it the route is unreachable',
    '  };',
    '  graceful restart;',
    '  connect delay time 1;',
    '  connect retry time 2;',
    '  error wait time 1, 5;',
    '}',
    '',
  );
  for (const p of peers) {
    lines.push(`protocol bgp ${meshProtocolName(p.eth1)} from bgp_template {`, `  neighbor ${p.eth1} as ${CALICO_AS};`);
    // As calico: the mesh is one-directional, the lower address connects.
    if (asNumber(node.eth1) > asNumber(p.eth1)) lines.push('  passive on;     # the peer connects to us');
    lines.push('}', '');
  }
  return lines.join('\n');
}
