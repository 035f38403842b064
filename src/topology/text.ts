// The cluster drawn as text: one box per node with its interfaces and pods,
// NAT routers above, the host-only switch below, the last traced path lit.
// Pure: facts + path + size in, lines of tagged segments out, so it reflows
// on resize and is tested without a terminal.
import { isTunnelDevice } from '../core/cni-modes.js';
import type { ClusterFacts, HostFacts, NodeFacts } from '../core/facts.js';
/** How a segment is meant to look; the UI maps tones to colours, text output ignores them. */
export type Tone = 'ok' | 'bad' | 'busy' | 'dim' | 'accent' | 'path' | 'warn' | 'code';
import { lightPath, spotKey, type LitSpot, type Spot, type TracedPath } from '../topology/path.js';

export interface Seg {
  text: string;
  tone?: Tone;
  bold?: boolean;
}
export type Line = Seg[];

const MIN_COL = 28;
const MAX_PODS = 6;
const POD_LINK = /^(cali|veth)/;

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

function marker(l: LitSpot | undefined): Seg {
  if (!l) return { text: '   ' };
  return { text: `${l.order}${l.ok ? '▸' : '✗'}`.padEnd(3), tone: l.ok ? 'path' : 'bad', bold: true };
}

function cidrOf(address?: string, prefix?: number): string {
  return address ? `${address}${prefix !== undefined ? `/${prefix}` : ''}` : '(no address)';
}

/** The rows inside one node's box, before padding to the column width. */
function nodeRows(node: NodeFacts, facts: ClusterFacts, lit: Map<string, LitSpot>, inner = Infinity): Line[] {
  const rows: Line[] = [];
  const at = (s: Spot) => lit.get(spotKey(s));
  for (const nat of facts.hosts.filter((h) => h.role === 'nat-router' && h.serves === node.name)) {
    const lan = nat.interfaces.find((i) => i.name === 'lan') ?? nat.interfaces[0];
    const l = lan ? at({ kind: 'iface', owner: nat.name, iface: lan.name }) : undefined;
    rows.push([marker(l), { text: `NAT ${lan?.address ?? ''} ⇄ internet`, tone: l ? 'path' : 'dim' }]);
  }
  const podLinks = new Set(facts.pods.filter((p) => p.node === node.name && p.hostVeth).map((p) => p.hostVeth!));
  const ifaces = node.interfaces.filter((i) => i.name !== 'lo' && !podLinks.has(i.name));
  const loose = ifaces.filter((i) => POD_LINK.test(i.name));
  const shown = ifaces.filter((i) => !POD_LINK.test(i.name));
  shown.sort((a, b) => rank(a.name) - rank(b.name));
  for (const i of shown) {
    const l = at({ kind: 'iface', owner: node.name, iface: i.name });
    rows.push([marker(l), { text: `${i.name.padEnd(6)} ${cidrOf(i.address, i.prefixLength)}`, ...(l ? { tone: 'path' as Tone } : isTunnelDevice(i.name) ? { tone: 'accent' as Tone } : {}) }]);
  }
  if (loose.length) rows.push([{ text: '   ' }, { text: `+${loose.length} veth/cali links`, tone: 'dim' }]);
  const pods = facts.pods.filter((p) => p.node === node.name);
  const litPods = pods.filter((p) => at({ kind: 'pod', name: p.name }));
  const rest = pods.filter((p) => !at({ kind: 'pod', name: p.name }));
  const visible = [...litPods, ...rest].slice(0, Math.max(MAX_PODS, litPods.length));
  visible.sort((a, b) => pods.indexOf(a) - pods.indexOf(b));
  for (const p of visible) {
    const l = at({ kind: 'pod', name: p.name });
    rows.push([marker(l), { text: podLabel(p.name, p.ip, inner - 3), ...(l ? { tone: 'path' as Tone } : {}) }]);
    if (p.hostVeth) rows.push([{ text: '   ' }, { text: `    ${p.hostVeth} ⇄ eth0`, tone: 'dim' }]);
  }
  if (pods.length > visible.length) rows.push([{ text: '   ' }, { text: `+${pods.length - visible.length} more pods`, tone: 'dim' }]);
  if (!pods.length) rows.push([{ text: '   ' }, { text: '(no pods)', tone: 'dim' }]);
  return rows;
}

/**
 * "└ pod NAME IP" in `room` columns: the address is what a path is read by,
 * so the name gives way first, cut in the middle where a generated name's
 * hash is (coredns-6797c8d9cc-6lfmn → cored…6lfmn).
 */
export function podLabel(name: string, ip: string, room: number): string {
  const full = `└ pod ${name} ${ip}`;
  if (full.length <= room) return full;
  const left = room - `└ pod  ${ip}`.length;
  if (left < 4) return full; // no room for a name at all: fit() cuts the row as before
  const head = Math.ceil((left - 1) / 2);
  const tail = left - 1 - head;
  return `└ pod ${name.slice(0, head)}…${tail ? name.slice(-tail) : ''} ${ip}`;
}

function rank(name: string): number {
  if (name === 'eth0') return 0;
  if (name === 'eth1') return 1;
  if (isTunnelDevice(name)) return 3;
  if (name === 'cni0') return 2;
  return 4;
}

