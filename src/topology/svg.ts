// The topology as a standalone SVG picture (for slides and handouts): the
// internet and its hosts on top, each node's NAT router above it, the nodes
// with their interfaces and pods, the host-only switch below them, then the
// machines and LANs behind it. The traced path is drawn hop by hop over the
// boxes: numbered badges on the interfaces and pods it passes, joined by
// arrows. Plain SVG 1.1 with no scripts, fonts or external references, so
// any renderer (rsvg-convert, browsers, slide tools) shows the same.
import { ifaceText, type TopoMachine, type TopoSegment, type Topology } from './model.js';

const LINE = 18;
const CHAR = 7.9; // monospace 13px advance, generous for DejaVu Sans Mono
const PAD = 10;
const GAP = 24;
const BAR = 26;
const PATH = '#c2185b';
const BAD = '#d32f2f';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Box {
  m: TopoMachine;
  x: number;
  y: number;
  w: number;
  h: number;
}

function boxRows(m: TopoMachine): { text: string; key?: string; lit?: { order: number; ok: boolean }; dim?: boolean }[] {
  const rows: { text: string; key?: string; lit?: { order: number; ok: boolean }; dim?: boolean }[] = [];
  for (const i of m.ifaces) rows.push({ text: ifaceText(i), key: `${m.id}/${i.name}`, ...(i.lit ? { lit: i.lit } : {}) });
  for (const p of m.pods) {
    rows.push({ text: `pod ${p.name} ${p.ip}`, key: `pod/${p.name}`, ...(p.lit ? { lit: p.lit } : {}) });
    if (p.hostVeth) rows.push({ text: `  ${p.hostVeth} ⇄ eth0`, dim: true });
  }
  if (m.kind === 'node' && !m.pods.length) rows.push({ text: '(no pods)', dim: true });
  return rows;
}

function title(m: TopoMachine): string {
  return m.controlPlane ? `${m.name} (control plane)` : m.kind === 'node' ? m.name : `${m.name} · ${m.kind}`;
}

function size(m: TopoMachine): { w: number; h: number } {
  const rows = boxRows(m);
  const longest = Math.max(title(m).length, ...rows.map((r) => r.text.length + 3));
  return { w: Math.max(150, Math.ceil(longest * CHAR) + 2 * PAD), h: LINE * (rows.length + 1) + PAD * 2 };
}

