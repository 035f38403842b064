// The proof at the wrong hop: when a trace fails, which commands to run on
// the machine where the path went wrong, and how to cut their output down to
// the entries that matter (the route to the destination, the peer's VXLAN
// fdb and neighbour entries, the BGP sessions, the Service's chains). Pure:
// the labs layer runs the plan through the provider (labs/evidence.ts).
import { CNI_MODE_INFO } from '../core/cni-modes.js';
import { isCniMode, type ClusterFacts, type NodeFacts } from '../core/facts.js';
import { serviceChain, servicePortName } from '../kube/proxy-chains.js';
import { inCidr } from '../path/cidr.js';
import type { DiagnosisKind, PathPrediction, TraceVerdict } from '../path/types.js';

/** How to cut a command's output down to what proves the diagnosis. */
export type EvidenceTrim =
  | { kind: 'all' }
  /** Lines with any of these words (whitespace-separated tokens); `none` says what their absence means. */
  | { kind: 'words'; words: string[]; none: string }
  | { kind: 'bgp-sessions' }
  | { kind: 'service-chains'; clusterIP: string; chains: string[] };

export interface EvidenceCommand {
  argv: string[];
  /** What it shows, in a few words. */
  why: string;
  trim: EvidenceTrim;
}

export interface EvidencePlan {
  target: { kind: 'node' | 'host'; name: string };
  kind: DiagnosisKind;
  commands: EvidenceCommand[];
}

/** One command's evidence, trimmed: plain data for `run --json`, the report and the TUI. */
export interface EvidenceItem {
  /** The command as typed on the machine. */
  command: string;
  why: string;
  /** The lines that matter, at most MAX_EVIDENCE_LINES. */
  lines: string[];
  /** How many more lines matched and were left out. */
  omitted: number;
  /** What the trimmed output says by what is missing ("no fdb entry for node-1"). */
  note?: string;
  exitCode?: number;
  /** Why the command did not give its evidence: it failed or could not run (birdc on a flannel node). */
  error?: string;
}

export interface Evidence {
  /** The node or lab host the commands ran on. */
  machine: string;
  kind: DiagnosisKind;
  items: EvidenceItem[];
}

export const MAX_EVIDENCE_LINES = 6;

/** The socket BIRD answers on in the lab's nodes (see calico.yaml): birdc's default differs per distribution. */
const BIRD_SOCKET = '/etc/bird/bird.ctl';

/** The commands that show why the path went wrong where the verdict says, or undefined when it names no machine. */
export function evidencePlan(prediction: PathPrediction, verdict: TraceVerdict, facts: ClusterFacts): EvidencePlan | undefined {
  const at = verdict.wrongAt;
  if (verdict.passed || !prediction.ok || !at?.machine) return undefined;
  const node = facts.nodes.find((n) => n.name === at.machine);
  const host = node ? undefined : facts.hosts.find((h) => h.name === at.machine);
  if (!node && !host) return undefined;
  const lookup = at.lookup ?? prediction.destination;
  const commands: EvidenceCommand[] = [];
  if (at.kind === 'service') commands.push(...serviceEvidence(facts, prediction.destination));
  commands.push({ argv: ['ip', 'route', 'get', lookup], why: `the route ${at.machine} takes to ${lookup}`, trim: { kind: 'all' } });
  if (node && at.kind !== 'service' && at.kind !== 'no-way-back') commands.push(...modeEvidence(facts, node, lookup));
  return { target: { kind: node ? 'node' : 'host', name: at.machine }, kind: at.kind, commands };
}

/** The node whose pod CIDR holds `ip`. */
function ownerOf(facts: ClusterFacts, ip: string): NodeFacts | undefined {
  return facts.nodes.find((n) => inCidr(ip, n.podCIDR));
}

/** What the CNI mode adds when the destination is a pod on another node: the VXLAN peer's entries, the BGP sessions. */
function modeEvidence(facts: ClusterFacts, node: NodeFacts, destination: string): EvidenceCommand[] {
  const owner = ownerOf(facts, destination);
  if (!owner || owner.name === node.name || !isCniMode(facts.cni)) return [];
  const info = CNI_MODE_INFO[facts.cni];
  const out: EvidenceCommand[] = [];
  if (info.tunnel?.kind === 'vxlan') {
    const dev = info.tunnel.device;
    const vtep = owner.interfaces.find((i) => i.name === dev);
    const peer = `${owner.name} (${owner.internalIP})`;
    out.push({
      argv: ['bridge', 'fdb', 'show', 'dev', dev],
      why: `where ${dev} sends frames for ${owner.name}'s VTEP`,
      trim: { kind: 'words', words: [`${owner.internalIP}`, ...(vtep?.mac ? [vtep.mac] : [])], none: `no fdb entry on ${dev} for ${peer}: VXLAN frames for its pods have no underlay address to go to` },
    });
    out.push({
      argv: ['ip', 'neigh', 'show', 'dev', dev],
      why: `the MAC ${dev} uses for ${owner.name}'s tunnel address`,
      trim: {
        kind: 'words',
        words: [...(vtep?.address ? [vtep.address] : []), ...(vtep?.mac ? [vtep.mac] : [])],
        none: `no neighbour entry on ${dev} for ${owner.name}'s tunnel address${vtep?.address ? ` ${vtep.address}` : ''}`,
      },
    });
  }
  // Calico's BGP and IPIP modes learn the other nodes' pod routes from BIRD.
  if (info.plugin === 'calico' && info.tunnel?.kind !== 'vxlan') {
    out.push({ argv: ['birdc', '-s', BIRD_SOCKET, 'show', 'protocols'], why: `the BGP sessions ${node.name}'s routes to other nodes' pods come from`, trim: { kind: 'bgp-sessions' } });
  }
  return out;
}

