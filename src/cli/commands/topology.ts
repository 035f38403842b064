import { UsageError } from '../../core/errors.js';
import type { ClusterFacts } from '../../core/facts.js';
import { openProvider } from '../../providers/index.js';
import { toDot, toMermaid } from '../../topology/graph.js';
import { buildTopology } from '../../topology/model.js';
import { predictedPath } from '../../topology/predicted.js';
import { toSvg } from '../../topology/svg.js';
import { drawTopology, lineText } from '../../topology/text.js';
import { intOption, parse, providerPick } from '../args.js';
import type { Command } from '../command.js';
import { readFacts } from '../facts-file.js';

const FORMATS = ['text', 'svg', 'mermaid', 'dot'] as const;
type Format = (typeof FORMATS)[number];

/** The topology in one format, with the engine's path FROM,TO lit when given. Pure: facts in, text out. */
export function renderTopology(facts: ClusterFacts, format: Format, opts: { path?: string; width?: number } = {}): string {
  let path;
  if (opts.path !== undefined) {
    const parts = opts.path.split(',').map((p) => p.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--path '${opts.path}': expected FROM,TO like traceroute,httpd or node-2,10.244.1.3`);
    path = predictedPath(facts, parts[0], parts[1]);
  }
  if (format === 'text') return drawTopology(facts, { width: opts.width ?? 100, ...(path ? { path } : {}) }).map((l) => lineText(l).trimEnd()).join('\n') + '\n';
  const t = buildTopology(facts, path);
  return format === 'svg' ? toSvg(t) : format === 'mermaid' ? toMermaid(t) : toDot(t);
}

export const topology: Command = {
  name: 'topology',
  usage:
    'topology [--format text|svg|mermaid|dot] [--path FROM,TO] [--width N] [--facts FILE] [--name LAB] [--provider P]\n' +
    "    the lab's nodes, interfaces, pods, NAT routers, switches and LANs; --path lights the hops the engine predicts\n" +
    "    from FROM to TO (pod, node, host or address); --facts draws saved 'hoplab status --json' output instead of the lab",
  async run(argv, io) {
    const { values } = parse('topology', argv, { format: { type: 'string' }, path: { type: 'string' }, width: { type: 'string' }, facts: { type: 'string' } }, false);
    const format = (values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format '${format}': expected one of ${FORMATS.join(', ')}`);
    const width = intOption(values, 'width', 40, 1000) ?? ((io.stdout as { columns?: number }).columns || 100);
    const facts = values.facts ? await readFacts(values.facts as string) : await (await openProvider(providerPick(values))).facts();
    io.stdout.write(renderTopology(facts, format as Format, { width, ...(values.path !== undefined ? { path: values.path as string } : {}) }));
    return 0;
  },
};
