// `hoplab` with no command: the terminal UI. Without a terminal it says where
// the headless commands are and exits 2, rather than drawing into a pipe.
import { CNI_MODES } from '../../core/facts.js';
import { labDirs, loadCatalog } from '../../labs/catalog.js';
import { checkStep } from '../../labs/checks.js';
import { makeContext } from '../../labs/context.js';
import type { CommandResult } from '../../labs/results.js';
import { runCommand } from '../../labs/run-command.js';
import { clusterProgress } from '../../labs/progress.js';
import { resetLab, runLab } from '../../labs/runner.js';
import { installCommand, missingRequirements } from '../../providers/netns/requirements.js';
import { openProvider } from '../../providers/index.js';
import { workingModes } from '../../providers/working-modes.js';
import { cniMode, intOption, parse } from '../args.js';
import type { Command } from '../command.js';

export const ui: Command = {
  name: 'ui',
  usage: `[ui] [--name LAB] [--provider P] [--cni MODE] [--workers N] [--labs DIR]\n  MODE: ${CNI_MODES.join(', ')}`,
  async run(argv, io) {
    const { values } = parse('ui', argv, { workers: { type: 'string' }, labs: { type: 'string' } }, false);
    const cni = cniMode(values);
    const workers = intOption(values, 'workers', 1, 50);
    const dirs = labDirs({ ...(typeof values.labs === 'string' ? { labs: values.labs } : {}) });
    if (!io.isTTY) {
      io.stderr.write(
        'hoplab: the terminal UI needs a terminal, and this is not one (output or input is redirected).\n' +
          '  run a lab without it:  hoplab run LAB  (hoplab labs lists them)\n' +
          '  every command:         hoplab --help\n',
      );
      return 2;
    }
    // Ink draws only a final frame when it believes it runs in CI; on a terminal a person is using, it must draw live.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    const { runUi } = await import('../../ui/run-ui.js');
    const provider = await openProvider(values);
    return runUi(
      {
        provider,
        ...(cni ? { cni } : {}),
        ...(workers !== undefined ? { workers } : {}),
        loadCatalog: () => loadCatalog(dirs),
        progress: clusterProgress(provider.lab),
        runLab,
        checkStep,
        resetLab,
        async resetStep(lab, step, p, opts) {
          // The runner's own command runner, for the step's reset list only.
          const ctx = makeContext(p, step, opts);
          const done: CommandResult[] = [];
          for (const cmd of lab.steps[step]?.reset ?? []) {
            if (opts.signal.aborted) break;
            const r = await runCommand(cmd, ctx, 'reset');
            done.push(r);
            if (!r.ok) break;
          }
          return done;
        },
        workingModes: () => workingModes(provider),
        async missing() {
          if (provider.name !== 'netns') return { missing: [] };
          const lacking = await missingRequirements();
          const root = process.getuid?.() === 0 ? [] : ['root (start hoplab with sudo)'];
          return { missing: [...root, ...lacking.map((m) => m.what)], ...(lacking.length ? { install: installCommand(lacking) } : {}) };
        },
      },
      { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    );
  },
};
