// The command registry: one module per subcommand, listed here in help order.
import type { Command } from '../command.js';
import { doctor } from './doctor.js';
import { down } from './down.js';
import { kubectl } from './kubectl.js';
import { shell } from './shell.js';
import { ssh } from './ssh.js';
import { status } from './status.js';
import { up } from './up.js';

export const COMMANDS: Command[] = [up, status, kubectl, ssh, shell, down, doctor];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
