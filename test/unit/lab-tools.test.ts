// Which programs labs run on their machines, and that hoplab installs every
// one of them: a learner must never meet "command not found" in a step.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeContext } from '../../src/labs/context.js';
import { parseLab } from '../../src/labs/load.js';
import { runCommand } from '../../src/labs/run-command.js';
import { programsOf } from '../../src/labs/tools.js';
import { NETNS_REQUIREMENTS } from '../../src/providers/netns/requirements.js';
import type { Provider } from '../../src/providers/provider.js';

describe('programsOf', () => {
  it('finds the program of every simple command, past assignments, keywords and wrappers, not inside quotes', () => {
    expect(programsOf('ip route')).toEqual(['ip']);
    expect(programsOf("(sleep 1; ping -c 2 {{ pods.httpd.ip }} >/dev/null) &\ntimeout 8 tcpdump -lni eth1 -c 2 udp port 8472")).toEqual(['sleep', 'ping', 'timeout', 'tcpdump']);
    expect(programsOf('before=$(cat /sys/x); ip -s link show flannel.1; echo "a | b; c"')).toEqual(['cat', 'ip', 'echo']);
    expect(programsOf("until [ \"$(iptables-save -t nat | grep -c -- 'x')\" = 2 ]; do sleep 0.2; done")).toEqual(['[', 'iptables-save', 'grep', 'sleep']);
    expect(programsOf('for i in 1 2 3; do wget -qO- http://x | grep Server; done')).toEqual(['wget', 'grep']);
    expect(programsOf('if [ "$dev" != cni0 ]; then echo "$dev"; else bridge fdb show br cni0 | awk -v m="$mac" \'$1 == m { print $3 }\'; fi')).toEqual(['[', 'echo', 'bridge', 'awk']);
    expect(programsOf('LC_ALL=C /usr/sbin/conntrack -L 2>/dev/null')).toEqual(['conntrack']);
    expect(programsOf('echo "sent $((after - before)) packets"')).toEqual(['echo']);
  });
});

describe('what labs run is what hoplab installs', () => {
  it('scripts/setup.sh installs the package of every requirement doctor lists', () => {
    const setup = readFileSync(new URL('../../scripts/setup.sh', import.meta.url), 'utf8');
    const wanted = new Set([...setup.matchAll(/^want (\S+) /gm)].map((m) => m[1]));
    const missing = NETNS_REQUIREMENTS.map((r) => r.package).filter((p) => !wanted.has(p) && !setup.includes(`need_pkgs+=(${p})`));
    expect(missing).toEqual([]);
  });

  it('labs --check names a program no requirement brings, with its position, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplab-tools-'));
    try {
      const file = join(dir, 'scan.yaml');
      writeFileSync(
        file,
        'id: scan\ntitle: Scan\nsummary: s\ncni: any\nminutes: 1\nsteps:\n  - id: one\n    title: One\n    text: t\n    run:\n      - id: s\n        on: node-1\n        cmd: nmap -sn 10.244.0.0/16\n    checks:\n      - kind: succeeds\n        run: { ref: s }\n',
      );
      const out = new PassThrough();
      const err = new PassThrough();
      let o = '';
      let e = '';
      out.on('data', (d) => (o += d));
      err.on('data', (d) => (e += d));
      const code = await main(['labs', '--check', file], { stdout: out, stderr: err, stdin: new PassThrough(), isTTY: false });
      expect(code).toBe(2);
      expect(o).toContain(`FAIL  ${file}`);
      expect(e).toMatch(new RegExp(`^${file}:11:\\d+: runs 'nmap' on a lab machine, which hoplab doctor and scripts/setup.sh do not install`, 'm'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a program that is not there fails the command with what to do, even where a failing exit is allowed', async () => {
    const r = parseLab('id: x\ntitle: X\nsummary: s\ncni: any\nminutes: 1\nsteps:\n  - id: one\n    title: One\n    text: t\n    run:\n      - on: node-2\n        cmd: tcpdump -ni eth1\n        mayFail: true\n    checks: []\n', 'x.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const provider = { name: 'netns', lab: 'x', run: async () => ({ exitCode: 127, stdout: '', stderr: 'sh: 1: tcpdump: not found\n' }) } as unknown as Provider;
    const res = await runCommand(r.lab.steps[0]!.run[0]!, makeContext(provider, 0), 'run');
    expect(res.ok).toBe(false);
    expect(res.error).toBe("tcpdump is not installed on this machine: 'sudo hoplab doctor' installs what the labs use");
  });
});
