import { UsageError } from '../../core/errors.js';
import { openProvider } from '../../providers/index.js';
import type { Target } from '../../providers/provider.js';
import { labName, parse, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { runAttached } from '../interactive.js';
import { hoplabCmd } from '../../core/suggest.js';

/** `node-1` is a node, `pod/NAME` a pod, anything else a lab host (host, registry, nat-node-1, office-gw ...). */
export async function parseTarget(text: string, nodes: () => Promise<string[]>): Promise<Target> {
  if (text.startsWith('pod/')) return { kind: 'pod', name: text.slice(4) };
  if (text.startsWith('node/')) return { kind: 'node', name: text.slice(5) };
  if (text.startsWith('host/')) return { kind: 'host', name: text.slice(5) };
  return (await nodes()).includes(text) ? { kind: 'node', name: text } : { kind: 'host', name: text };
}

export const ssh: Command = {
  name: 'ssh',
  usage: 'ssh NODE                  interactive shell\nssh NODE -- CMD [ARGS...]  one command, e.g. hoplab ssh node-1 -- ip route',
  async run(argv) {
    const dash = argv.indexOf('--');
    const own = dash === -1 ? argv : argv.slice(0, dash);
    const command = dash === -1 ? [] : argv.slice(dash + 1);
    const { values, positionals } = parse('ssh', own, {});
    if (positionals.length !== 1) {
      throw new UsageError(`ssh: expected one node or host name, e.g. ${hoplabCmd(labName(values), 'ssh node-1')}`, `${hoplabCmd(labName(values), 'status')} lists them`);
    }
    if (dash !== -1 && command.length === 0) throw new UsageError('ssh: expected a command after --');
    const provider = await openProvider(providerPick(values));
    const target = await parseTarget(positionals[0]!, async () => (await provider.facts()).nodes.map((n) => n.name));
    return runAttached(await provider.shell(target, command));
  },
};
