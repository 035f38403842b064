// `hoplab` with no command: the terminal UI. Without a terminal it says where
// the headless commands are and exits 2, rather than drawing into a pipe.
import { CNI_MODES } from '../../core/facts.js';
import { LANGS } from '../../core/lang.js';
import { labDirs, loadCatalog } from '../../labs/catalog.js';
import { checkStep } from '../../labs/checks.js';
import { clusterProgress } from '../../labs/progress.js';
import { resetLab, resetStep, runLab } from '../../labs/runner.js';
import { catchUp } from '../../labs/catch-up.js';
import { openProvider } from '../../providers/index.js';
import { withNativeSpawner } from '../../providers/netns/init-helper.js';
import { cniMode, intOption, langOption, parse, providerPick } from '../args.js';
import type { Command } from '../command.js';

export const ui: Command = {
  name: 'ui',
  usage: `[ui] [--name LAB] [--provider P] [--cni MODE] [--workers N] [--labs DIR] [--lang LANG]\n  MODE: ${CNI_MODES.join(', ')}\n  LANG: ${LANGS.join(', ')} (default: from LC_ALL/LANG, else en; the l key switches)`,
  async run(argv, io) {
    const { values } = parse('ui', argv, { workers: { type: 'string' }, labs: { type: 'string' }, lang: { type: 'string' } }, false);
    const lang = langOption(values);
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
    const provider = await openProvider(providerPick(values));
    const { openAttendee } = await import('../../classroom/attendee.js');
    const attendee = await openAttendee({});
    try {
      // The labs' commands and checks start through the native spawner helper, as `hoplab run`'s do.
      return await withNativeSpawner('hoplab-ui-spawner', () => runUi(
        {
          provider,
          ...(attendee ? { classroom: { reporter: attendee.reporter, status: () => attendee.client.status(), onStatus: (fn) => attendee.client.onStatus(fn) } } : {}),
          ...(cni ? { cni } : {}),
          ...(workers !== undefined ? { workers } : {}),
          lang,
          loadCatalog: (l) => loadCatalog(dirs, l),
          progress: clusterProgress(provider.lab),
          runLab,
          checkStep,
          catchUp,
          resetStep,
          resetLab,
          workingModes: async () => provider.workingModes?.(),
          missing: async () => (await provider.machineNeeds?.()) ?? { missing: [] },
        },
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      ));
    } finally {
      // What the server has not taken yet stays queued on disk for the next hoplab.
      await attendee?.client.close(1500);
    }
  },
};
