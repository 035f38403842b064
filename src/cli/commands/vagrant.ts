// `hoplab vagrant prepare --out DIR`: the bundle an instructor makes once and
// hands out (USB stick, LAN share), so twenty laptops behind one NAT pull
// nothing from Docker Hub. See vagrant/README.md.
import { UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { progressPrinter } from '../print/progress.js';

export const vagrant: Command = {
  name: 'vagrant',
  usage:
    'vagrant prepare --out DIR\n' +
    '   fetches the pinned box, every image the CNI modes and the labs need (image archives) and the CNI manifests into DIR;\n' +
    '   run again to complete a bundle; then on each laptop: hoplab up --provider vagrant --bundle DIR',
  async run(argv, io) {
    const { values, positionals } = parse('vagrant', argv, { out: { type: 'string' } });
    if (positionals[0] !== 'prepare' || positionals.length > 1) {
      throw new UsageError(`vagrant: expected 'prepare', got '${positionals.join(' ') || '(nothing)'}'`, "run 'hoplab vagrant --help'");
    }
    const out = values.out as string | undefined;
    if (!out) throw new UsageError('vagrant prepare: --out DIR is required (where the bundle goes)');
    const { createVagrantProvider } = await import('../../providers/vagrant/index.js');
    const { packageRoot } = await import('../../core/package-root.js');
    const provider = createVagrantProvider({ lab: 'prepare', projectDir: packageRoot() });
    const b = await provider.prepare(out, { onEvent: progressPrinter(io.stdout, Date.now()) });
    io.stdout.write(`bundle ready in ${out}: box ${b.box.name} ${b.box.version}, ${b.images.length} images, Kubernetes ${b.kubernetes}, flannel ${b.flannel}, calico ${b.calico}\n`);
    return 0;
  },
};