/** Pads or cuts a line to exactly `width` columns. */
export function fit(line: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const text = s.text.length > left ? `${s.text.slice(0, Math.max(0, left - 1))}…` : s.text;
    out.push({ ...s, text });
    left -= text.length;
  }
  if (left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

function nodeBox(node: NodeFacts, facts: ClusterFacts, lit: Map<string, LitSpot>, width: number, height: number): Line[] {
  const inner = width - 2;
  const role = node.roles.includes('control-plane') ? ' (control plane)' : '';
  const title = ` ${node.name}${role} `;
  const top: Line = [{ text: `┌${title.slice(0, inner)}${'─'.repeat(Math.max(0, inner - title.length))}┐` }];
  const body = nodeRows(node, facts, lit, inner).map((r) => [{ text: '│' }, ...fit(r, inner), { text: '│' }]);
  while (body.length < height) body.push([{ text: '│' }, { text: ' '.repeat(inner) }, { text: '│' }]);
  return [top, ...body, [{ text: `└${'─'.repeat(inner)}┘` }]];
}

function switchLine(facts: ClusterFacts, lit: Map<string, LitSpot>, width: number): Line {
  const host = facts.hosts.find((h) => h.role === 'host');
  const addr = host?.interfaces[0];
  const l = host && addr ? lit.get(spotKey({ kind: 'iface', owner: host.name, iface: addr.name })) : undefined;
  const subnet = addr?.address ? `${addr.address.replace(/\.\d+$/, '.0')}/${addr.prefixLength ?? 24}` : '';
  const label = ` host-only switch ${subnet}${addr?.address ? ` · host ${addr.address}` : ''} `;
  const head: Line = [{ text: '══' }, ...(l ? [marker(l)] : []), { text: label, bold: true }];
  const used = lineText(head).length;
  return fit([...head, { text: '═'.repeat(Math.max(0, width - used)) }], width);
}

function otherHosts(hosts: HostFacts[], lit: Map<string, LitSpot>): Line {
  const line: Line = [{ text: 'internet: ', tone: 'dim' }];
  for (const h of hosts.filter((x) => x.role !== 'nat-router' && x.role !== 'host')) {
    for (const i of h.interfaces) {
      const l = lit.get(spotKey({ kind: 'iface', owner: h.name, iface: i.name }));
      if (l) line.push(marker(l));
      line.push({ text: `${h.name} ${i.address ?? ''}  `, ...(l ? { tone: 'path' as Tone } : {}) });
    }
  }
  return line.length > 1 ? line : [];
}

function pathSummary(path: TracedPath, labels: Map<number, string>, unplacedCount: number, width: number): Line[] {
  const segs: Seg[] = [{ text: 'path: ', bold: true }];
  const from = path.fromPod ? `pod ${path.fromPod}` : (path.fromNode ?? path.fromHost);
  if (from) segs.push({ text: `0▸ ${from}`, tone: 'path' });
  for (const h of path.hops) {
    const ok = h.status === undefined || h.status === 'match' || h.status === 'no-answer';
    const where = labels.get(h.ttl);
    segs.push({ text: ' → ' }, { text: `${h.ttl}${ok ? '▸' : '✗'} ${h.address ?? '*'}${where ? ` ${where}` : ''}`, tone: ok ? 'path' : 'bad' });
  }
  if (unplacedCount) segs.push({ text: `  (${unplacedCount} hop${unplacedCount > 1 ? 's' : ''} not in the lab)`, tone: 'dim' });
  // Wrap at segment boundaries so a hop is never cut in two.
  const lines: Line[] = [[]];
  let used = 0;
  for (const s of segs) {
    if (used + s.text.length > width && used > 0) {
      lines.push([{ text: '      ' }]);
      used = 6;
    }
    lines[lines.length - 1]!.push(s);
    used += s.text.length;
  }
  return lines;
}

export interface TopologyOptions {
  width: number;
  path?: TracedPath;
}

export function drawTopology(facts: ClusterFacts, opts: TopologyOptions): Line[] {
  const width = Math.max(20, opts.width);
  const { lit, unplaced, labels } = opts.path
    ? lightPath(facts, opts.path)
    : { lit: new Map<string, LitSpot>(), unplaced: [], labels: new Map<number, string>() };
  const perRow = Math.max(1, Math.min(facts.nodes.length, Math.floor((width + 1) / (MIN_COL + 1))));
  const colWidth = Math.floor((width - (perRow - 1)) / perRow);
  const out: Line[] = [fit([{ text: `cluster · ${facts.cni} · ${facts.clusterCIDR} · provider ${facts.provider}`, bold: true }], width)];
  const internet = otherHosts(facts.hosts, lit);
  if (internet.length) out.push(fit(internet, width));
  for (let i = 0; i < facts.nodes.length; i += perRow) {
    const band = facts.nodes.slice(i, i + perRow);
    const height = Math.max(...band.map((n) => nodeRows(n, facts, lit).length));
    const boxes = band.map((n) => nodeBox(n, facts, lit, colWidth, height));
    for (let r = 0; r < height + 2; r++) {
      const line: Line = [];
      boxes.forEach((b, k) => {
        if (k > 0) line.push({ text: ' ' });
        line.push(...b[r]!);
      });
      out.push(line);
    }
  }
  out.push(switchLine(facts, lit, width));
  if (opts.path) out.push(...pathSummary(opts.path, labels, unplaced.length, width).map((l) => fit(l, width)));
  else out.push(fit([{ text: 'no traced path yet: run a traceroute step and its path lights up here', tone: 'dim' }], width));
  return out;
}
