import { kubectlProgram } from '../../core/exec.js';
import { providerPick } from '../args.js';
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { hoplabCmd } from '../../core/suggest.js';
import { openProvider } from '../../providers/index.js';
import type { Command } from '../command.js';
import { runAttached } from '../interactive.js';

export const kubectl: Command = {
  name: 'kubectl',
  usage: 'kubectl ARGS...            (lab options go before the command: hoplab --name LAB kubectl ...)',
  async run(argv) {
    const provider = await openProvider(providerPick({}));
    const env = await provider.kubeEnv();
    if (env.KUBECONFIG && !existsSync(env.KUBECONFIG)) {
      throw new UsageError(`lab '${provider.lab}' is not up (no kubeconfig at ${env.KUBECONFIG})`, `start it with 'sudo ${hoplabCmd(provider.lab, 'up')}'`);
    }
    return runAttached({ file: kubectlProgram(provider.kubeVersion), args: argv, env });
  },
};
