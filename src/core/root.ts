// Who runs hoplab: root, or the user behind `sudo` (SUDO_UID/SUDO_GID), who
// gets their own kubeconfig and read access to the lab they brought up. A
// command that only root can do says so with the command line to type again.
import { shellQuote } from './shell-words.js';
import { MachineError } from './errors.js';

export interface Invoker {
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The user who ran `sudo hoplab ...`, when hoplab runs as root through sudo; never root itself. */
export function sudoInvoker(env: NodeJS.ProcessEnv = process.env, root = isRoot()): Invoker | undefined {
  if (!root) return undefined;
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (!/^\d+$/.test(env.SUDO_UID ?? '') || !/^\d+$/.test(env.SUDO_GID ?? '') || uid === 0) return undefined;
  return { uid, gid };
}

/** The hoplab command line as typed (the binary's own argv), for "run it again with sudo". */
export function commandLine(argv: string[] = process.argv.slice(2)): string {
  return ['hoplab', ...argv].map(shellQuote).join(' ');
}

/** Exit 3: "needs root: sudo hoplab ssh node-1", with why as the hint. */
export function needsRoot(why: string, argv?: string[]): MachineError {
  return new MachineError(`needs root: sudo ${commandLine(argv)}`, why);
}

/** EACCES/EPERM from the file system: a root-only file, not a bug. */
export function isPermissionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}