export function toSvg(t: Topology): string {
  const out: string[] = [];
  const spots = new Map<string, { x: number; y: number }>();
  const boxes = new Map<string, Box>();
  let y = 20 + LINE * (t.path ? 3 : 2);

  const placeRow = (ms: TopoMachine[], x0: number, centres?: (m: TopoMachine) => number | undefined): number => {
    let x = x0;
    let h = 0;
    for (const m of ms) {
      const s = size(m);
      const cx = centres?.(m);
      const bx = cx !== undefined ? Math.max(x, cx - s.w / 2) : x;
      boxes.set(m.id, { m, x: bx, y, w: s.w, h: s.h });
      x = bx + s.w + GAP;
      h = Math.max(h, s.h);
    }
    return h;
  };
  const bars: { seg: TopoSegment; y: number }[] = [];
  const placed = new Set<string>();
  const internet = t.segments.find((s) => s.label.startsWith('internet'));
  const hostOnly = t.segments.find((s) => s.label.startsWith('host-only'));

  // Internet hosts, then the internet bar.
  if (internet) {
    const top = t.hosts.filter((h) => internet.members.some((x) => x.machine === h.id));
    if (top.length) {
      y += placeRow(top, 20) + GAP;
      top.forEach((m) => placed.add(m.id));
    }
    bars.push({ seg: internet, y });
    y += BAR + GAP;
  }
  // Nodes first in x (they set the columns), NAT routers above their node.
  const nodeSizes = t.nodes.map(size);
  let x = 20;
  const nodeX = new Map<string, number>();
  t.nodes.forEach((n, i) => {
    nodeX.set(n.id, x + nodeSizes[i]!.w / 2);
    x += nodeSizes[i]!.w + GAP;
  });
  if (t.nats.length) {
    y += placeRow(t.nats, 20, (m) => nodeX.get(t.natLinks.find((l) => l.nat === m.id)?.node ?? '')) + GAP * 1.5;
    t.nats.forEach((m) => placed.add(m.id));
  }
  y += placeRow(t.nodes, 20) + GAP;
  t.nodes.forEach((m) => placed.add(m.id));
  // The host-only switch, then what hangs off it, then the LANs behind those, breadth first.
  const queue = [hostOnly, ...t.segments.filter((s) => s !== hostOnly && s !== internet)].filter((s): s is TopoSegment => !!s);
  const done = new Set<TopoSegment>();
  while (queue.length) {
    const next = queue.find((s) => s.members.some((x) => placed.has(x.machine))) ?? queue[0]!;
    queue.splice(queue.indexOf(next), 1);
    done.add(next);
    bars.push({ seg: next, y });
    y += BAR + GAP;
    const row = [...t.hosts].filter((h) => !placed.has(h.id) && next.members.some((x) => x.machine === h.id));
    if (row.length) {
      y += placeRow(row, 20) + GAP;
      row.forEach((m) => placed.add(m.id));
    }
  }
  const rest = t.hosts.filter((h) => !placed.has(h.id));
  if (rest.length) y += placeRow(rest, 20) + GAP;

  const pathText = t.path
    ? [...(t.path.from ? [`0 ${t.path.from}`] : []), ...t.path.hops.map((h) => `${h.ttl} ${h.address ?? '*'}${h.label ? ` (${h.label})` : ''}${h.ok ? '' : ' ✗'}`)].join('  →  ')
    : undefined;
  const width = Math.ceil(Math.max(640, (pathText?.length ?? 0) * CHAR + 40, ...[...boxes.values()].map((b) => b.x + b.w + 20)));
  const height = y + 10;

  // Segment bars and the lines from each member interface to its bar.
  for (const { seg, y: by } of bars) {
    out.push(`<rect x="10" y="${by}" width="${width - 20}" height="${BAR}" rx="6" fill="#e3f2fd" stroke="#1565c0"/>`);
    out.push(`<text x="20" y="${by + 17}" font-weight="bold" fill="#0d47a1">${esc(seg.label)}</text>`);
  }
  const rowY = (b: Box, i: number) => b.y + PAD + LINE * (i + 1) + 13;
  for (const b of boxes.values()) {
    const rows = boxRows(b.m);
    rows.forEach((r, i) => {
      if (r.key) spots.set(r.key, { x: b.x + b.w - 14, y: rowY(b, i) - 4 });
    });
  }
  for (const { seg, y: by } of bars) {
    for (const mem of seg.members) {
      const b = boxes.get(mem.machine);
      if (!b) continue;
      const cx = b.x + b.w / 2 + (seg === hostOnly ? 0 : 12);
      const fromY = by > b.y ? b.y + b.h : b.y;
      const toY = by > b.y ? by : by + BAR;
      out.push(`<line x1="${cx}" y1="${fromY}" x2="${cx}" y2="${toY}" stroke="#1565c0" stroke-width="2"/>`);
      out.push(`<text x="${cx + 4}" y="${(fromY + toY) / 2 + 4}" font-size="11" fill="#1565c0">${esc(mem.iface)}</text>`);
    }
  }
  for (const l of t.natLinks) {
    const a = boxes.get(l.node);
    const r = boxes.get(l.nat);
    if (!a || !r) continue;
    const cx = a.x + a.w / 2;
    out.push(`<line x1="${cx}" y1="${r.y + r.h}" x2="${cx}" y2="${a.y}" stroke="#6d4c41" stroke-width="2" stroke-dasharray="5 3"/>`);
    out.push(`<text x="${cx + 4}" y="${(r.y + r.h + a.y) / 2 + 4}" font-size="11" fill="#6d4c41">${esc(l.nodeIface)} NAT</text>`);
  }
  for (const tn of t.tunnels) {
    const a = boxes.get(tn.a);
    const b = boxes.get(tn.b);
    if (!a || !b) continue;
    const ty = Math.max(a.y + a.h, b.y + b.h) + 8;
    out.push(`<path d="M${a.x + a.w / 2 - 20} ${a.y + a.h} Q${(a.x + b.x + b.w) / 2} ${ty + 4} ${b.x + b.w / 2 - 20} ${b.y + b.h}" fill="none" stroke="#00897b" stroke-width="1.5" stroke-dasharray="2 3"/>`);
  }
  // Boxes over the lines.
  for (const b of boxes.values()) {
    const lit = boxRows(b.m).some((r) => r.lit);
    const fill = b.m.kind === 'node' ? '#ffffff' : '#fafafa';
    out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${fill}" stroke="${lit ? PATH : '#424242'}" stroke-width="${lit ? 2.5 : 1.5}"/>`);
    out.push(`<text x="${b.x + PAD}" y="${b.y + PAD + 13}" font-weight="bold">${esc(title(b.m))}</text>`);
    boxRows(b.m).forEach((r, i) => {
      const ry = rowY(b, i);
      if (r.lit) out.push(`<rect x="${b.x + 3}" y="${ry - 14}" width="${b.w - 6}" height="${LINE}" rx="3" fill="${r.lit.ok ? '#fde4f2' : '#ffebee'}"/>`);
      const colour = r.lit ? (r.lit.ok ? PATH : BAD) : r.dim ? '#757575' : '#212121';
      out.push(`<text x="${b.x + PAD}" y="${ry}" fill="${colour}"${r.lit ? ' font-weight="bold"' : ''}>${esc(r.text)}</text>`);
    });
  }
  // The path: arrows between the spots in hop order, a numbered badge on each.
  if (t.path) {
    // Badge 0 is where the trace starts: the pod it ran in, or the interface a host sends it by.
    const points: { x: number; y: number; n: number; ok: boolean }[] = [];
    for (const b of boxes.values()) {
      boxRows(b.m).forEach((r) => {
        if (r.lit && r.key) points.push({ ...spots.get(r.key)!, n: r.lit.order, ok: r.lit.ok });
      });
    }
    points.sort((a, b) => a.n - b.n);
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const c = points[i]!;
      out.push(`<line x1="${a.x}" y1="${a.y}" x2="${c.x}" y2="${c.y}" stroke="${c.ok ? PATH : BAD}" stroke-width="3" stroke-opacity="0.75" marker-end="url(#arrow)"/>`);
    }
    for (const p of points) {
      out.push(`<circle cx="${p.x}" cy="${p.y}" r="9" fill="${p.ok ? PATH : BAD}"/>`);
      out.push(`<text x="${p.x}" y="${p.y + 4}" font-size="11" font-weight="bold" fill="#ffffff" text-anchor="middle">${p.n}</text>`);
    }
  }
  const head = [
    `<text x="20" y="24" font-size="16" font-weight="bold">hoplab · ${esc(t.cni)} · pods ${esc(t.clusterCIDR)} · provider ${esc(t.provider)}</text>`,
    ...(pathText ? [`<text x="20" y="${24 + LINE + 4}" fill="${PATH}" font-weight="bold">${esc(pathText)}</text>`] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${PATH}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...head,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
