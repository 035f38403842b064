import { cniMode, intOption, parse } from '../args.js';
import type { Command } from '../command.js';
import { openProvider } from '../../providers/index.js';
import { rememberProvider } from '../../providers/remembered.js';
import { progressPrinter } from '../print/progress.js';

export const up: Command = {
  name: 'up',
  usage: 'up [--cni MODE] [--workers N] [--provider P] [--name LAB]',
  async run(argv, io) {
    const { values } = parse('up', argv, { workers: { type: 'string' } }, false);
    const cni = cniMode(values) ?? 'flannel-host-gw';
    const workers = intOption(values, 'workers', 1, 50) ?? 2;
    const provider = await openProvider(values);
    const started = Date.now();
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await provider.up({ cni, workers, signal: abort.signal, onEvent: progressPrinter(io.stdout, started) });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    await rememberProvider(provider.lab, provider.name);
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    const lab = provider.lab === 'lab' ? '' : ` --name ${provider.lab}`;
    io.stdout.write(
      `lab '${provider.lab}' is up in ${secs}s: ${provider.name}, ${cni}, ${workers + 1} nodes\n` +
        `next: hoplab${lab} kubectl get nodes -o wide   ·   hoplab${lab} ssh node-1   ·   hoplab${lab} run pod-to-pod\n`,
    );
    return 0;
  },
};
