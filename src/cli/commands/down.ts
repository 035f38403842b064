import { forgetFaults } from '../../faults/apply.js';
import { parse, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { openProvider } from '../../providers/index.js';
import { rememberProvider } from '../../providers/remembered.js';
import { progressPrinter } from '../print/progress.js';

export const down: Command = {
  name: 'down',
  usage: 'down [--name LAB] [--provider P]',
  async run(argv, io) {
    const { values } = parse('down', argv, {}, false);
    const provider = await openProvider(providerPick(values));
    await provider.down({ onEvent: progressPrinter(io.stdout) });
    await rememberProvider(provider.lab, undefined);
    // Every fault lived on the lab's own machines (the kubeconfig provider refuses them all): gone with it.
    await forgetFaults(provider.lab);
    io.stdout.write(`lab '${provider.lab}' is down\n`);
    return 0;
  },
};
