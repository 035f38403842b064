import { parse, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { openProvider } from '../../providers/index.js';
import type { LabStatus } from '../../providers/provider.js';
import { ifaceAddress } from '../../core/facts.js';
import { hoplabCmd } from '../../core/suggest.js';

/** `hoplab status` as text. */
export function renderStatus(s: LabStatus): string {
  const lines = [`lab:        ${s.lab}`, `provider:   ${s.provider}`, `state:      ${s.state}`];
  if (s.cni) lines.push(`cni:        ${s.cni}`);
  if (s.kubeconfig) lines.push(`kubeconfig: ${s.kubeconfig}`);
  const f = s.facts;
  if (f) {
    lines.push('', 'nodes:');
    for (const n of f.nodes) {
      const ifs = n.interfaces.map((i) => `${i.name} ${i.address ?? '-'}`).join('  ');
      lines.push(`  ${n.name.padEnd(13)} ${n.podCIDR.padEnd(15)} ${ifs}`);
    }
    if (f.hosts.length) {
      lines.push('', `other hosts (${hoplabCmd(s.lab, 'ssh NAME')}):`);
      for (const h of f.hosts) {
        lines.push(`  ${h.name.padEnd(17)} ${h.role.padEnd(11)} ${h.interfaces.map((i) => `${i.name} ${i.address ?? '-'}`).join('  ')}`);
      }
    }
    lines.push('', f.pods.length ? 'pods:' : 'pods: none');
    const width = Math.max(0, ...f.pods.map((p) => p.namespace.length + p.name.length + 1));
    for (const p of f.pods) {
      const node = f.nodes.find((n) => n.name === p.node);
      // The bridge only where the node has one (flannel); calico pods hang off their own cali* veth, no cni0.
      const bridge = node?.interfaces.some((i) => i.name === 'cni0') ? ` (cni0 ${ifaceAddress(node, 'cni0') ?? '-'})` : '';
      lines.push(`  ${`${p.namespace}/${p.name}`.padEnd(width)} ${(p.phase ?? '').padEnd(10)} ${p.ip.padEnd(14)} on ${p.node}${bridge}${p.hostVeth ? `  veth ${p.hostVeth}` : ''}`);
    }
  }
  for (const n of s.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

export const status: Command = {
  name: 'status',
  usage: 'status [--json] [--name LAB]',
  async run(argv, io) {
    const { values } = parse('status', argv, { json: { type: 'boolean' } }, false);
    const provider = await openProvider(providerPick(values));
    const s = await provider.status();
    io.stdout.write(values.json ? JSON.stringify(s, null, 2) + '\n' : renderStatus(s));
    return 0;
  },
};