function serviceEvidence(facts: ClusterFacts, clusterIP: string): EvidenceCommand[] {
  const svc = facts.services.find((s) => s.clusterIP === clusterIP);
  const chains = svc ? svc.ports.map((p) => serviceChain(servicePortName(svc.namespace, svc.name, p.name ?? ''), p.protocol)) : [];
  const name = svc ? `${svc.namespace}/${svc.name}` : clusterIP;
  return [{ argv: ['iptables-save', '-t', 'nat'], why: `kube-proxy's rules for ${name}`, trim: { kind: 'service-chains', clusterIP, chains } }];
}

/** Terminal escapes and other control characters out: the output is shown in a terminal. */
function clean(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function bounded(lines: string[], note?: string): Pick<EvidenceItem, 'lines' | 'omitted' | 'note'> {
  const out: Pick<EvidenceItem, 'lines' | 'omitted' | 'note'> = { lines: lines.slice(0, MAX_EVIDENCE_LINES), omitted: Math.max(0, lines.length - MAX_EVIDENCE_LINES) };
  if (note) out.note = note;
  return out;
}

/** The lines of `stdout` that matter, by the command's trim. */
export function trimEvidence(trim: EvidenceTrim, stdout: string): Pick<EvidenceItem, 'lines' | 'omitted' | 'note'> {
  const lines = stdout.split('\n').map((l) => clean(l).trimEnd()).filter((l) => l.trim() !== '');
  switch (trim.kind) {
    case 'all':
      return bounded(lines);
    case 'words': {
      const hit = lines.filter((l) => l.trim().split(/\s+/).some((w) => trim.words.includes(w)));
      return bounded(hit, hit.length ? undefined : trim.none);
    }
    case 'bgp-sessions': {
      const rows = lines.filter((l) => l.trim().split(/\s+/)[1] === 'BGP');
      const head = lines.filter((l) => /^Name\s+Proto/.test(l));
      return bounded([...head.slice(0, rows.length ? 1 : 0), ...rows], rows.length ? undefined : 'no BGP sessions: BIRD has no peers to learn the other nodes\' pod routes from');
    }
    case 'service-chains':
      return serviceChains(lines, trim);
  }
}

/**
 * iptables-save lines for one Service: its KUBE-SERVICES rule(s), the
 * KUBE-SVC chain they jump to (or that kube-proxy would name) and the
 * KUBE-SEP chains that one jumps to, in the order iptables-save prints them.
 */
function serviceChains(lines: string[], trim: Extract<EvidenceTrim, { kind: 'service-chains' }>): Pick<EvidenceItem, 'lines' | 'omitted' | 'note'> {
  const words = (l: string) => l.split(/\s+/);
  const chainOf = (l: string) => (l.startsWith('-A ') ? words(l)[1]! : '');
  const jumpOf = (l: string) => { const w = words(l); const j = w.indexOf('-j'); return j < 0 ? '' : w[j + 1] ?? ''; };
  const portal = lines.filter((l) => chainOf(l) === 'KUBE-SERVICES' && words(l).includes(`${trim.clusterIP}/32`));
  const svc = new Set([...trim.chains, ...portal.map(jumpOf).filter((c) => c.startsWith('KUBE-SVC-'))]);
  const sep = new Set(lines.filter((l) => svc.has(chainOf(l))).map(jumpOf).filter((c) => c.startsWith('KUBE-SEP-')));
  const keep = lines.filter((l) => portal.includes(l) || svc.has(chainOf(l)) || sep.has(chainOf(l)));
  const notes: string[] = [];
  if (!portal.length) notes.push(`no KUBE-SERVICES rule for ${trim.clusterIP}: packets to it are not DNATed to an endpoint (kube-proxy in IPVS mode keeps Services in IPVS: ipvsadm -Ln)`);
  const empty = [...svc].filter((c) => !keep.some((l) => chainOf(l) === c));
  if (empty.length) notes.push(`no rules in ${empty.join(', ')}`);
  return bounded(keep, notes.join('; ') || undefined);
}

/** A command's result as evidence: trimmed output, or why there is none. */
export function evidenceItem(cmd: EvidenceCommand, run: { exitCode: number; stdout: string; stderr: string } | { error: string }): EvidenceItem {
  const base = { command: cmd.argv.join(' '), why: cmd.why };
  if ('error' in run) return { ...base, lines: [], omitted: 0, error: clean(run.error) };
  if (run.exitCode !== 0) {
    const said = run.stderr.split('\n').map((l) => clean(l).trim()).find(Boolean) ?? run.stdout.split('\n').map((l) => clean(l).trim()).find(Boolean);
    return { ...base, lines: [], omitted: 0, exitCode: run.exitCode, error: `exit ${run.exitCode}${said ? `: ${said}` : ''}` };
  }
  return { ...base, exitCode: 0, ...trimEvidence(cmd.trim, run.stdout) };
}

/** The evidence as text lines for the report and check-trace (the TUI draws its own). */
export function evidenceLines(e: Evidence): string[] {
  const out = [`evidence on ${e.machine}, where the path went wrong:`];
  for (const i of e.items) {
    out.push(`  ${e.machine}$ ${i.command}   (${i.why})`);
    if (i.error) out.push(`    failed: ${i.error}`);
    for (const l of i.lines) out.push(`    ${l}`);
    if (i.omitted) out.push(`    … ${i.omitted} more line${i.omitted === 1 ? '' : 's'}`);
    if (i.note) out.push(`    (${i.note})`);
  }
  return out;
}
