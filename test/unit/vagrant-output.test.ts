// Parsing what vagrant and ansible-playbook print: machine-readable records
// recorded here from vagrant 2.3.4, and the stand-in's replay files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/providers/provider.js';
import { errorExit, machineStates, parseMachineReadable, snapshotNames } from '../../src/providers/vagrant/machine-readable.js';
import { createUpParser } from '../../src/providers/vagrant/progress.js';

const fx = (p: string) => readFileSync(new URL(`../fixtures/vagrant/${p}`, import.meta.url), 'utf8');

function parse(stdout: string, stderr = '', exitCode = 0) {
  const p = createUpParser();
  const events: ProgressEvent[] = [];
  for (const l of stdout.split('\n')) events.push(...p.feed(l, 'stdout'));
  for (const l of stderr.split('\n')) events.push(...p.feed(l, 'stderr'));
  events.push(...p.end(exitCode));
  const phases = events.filter((e): e is Extract<ProgressEvent, { type: 'phase' }> => e.type === 'phase');
  return { summary: p.summary, phases, events };
}

describe('machine-readable output (recorded)', () => {
  it('reads each machine state of a partly created environment', () => {
    const states = machineStates(parseMachineReadable(fx('recorded/status-machine-readable-partial.txt')));
    expect([...states]).toEqual([
      ['controlplane', 'running'],
      ['node-1', 'running'],
      ['node-2', 'not_created'],
    ]);
  });

  it('unescapes commas and newlines in data fields', () => {
    const recs = parseMachineReadable(fx('recorded/status-machine-readable-running.txt'));
    const long = recs.find((r) => r.type === 'state-human-long')!;
    expect(long.data[0]).toContain('To stop this VM, you can run `vagrant halt` to\nshut it down');
  });

  it('finds the error a failed command exited with (no VirtualBox here)', () => {
    const err = errorExit(parseMachineReadable(fx('recorded/status-no-virtualbox.txt')));
    expect(err?.kind).toBe('Vagrant::Errors::NoDefaultProvider');
    expect(err?.message).toMatch(/No usable default provider could be found for your system\.\n/);
  });

  it('lists snapshot names per machine, and none where none were taken', () => {
    expect([...snapshotNames(parseMachineReadable(fx('recorded/snapshot-list-machine-readable.txt')))]).toEqual([
      ['controlplane', ['hoplab-provisioned']],
      ['node-1', ['hoplab-provisioned']],
      ['node-2', ['hoplab-provisioned']],
    ]);
    const none = snapshotNames(parseMachineReadable(fx('recorded/snapshot-list-none-machine-readable.txt')));
    expect([...none.values()]).toEqual([[], [], []]);
  });
});

