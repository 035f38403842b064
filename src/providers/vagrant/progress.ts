// Turns `vagrant up` / `vagrant provision` output (Vagrant's own lines, then
// ansible-playbook's default output streamed through unprefixed) into
// per-VM and per-task progress events, one line at a time.
import type { ProgressEvent } from '../provider.js';

export interface UpSummary {
  /** Machines Vagrant worked on, in order. */
  machines: string[];
  /** The Ansible provisioner started (so provisioning happened in this run). */
  provisionerRan: boolean;
  /** From PLAY RECAP: node → failed or unreachable. */
  recap: Map<string, { ok: number; changed: number; failed: number; unreachable: number }>;
  /** Machines that failed, and the first line of why. */
  failed: Map<string, string>;
  /** Vagrant's error text (what it printed on stderr). */
  errorLines: string[];
}

export interface UpParser {
  /** One output line; stderr lines are Vagrant's error message. */
  feed(line: string, stream?: 'stdout' | 'stderr'): ProgressEvent[];
  /** Call once the process ended; closes open phases according to the exit code. */
  end(exitCode: number): ProgressEvent[];
  summary: UpSummary;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

// The Vagrant messages that start and finish a VM's bring-up
// (templates/locales/en.yml in Vagrant 2.3).
const VM_DONE = /^(Machine booted and ready!|Machine already provisioned\.|VM is already running\.|Machine already running\.)/;
const VM_BOOTING = /^(Booting VM\.\.\.|Importing base box|Cloning VM\.\.\.|Resuming suspended VM\.\.\.)/;

export function createUpParser(): UpParser {
  const summary: UpSummary = { machines: [], provisionerRan: false, recap: new Map(), failed: new Map(), errorLines: [] };
  let current: string | undefined; // the machine the last `==> name:` line was about
  const vmOpen = new Set<string>();
  let task: string | undefined;
  let inRecap = false;
  let inAnsible = false;

  const phase = (p: string, state: 'start' | 'done' | 'failed', node?: string, detail?: string): ProgressEvent => {
    const e: ProgressEvent = { type: 'phase', phase: p, state };
    if (node) e.node = node;
    if (detail) e.detail = detail;
    return e;
  };

  function openVm(name: string, out: ProgressEvent[]) {
    if (!summary.machines.includes(name)) summary.machines.push(name);
    if (!vmOpen.has(name) && !summary.failed.has(name)) {
      vmOpen.add(name);
      out.push(phase('vm', 'start', name));
    }
  }

  function closeTask(out: ProgressEvent[]) {
    if (task) out.push(phase(`task: ${task}`, 'done'));
    task = undefined;
  }

  function feed(raw: string, stream: 'stdout' | 'stderr' = 'stdout'): ProgressEvent[] {
    // Progress bars redraw with \r; only the text after the last one is current.
    const line = raw.replace(ANSI, '').split('\r').pop()!.trimEnd();
    const out: ProgressEvent[] = [{ type: 'log', line }];
    if (line === '') return out;
    if (stream === 'stderr') {
      summary.errorLines.push(line);
      return out;
    }

    let m = /^Bringing machine '([^']+)' up with '([^']+)' provider\.\.\.$/.exec(line);
    if (m) {
      if (!summary.machines.includes(m[1]!)) summary.machines.push(m[1]!);
      return out;
    }
    m = /^==> ([^:]+): (.*)$/.exec(line) ?? /^ {4}([^: ]+): (.*)$/.exec(line);
    if (m && !inAnsible) {
      const [, name, text] = m as unknown as [string, string, string];
      current = name;
      if (/^Running provisioner: ansible/.test(text)) {
        summary.provisionerRan = true;
        inAnsible = true;
        if (vmOpen.delete(name)) out.push(phase('vm', 'done', name));
        out.push(phase('ansible', 'start', name));
        return out;
      }
      if (VM_BOOTING.test(text) || /^Box '.*' could not be found/.test(text)) openVm(name, out);
      if (/^Destroying VM and associated drives/.test(text) || /^VM not created\. Moving on/.test(text)) {
        out.push(phase('destroy', 'done', name, text));
      }
      if (/^Snapshot saved!/.test(text)) out.push(phase('snapshot', 'done', name));
      if (VM_DONE.test(text)) {
        if (!vmOpen.has(name)) openVm(name, out);
        vmOpen.delete(name);
        out.push(phase('vm', 'done', name, text));
      }
      return out;
    }

    // Ansible's default callback.
    m = /^PLAY \[(.*)\] \**$/.exec(line);
    if (m) {
      inAnsible = true;
      closeTask(out);
      out.push(phase(`play: ${m[1]}`, 'start'));
      return out;
    }
    m = /^(?:TASK|RUNNING HANDLER) \[(.*)\] \**$/.exec(line);
    if (m) {
      closeTask(out);
      task = m[1]!;
      out.push(phase(`task: ${task}`, 'start'));
      return out;
    }
    // `fatal: [node]: FAILED! => {...}` for a task; a loop's failed item is
    // `failed: [node] (item=overlay) => {...}` (ansible-core 2.14, recorded in
    // test/fixtures/vagrant/recorded/ansible-loop-item-failed.out).
    m = /^fatal: \[([^\]]+)\]: (FAILED|UNREACHABLE)! => (.*)$/.exec(line);
    const item = m ? undefined : /^failed: \[([^\]]+)\] \(item=(.*)\) => (\{.*)$/.exec(line);
    if (m || item) {
      const [node, kind, json] = m ? [m[1]!, m[2]!, m[3]!] : [item![1]!, 'FAILED', item![3]!];
      let msg = kind === 'UNREACHABLE' ? 'unreachable' : 'failed';
      if (item) msg += ` (item=${item[2]})`;
      try {
        const parsed = JSON.parse(json) as { msg?: string; stderr?: string };
        const why = (parsed.msg === 'non-zero return code' && parsed.stderr?.trim()) || parsed.msg?.trim() || parsed.stderr?.trim();
        if (why) msg = `${msg}: ${why}`;
      } catch {
        // ignore: the line was cut or is not JSON; the kind is enough.
      }
      out.push(phase(`task: ${task ?? '?'}`, 'failed', node, msg));
      if (!summary.failed.has(node)) summary.failed.set(node, `${task ?? 'ansible'}: ${msg}`);
      return out;
    }
    if (/^PLAY RECAP \**$/.test(line)) {
      closeTask(out);
      inRecap = true;
      return out;
    }
    m = /^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(line);
    if (m && inRecap) {
      const [, node, ok, changed, unreachable, failed] = m as unknown as [string, string, string, string, string, string];
      const r = { ok: Number(ok), changed: Number(changed), failed: Number(failed), unreachable: Number(unreachable) };
      summary.recap.set(node, r);
      const bad = r.failed > 0 || r.unreachable > 0;
      out.push(phase('provision', bad ? 'failed' : 'done', node, `ok=${r.ok} changed=${r.changed} failed=${r.failed} unreachable=${r.unreachable}`));
      return out;
    }
    return out;
  }

  function end(exitCode: number): ProgressEvent[] {
    const out: ProgressEvent[] = [];
    if (exitCode === 0) closeTask(out);
    const why = summary.errorLines[0];
    for (const name of vmOpen) {
      out.push(phase('vm', exitCode === 0 ? 'done' : 'failed', name, exitCode === 0 ? undefined : why));
      if (exitCode !== 0 && !summary.failed.has(name)) summary.failed.set(name, why ?? `vagrant exited ${exitCode}`);
    }
    vmOpen.clear();
    if (summary.provisionerRan) {
      const ok = exitCode === 0 && [...summary.recap.values()].every((r) => r.failed === 0 && r.unreachable === 0);
      out.push(phase('ansible', ok ? 'done' : 'failed', current, ok ? undefined : why));
    } else if (exitCode !== 0 && why && current && !summary.failed.has(current)) {
      summary.failed.set(current, why);
      out.push(phase('vm', 'failed', current, why));
    }
    return out;
  }

  return { feed, end, summary };
}
