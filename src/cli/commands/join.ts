// `hoplab join URL --code CODE --as NAME`: join a classroom once; from then on
// the TUI and every `hoplab run` report to it. `--leave` forgets it.
import { EXIT, MachineError, UsageError } from '../../core/errors.js';
import { urlOption } from '../../classroom/attendee.js';
import { joinRoom } from '../../classroom/client.js';
import { classroomStateDir, forgetAll, loadIdentities, rememberIdentity } from '../../classroom/identity.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';

export const join: Command = {
  name: 'join',
  usage: [
    "join URL --code CODE --as NAME   join the instructor's classroom (URL and code as `hoplab classroom serve` printed them)",
    'join --leave                     forget the classroom (and the events still queued for it)',
    'join                             say which classroom this user reports to',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parse('join', argv, { code: { type: 'string' }, as: { type: 'string' }, leave: { type: 'boolean' } });
    const dir = classroomStateDir();
    if (values.leave) {
      if (positionals.length || values.code || values.as) throw new UsageError('join --leave takes nothing else');
      io.stdout.write((await forgetAll(dir)) ? 'left the classroom: nothing is reported any more\n' : 'not in a classroom\n');
      return EXIT.ok;
    }
    if (!positionals.length && !values.code && !values.as) {
      const f = await loadIdentities(dir);
      io.stdout.write(f.joined ? `reporting to ${f.joined.url} as ${f.joined.name}\n` : "not in a classroom: 'hoplab join URL --code CODE --as NAME'\n");
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `join takes one URL, got ${positionals.join(' ')}` : 'join: which classroom? give its URL', 'hoplab join http://HOST:PORT --code CODE --as NAME');
    const url = urlOption(positionals[0]!, 'URL');
    const code = values.code as string | undefined;
    const name = values.as as string | undefined;
    if (!code) throw new UsageError('join: --code CODE is missing (the instructor\'s banner shows it)');
    if (!name) throw new UsageError('join: --as NAME is missing (the name the instructor sees)');
    let joined;
    try {
      joined = await joinRoom(url, code, name);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 403 || status === 400) throw new UsageError(`join ${url}: ${(err as Error).message}`);
      throw new MachineError(`join ${url}: the classroom server did not answer: ${(err as Error).message}`, 'check the URL (the instructor\'s banner) and that this machine reaches it');
    }
    const { shownAs, ...identity } = joined;
    await rememberIdentity(identity, { joined: true, dir });
    io.stdout.write(`joined ${url} as ${shownAs}: the TUI and 'hoplab run' now report your steps and checks there ('hoplab join --leave' stops it)\n`);
    return EXIT.ok;
  },
};
