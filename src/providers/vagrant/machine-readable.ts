// `vagrant <command> --machine-readable` output: one record per line,
// `timestamp,target,type,data...`, commas inside data written as
// %!(VAGRANT_COMMA) and newlines as a literal \n.

export interface MachineRecord {
  timestamp: number;
  target: string;
  type: string;
  data: string[];
}

function unescape(field: string): string {
  return field.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n').replaceAll('\\r', '\r');
}

export function parseMachineReadable(text: string): MachineRecord[] {
  const out: MachineRecord[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+),([^,]*),([^,]+)(?:,(.*))?$/.exec(line.trimEnd());
    if (!m) continue;
    out.push({
      timestamp: Number(m[1]),
      target: m[2]!,
      type: m[3]!,
      data: m[4] === undefined ? [] : m[4].split(',').map(unescape),
    });
  }
  return out;
}

/** Machine name → state (`running`, `poweroff`, `saved`, `aborted`, `not_created`, ...), in Vagrantfile order. */
export function machineStates(records: MachineRecord[]): Map<string, string> {
  const states = new Map<string, string>();
  for (const r of records) if (r.type === 'state' && r.target) states.set(r.target, r.data[0] ?? '');
  return states;
}

/** The error Vagrant exited with, if it did: its class name and message. */
export function errorExit(records: MachineRecord[]): { kind: string; message: string } | undefined {
  const r = records.find((x) => x.type === 'error-exit');
  return r ? { kind: r.data[0] ?? '', message: r.data.slice(1).join(',') } : undefined;
}

/** Snapshot names per machine from `vagrant snapshot list --machine-readable`. */
export function snapshotNames(records: MachineRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    if (!r.target || r.type !== 'ui') continue;
    if (!out.has(r.target)) out.set(r.target, []);
    // A machine with snapshots prints its names as `detail` lines; one without
    // prints "No snapshots have been taken yet!" as output plus a detail hint.
    if (r.data[0] === 'detail' && !/snapshot save/.test(r.data[1] ?? '')) {
      out.get(r.target)!.push(...(r.data[1] ?? '').split('\n').map((s) => s.trim()).filter(Boolean));
    }
  }
  return out;
}