describe('progress from vagrant up + ansible-playbook', () => {
  it('success: every VM starts and finishes, the provisioner runs once, every node provisions', () => {
    const { summary, phases } = parse(fx('scenarios/success/up.stdout'));
    expect(summary.machines).toEqual(['controlplane', 'node-1', 'node-2']);
    expect(summary.provisionerRan).toBe(true);
    for (const n of ['controlplane', 'node-1', 'node-2']) {
      expect(phases.filter((e) => e.phase === 'vm' && e.node === n).map((e) => e.state)).toEqual(['start', 'done']);
      expect(phases.find((e) => e.phase === 'provision' && e.node === n)?.state).toBe('done');
    }
    expect(phases.some((e) => e.phase === 'task: controlplane : Initialise the control plane with kubeadm' && e.state === 'start')).toBe(true);
    expect(phases.at(-1)).toMatchObject({ phase: 'ansible', state: 'done' });
    expect(phases.filter((e) => e.state === 'failed')).toEqual([]);
  });

  it('a VM that never answers SSH: that VM fails with Vagrant\'s reason, the earlier one is done', () => {
    const { summary, phases } = parse(fx('scenarios/vm-fails/up.stdout'), fx('scenarios/vm-fails/up.stderr'), 1);
    expect(phases.find((e) => e.phase === 'vm' && e.node === 'controlplane' && e.state === 'done')).toBeTruthy();
    const failed = phases.find((e) => e.phase === 'vm' && e.node === 'node-1' && e.state === 'failed');
    expect(failed?.detail).toMatch(/^Timed out while waiting for the machine to boot/);
    expect(summary.provisionerRan).toBe(false);
    expect([...summary.failed.keys()]).toEqual(['node-1']);
  });

  it('a failing task: the task fails on that node with Ansible\'s message, the recap marks it, ansible fails', () => {
    const { summary, phases } = parse(fx('scenarios/provision-fails/up.stdout'), fx('scenarios/provision-fails/up.stderr'), 1);
    const task = phases.find((e) => e.state === 'failed' && e.phase.startsWith('task:'));
    expect(task).toMatchObject({ phase: 'task: kubernetes : Fetch the pkgs.k8s.io signing key for v1.32', node: 'node-1' });
    expect(task?.detail).toMatch(/failed: Request failed: <urlopen error/);
    expect(phases.find((e) => e.phase === 'provision' && e.node === 'node-1')?.state).toBe('failed');
    expect(phases.find((e) => e.phase === 'provision' && e.node === 'node-2')?.state).toBe('done');
    expect(phases.at(-1)).toMatchObject({ phase: 'ansible', state: 'failed' });
    expect(summary.errorLines[0]).toBe('Ansible failed to complete successfully. Any error output should be');
  });

  it('recorded: ansible could not reach any VM (UNREACHABLE), as vagrant 2.3.4 printed it here', () => {
    const { summary, phases } = parse(fx('recorded/up-provision-unreachable.stdout'), fx('recorded/up-provision-unreachable.stderr'), 1);
    expect(summary.provisionerRan).toBe(true);
    expect([...summary.failed.keys()].sort()).toEqual(['controlplane', 'node-1', 'node-2']);
    expect(phases.filter((e) => e.phase === 'provision').map((e) => e.state)).toEqual(['failed', 'failed', 'failed']);
    expect(summary.failed.get('node-2')).toMatch(/Gathering Facts: unreachable: Data could not be sent/);
  });

  it('recorded: machines already running print "already provisioned" and count as up', () => {
    const { phases } = parse(fx('scenarios/resume/up.stdout'));
    expect(phases.filter((e) => e.phase === 'vm').map((e) => `${e.node} ${e.state}`)).toEqual([
      'controlplane start', 'controlplane done', 'node-1 start', 'node-1 done', 'node-2 start', 'node-2 done',
    ]);
  });

  it('recorded: a box that cannot be fetched fails that VM before anything boots', () => {
    const { summary, phases } = parse(fx('recorded/up-box-missing.stdout'), fx('recorded/up-box-missing.stderr'), 1);
    expect(phases.find((e) => e.state === 'failed')).toMatchObject({ phase: 'vm', node: 'node-2' });
    expect(summary.failed.get('node-2')).toMatch(/The box 'bento\/ubuntu-22.04' could not be found/);
  });

  it('strips progress-bar carriage returns and colour codes', () => {
    const p = createUpParser();
    const events = p.feed('\x1b[KProgress: 0%\r\x1b[K==> controlplane: Booting VM...');
    expect(events[0]).toEqual({ type: 'log', line: '==> controlplane: Booting VM...' });
    expect(events[1]).toEqual({ type: 'phase', phase: 'vm', state: 'start', node: 'controlplane' });
  });
});

describe('a loop item failing (recorded, ansible-core 2.14)', () => {
  it('names the node, the task and the item, with the module\'s message', () => {
    const { summary, phases } = parse(fx('recorded/ansible-loop-item-failed.out'), '', 2);
    const failed = phases.filter((p) => p.state === 'failed');
    expect(failed[0]).toMatchObject({
      phase: 'task: Load the kernel modules now',
      node: 'localhost',
      detail: "failed (item=no_such_module_xyz): [Errno 2] No such file or directory: b'modprobe'",
    });
    expect(summary.failed.get('localhost')).toBe("Load the kernel modules now: failed (item=no_such_module_xyz): [Errno 2] No such file or directory: b'modprobe'");
    expect(summary.recap.get('localhost')).toMatchObject({ failed: 1 });
  });

  it('a failed command item shows its stderr rather than "non-zero return code"', () => {
    const line = 'failed: [node-1] (item=br_netfilter) => {"ansible_loop_var": "item", "changed": false, "cmd": ["modprobe", "br_netfilter"], "item": "br_netfilter", "msg": "non-zero return code", "rc": 1, "stderr": "modprobe: FATAL: Module br_netfilter not found in directory /lib/modules/6.8.0-40-generic", "stdout": ""}';
    const { phases } = parse(`TASK [common : Load the kernel modules now] ****\n${line}`, '', 2);
    expect(phases.find((p) => p.state === 'failed')!.detail).toBe('failed (item=br_netfilter): modprobe: FATAL: Module br_netfilter not found in directory /lib/modules/6.8.0-40-generic');
  });
});
