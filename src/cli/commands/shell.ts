import { existsSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { hoplabCmd } from '../../core/suggest.js';
import { openProvider } from '../../providers/index.js';
import { parse, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { runAttached } from '../interactive.js';

export const shell: Command = {
  name: 'shell',
  usage: 'shell [--name LAB]',
  async run(argv, io) {
    const { values } = parse('shell', argv, {}, false);
    const provider = await openProvider(providerPick(values));
    const env = await provider.kubeEnv();
    if (env.KUBECONFIG && !existsSync(env.KUBECONFIG)) {
      throw new UsageError(`lab '${provider.lab}' is not up`, `start it with 'sudo ${hoplabCmd(provider.lab, 'up')}'`);
    }
    io.stdout.write(`KUBECONFIG=${env.KUBECONFIG}: kubectl now talks to lab '${provider.lab}'. Type exit to leave.\n`);
    const sh = process.env.SHELL ?? '/bin/bash';
    return runAttached({ file: sh, args: [], env: { ...env, HOPLAB_SHELL: provider.lab } });
  },
};
