// The topology as Mermaid and Graphviz DOT text, for slides and handouts:
// machines and pods as graph nodes, segments as their own nodes, the NAT
// links and tunnels as edges, and the traced path as numbered arrows.
import { ifaceText, machines, podId, type TopoMachine, type Topology } from './model.js';

function machineLabel(m: TopoMachine): string[] {
  const role = m.controlPlane ? ' (control plane)' : m.kind === 'node' ? '' : ` (${m.kind})`;
  return [`${m.name}${role}`, ...m.ifaces.map(ifaceText)];
}

/** Consecutive graph ids the path visits, with the hop number that reached each. */
function pathEdges(t: Topology): { from: string; to: string; ttl: number; ok: boolean }[] {
  const out: { from: string; to: string; ttl: number; ok: boolean }[] = [];
  let prev = t.path?.fromAt;
  for (const h of t.path?.hops ?? []) {
    if (!h.at) continue;
    if (prev && prev !== h.at) out.push({ from: prev, to: h.at, ttl: h.ttl, ok: h.ok });
    prev = h.at;
  }
  return out;
}

function litIds(t: Topology): Set<string> {
  const ids = new Set<string>();
  if (t.path?.fromAt) ids.add(t.path.fromAt);
  for (const h of t.path?.hops ?? []) if (h.at) ids.add(h.at);
  return ids;
}

// Mermaid labels: quotes and angle brackets would end or break the label.
const mm = (s: string) => s.replace(/"/g, "'").replace(/[<>]/g, '');

export function toMermaid(t: Topology): string {
  const lines = ['flowchart TB', `  %% ${t.provider} · ${t.cni} · pods ${t.clusterCIDR}`];
  const all = machines(t);
  for (const m of all.values()) lines.push(`  ${m.id}["${machineLabel(m).map(mm).join('<br/>')}"]`);
  for (const n of t.nodes) for (const p of n.pods) lines.push(`  ${podId(p.name)}(["pod ${mm(p.name)}<br/>${p.ip}"])`);
  for (const s of t.segments) lines.push(`  ${s.id}{{"${mm(s.label)}"}}`);
  for (const s of t.segments) for (const x of s.members) lines.push(`  ${x.machine} ---|${mm(x.iface)}| ${s.id}`);
  for (const l of t.natLinks) lines.push(`  ${l.node} ---|${mm(l.nodeIface)} NAT| ${l.nat}`);
  for (const n of t.nodes) {
    const bridge = n.ifaces.find((i) => i.kind === 'bridge');
    for (const p of n.pods) lines.push(`  ${n.id} ---|${mm(bridge ? bridge.name : (p.hostVeth ?? 'veth'))}| ${podId(p.name)}`);
  }
  for (const x of t.tunnels) lines.push(`  ${x.a} -.-|${mm(x.iface)}| ${x.b}`);
  for (const e of pathEdges(t)) lines.push(`  ${e.from} ==>|"${e.ttl}${e.ok ? '' : ' ✗'}"| ${e.to}`);
  const lit = [...litIds(t)];
  if (lit.length) {
    lines.push('  classDef lit fill:#fde4f2,stroke:#c2185b,stroke-width:3px');
    lines.push(`  class ${lit.join(',')} lit`);
  }
  return lines.join('\n') + '\n';
}

const dq = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function toDot(t: Topology): string {
  const lit = litIds(t);
  const style = (id: string) => (lit.has(id) ? ', color="#c2185b", penwidth=3, style="rounded,filled", fillcolor="#fde4f2"' : '');
  const lines = [
    'graph hoplab {',
    `  label=${dq(`${t.provider} · ${t.cni} · pods ${t.clusterCIDR}`)}; labelloc=t; fontname="Helvetica";`,
    '  node [shape=box, style=rounded, fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of t.nodes) {
    lines.push(`  subgraph cluster_${n.id} {`, `    label=${dq(n.name)}; style=dashed;`);
    lines.push(`    ${n.id} [label=${dq(machineLabel(n).join('\n'))}${style(n.id)}];`);
    for (const p of n.pods) lines.push(`    ${podId(p.name)} [shape=ellipse, label=${dq(`pod ${p.name}\n${p.ip}`)}${style(podId(p.name))}];`);
    lines.push('  }');
  }
  for (const m of [...t.nats, ...t.hosts]) lines.push(`  ${m.id} [label=${dq(machineLabel(m).join('\n'))}${style(m.id)}];`);
  for (const s of t.segments) lines.push(`  ${s.id} [shape=hexagon, label=${dq(s.label)}];`);
  for (const s of t.segments) for (const x of s.members) lines.push(`  ${x.machine} -- ${s.id} [label=${dq(x.iface)}];`);
  for (const l of t.natLinks) lines.push(`  ${l.node} -- ${l.nat} [label=${dq(`${l.nodeIface} NAT`)}];`);
  for (const n of t.nodes) {
    const bridge = n.ifaces.find((i) => i.kind === 'bridge');
    for (const p of n.pods) lines.push(`  ${n.id} -- ${podId(p.name)} [label=${dq(bridge ? bridge.name : (p.hostVeth ?? 'veth'))}];`);
  }
  for (const x of t.tunnels) lines.push(`  ${x.a} -- ${x.b} [style=dashed, label=${dq(x.iface)}];`);
  for (const e of pathEdges(t)) lines.push(`  ${e.from} -- ${e.to} [dir=forward, color="${e.ok ? '#c2185b' : '#d32f2f'}", penwidth=3, fontcolor="#c2185b", label=${dq(`hop ${e.ttl}${e.ok ? '' : ' ✗'}`)}, constraint=false];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
