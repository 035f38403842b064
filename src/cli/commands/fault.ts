// `hoplab fault list|inject|clear`: the catalogue of datapath faults, for
// instructors and demos. `--random --seed N` gives each attendee a fault and
// a node of their own, the same again for the same seed.
import { UsageError } from '../../core/errors.js';
import { FAULTS, findFault } from '../../faults/catalogue.js';
import { clearFaults, injectFault, recordedFaults } from '../../faults/apply.js';
import { pickRandom, refusal, resolveTarget } from '../../faults/select.js';
import { suggest } from '../../core/did-you-mean.js';
import { openProvider } from '../../providers/index.js';
import { intOption, parse, providerPick } from '../args.js';
import type { Command } from '../command.js';

const USAGE = [
  'fault list [--json]                       the faults, the CNI modes each applies to, and what the running lab can have',
  'fault inject NAME [--node NODE] [--peer NODE] [--service SVC]   break one thing in the running lab',
  'fault inject --random [--seed N]          a fault and a node picked from the seed (printed, so it can be repeated)',
  'fault clear                               undo every fault injected into the lab',
].join('\n');

export const fault: Command = {
  name: 'fault',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse('fault', argv, {
      node: { type: 'string' },
      peer: { type: 'string' },
      service: { type: 'string' },
      seed: { type: 'string' },
      random: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [sub, ...rest] = positionals;
    const subs = ['list', 'inject', 'clear'];
    if (!sub || !subs.includes(sub)) {
      const near = sub ? suggest(sub, subs) : undefined;
      throw new UsageError(`fault: expected list, inject or clear${sub ? `, not '${sub}'${near ? ` (did you mean ${near}?)` : ''}` : ''}`, "run 'hoplab fault --help'");
    }
    if (sub === 'list') {
      if (rest.length) throw new UsageError(`fault list: unexpected '${rest[0]}'`);
      // The running lab, when there is one, says which faults it can have now.
      const provider = await openProvider(providerPick(values));
      const status = await provider.status();
      const mode = status.state === 'up' ? status.cni : undefined;
      const injected = await recordedFaults(provider.lab);
      const rows = FAULTS.map((f) => {
        const no = mode ? refusal(f, mode, provider.name) : undefined;
        return { name: f.name, modes: [...f.modes], description: f.description, ...(mode ? { here: no ? no.reason : 'yes' } : {}), injected: injected.some((i) => i.name === f.name) };
      });
      if (values.json) {
        io.stdout.write(JSON.stringify({ lab: provider.lab, cni: mode ?? null, faults: rows, injected }, null, 2) + '\n');
        return 0;
      }
      for (const r of rows) {
        io.stdout.write(`${r.injected ? '*' : ' '} ${r.name.padEnd(24)} ${r.description}\n${' '.repeat(27)}modes: ${r.modes.join(', ')}${r.here && r.here !== 'yes' ? `\n${' '.repeat(27)}not here: ${r.here.replace(/^fault '[^']+' /, '')}` : ''}\n`);
      }
      io.stdout.write(mode ? `\nlab '${provider.lab}' runs ${mode}${injected.length ? `; injected (*): ${injected.map((i) => `${i.name} on ${i.target.node}`).join(', ')}` : ''}\n` : `\nlab '${provider.lab}' is not up: every fault needs a running lab\n`);
      return 0;
    }
    const provider = await openProvider(providerPick(values));
    if (sub === 'clear') {
      if (rest.length) throw new UsageError(`fault clear: unexpected '${rest[0]}'`);
      const cleared = await clearFaults(provider);
      io.stdout.write(cleared.length ? cleared.map((f) => `cleared ${f.name} on ${f.target.node}\n`).join('') : `lab '${provider.lab}' has no injected faults\n`);
      return 0;
    }
    // inject
    const seed = intOption(values, 'seed', 0, 2 ** 31 - 1);
    if (values.random && rest.length) throw new UsageError('fault inject: give a NAME or --random, not both');
    if (!values.random && seed !== undefined) throw new UsageError('fault inject: --seed goes with --random');
    if (!values.random && rest.length !== 1) throw new UsageError('fault inject: expected one fault NAME (or --random)', "'hoplab fault list' lists them");
    const facts = await provider.facts();
    let name = rest[0];
    let node = values.node as string | undefined;
    let used: number | undefined;
    if (values.random) {
      used = seed ?? Math.floor(Math.random() * 2 ** 31);
      const pick = pickRandom(facts, provider.name, used);
      name = pick.fault.name;
      node ??= pick.node;
    }
    const f = findFault(name!);
    if (!f) {
      const near = suggest(name!, FAULTS.map((x) => x.name));
      throw new UsageError(`fault inject: no fault '${name}'${near ? ` (did you mean ${near}?)` : ''}`, "'hoplab fault list' lists them");
    }
    const target = resolveTarget(f, facts, { ...(node ? { node } : {}), ...(values.peer ? { peer: values.peer as string } : {}), ...(values.service ? { service: values.service as string } : {}) });
    const done = await injectFault(provider, facts, f, target);
    io.stdout.write(`injected ${done.name} on ${target.node}${used !== undefined ? ` (--seed ${used})` : ''}\nsymptom: ${done.finds.symptom}\n`);
    return 0;
  },
};
