// Where hoplab keeps per-user state that outlives a lab: lab progress, which
// provider a lab was brought up with. $XDG_STATE_HOME/hoplab, else ~/.local/state/hoplab.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'hoplab');
}
