// Which room this hoplab reports to: the one-off `--classroom URL --code CODE
// --as NAME` flags, else the room `hoplab join` remembered, else none.
import { UsageError } from '../core/errors.js';
import type { Reporter } from '../labs/reporter.js';
import { openClient, serverUrl, type ClassroomClient } from './client.js';
import { classroomStateDir, findIdentity, loadIdentities } from './identity.js';
import { classroomReporter } from './reporter.js';
import { cleanText } from './sanitize.js';

export interface AttendeeFlags {
  classroom?: string;
  code?: string;
  as?: string;
}

export interface Attendee {
  client: ClassroomClient;
  reporter: Reporter;
}

export function urlOption(text: string, flag: string): string {
  try {
    return serverUrl(text);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

export async function openAttendee(flags: AttendeeFlags, stateDir = classroomStateDir()): Promise<Attendee | undefined> {
  const given = [flags.classroom && '--classroom', flags.code && '--code', flags.as && '--as'].filter(Boolean);
  let url: string;
  let name: string;
  let code: string | undefined;
  if (given.length) {
    if (!flags.classroom || !flags.as) throw new UsageError(`${given.join(' ')}: reporting to a classroom needs --classroom URL --code CODE --as NAME together`);
    url = urlOption(flags.classroom, '--classroom');
    name = flags.as;
    code = flags.code;
    if (!code && !findIdentity(await loadIdentities(stateDir), url, name)) throw new UsageError(`--classroom ${url}: needs --code CODE the first time '${name}' reports there`);
  } else {
    const joined = (await loadIdentities(stateDir)).joined;
    if (!joined) return undefined;
    url = joined.url;
    name = joined.name;
  }
  const client = await openClient({ url, name, ...(code ? { code } : {}), stateDir });
  return { client, reporter: classroomReporter(client) };
}

/** One line for the terminal: where events go and whether they got there. */
export function statusLine(s: ReturnType<ClassroomClient['status']>): string {
  const where = `classroom ${s.url} as ${cleanText(s.name, 40)}`;
  if (s.connection === 'connected' && !s.queued) return `${where}: connected, everything delivered`;
  if (s.connection === 'refused') return `${where}: refused (${s.error ?? 'no reason given'}); ${s.queued} event(s) kept`;
  return `${where}: ${s.queued} event(s) queued, delivered when the server answers${s.error ? ` (${s.error})` : ''}`;
}
