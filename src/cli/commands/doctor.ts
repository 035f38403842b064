import { run, which } from '../../core/exec.js';
import { NETNS_REQUIREMENTS, installCommand, missingRequirements } from '../../providers/netns/requirements.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';

export const doctor: Command = {
  name: 'doctor',
  usage: 'doctor            check, and install what is missing when running as root with apt\ndoctor --check    only check',
  async run(argv, io) {
    const { values } = parse('doctor', argv, { check: { type: 'boolean' } }, false);
    const show = async () => {
      const missing = await missingRequirements();
      for (const r of NETNS_REQUIREMENTS) {
        const ok = !missing.includes(r);
        io.stdout.write(`  ${ok ? '✓' : '✗'} ${r.what.padEnd(52)} ${ok ? '' : `(Debian package ${r.package})`}\n`);
      }
      return missing;
    };
    let missing = await show();
    if (missing.length === 0) {
      io.stdout.write('everything the embedded lab needs is here\n');
      return 0;
    }
    const cmd = installCommand(missing);
    const canInstall = process.getuid?.() === 0 && (await which('apt-get')) !== undefined;
    if (values.check || !canInstall) {
      io.stdout.write(`\nmissing: install with\n  ${process.getuid?.() === 0 ? '' : 'sudo '}${cmd}\n`);
      return 3;
    }
    io.stdout.write(`\ninstalling: ${cmd}\n`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    await run(['apt-get', 'update', '-q'], { env });
    const r = await run(cmd.split(' '), { env });
    if (r.exitCode !== 0) io.stderr.write(r.stderr.split('\n').slice(-5).join('\n'));
    io.stdout.write('\n');
    missing = await show();
    return missing.length === 0 ? 0 : 3;
  },
};
