// Running commands on the VMs. Two transports:
// - `ssh`: plain OpenSSH with the config `vagrant ssh-config` prints and a
//   ControlMaster connection per node, so each command costs milliseconds;
// - `vagrant`: `vagrant ssh NODE -c`, which starts Ruby and Vagrant for
//   every command (about 1-3 s each) but needs nothing besides Vagrant.
// `ssh` is used when OpenSSH is on PATH; labs run dozens of node commands.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunOptions, type RunResult } from '../../core/exec.js';
import type { SpawnSpec } from '../provider.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { vagrantSsh, type VagrantContext } from './vagrant-cli.js';

export type TransportName = 'ssh' | 'vagrant';

/** POSIX shell quoting: every word survives the remote shell unchanged. */
export function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export interface NodeTransport {
  name: TransportName;
  run(node: string, argv: string[], opts?: RunOptions): Promise<RunResult>;
  spawn(node: string, argv?: string[]): SpawnSpec;
}

export function vagrantTransport(ctx: VagrantContext): NodeTransport {
  return {
    name: 'vagrant',
    run: (node, argv, o = {}) => vagrantSsh(ctx, node, shellQuote(argv), o.input, o.timeoutMs),
    spawn: (node, argv) => ({
      file: 'vagrant',
      args: ['ssh', node, ...(argv ? ['-c', shellQuote(argv)] : [])],
      env: { ...ctx.env, VAGRANT_CWD: ctx.dir },
    }),
  };
}

/** `configFile` holds `vagrant ssh-config` output (the caller refreshes it after up/reset). */
export function sshTransport(configFile: string, env: Record<string, string> = {}): NodeTransport {
  // Unix socket paths are short (~104 bytes): keep the control sockets under /tmp.
  const controlDir = join(tmpdir(), `hoplab-ssh-${process.getuid?.() ?? 'u'}`);
  const base = (): string[] => {
    mkdirSync(controlDir, { recursive: true, mode: 0o700 });
    return [
      '-F', configFile,
      '-o', 'BatchMode=yes',
      '-o', 'ControlMaster=auto',
      '-o', `ControlPath=${join(controlDir, '%C')}`,
      '-o', `ControlPersist=${VAGRANT_DEFAULTS.ssh.controlPersistSeconds}`,
    ];
  };
  return {
    name: 'ssh',
    run: (node, argv, o = {}) =>
      run(['ssh', ...base(), node, shellQuote(argv)], { ...o, env: { ...env, ...o.env }, timeoutMs: o.timeoutMs ?? VAGRANT_DEFAULTS.timeoutsMs.command }),
    spawn: (node, argv) => ({ file: 'ssh', args: [...base(), '-t', node, ...(argv ? [shellQuote(argv)] : [])], env }),
  };
}
