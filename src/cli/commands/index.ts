// The command registry: one module per subcommand, listed here in help order.
import type { Command } from '../command.js';

export const COMMANDS: Command[] = [];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
