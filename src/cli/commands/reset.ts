import { UsageError } from '../../core/errors.js';
import { openProvider } from '../../providers/index.js';
import { parse, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { progressPrinter } from '../print/progress.js';
import { hoplabCmd } from '../../core/suggest.js';

export const reset: Command = {
  name: 'reset',
  usage: 'reset [--name LAB] [--provider P]',
  async run(argv, io) {
    const { values } = parse('reset', argv, {}, false);
    const provider = await openProvider(providerPick(values));
    if (!provider.reset) {
      throw new UsageError(
        `the ${provider.name} provider keeps no snapshot to go back to`,
        `rebuild instead: ${hoplabCmd(provider.lab, 'down')} && ${hoplabCmd(provider.lab, 'up')} (the ${provider.name} lab takes about as long as one reset)`,
      );
    }
    await provider.reset({ onEvent: progressPrinter(io.stdout) });
    io.stdout.write(`lab '${provider.lab}' is back to its state right after provisioning\n`);
    return 0;
  },
};
