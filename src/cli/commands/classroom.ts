// `hoplab classroom [serve|status|export]`: the instructor's side. serve runs
// the server (no root, no lab); with no subcommand the full-screen dashboard;
// status and export print the room for scripts and for the records.
import { networkInterfaces } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { EXIT, MachineError, UsageError } from '../../core/errors.js';
import { commonWrongHops, gridRows, labsIn } from '../../classroom/dashboard.js';
import { EXPORT_FORMATS, exportRoom, type ExportFormat } from '../../classroom/export.js';
import { defaultDataDir, fetchRoom, instructorTarget, serverInfoPath } from '../../classroom/instructor.js';
import { writeFileAtomicSync } from '../../classroom/journal.js';
import type { RoomView } from '../../classroom/room.js';
import { cleanText } from '../../classroom/sanitize.js';
import { startServer } from '../../classroom/server.js';
import { intOption, parse } from '../args.js';
import type { Command, CommandIO } from '../command.js';

export const DEFAULT_PORT = 7341;

/** ADDR:PORT, :PORT or ADDR; IPv6 in brackets. */
export function listenOption(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return { host: '0.0.0.0', port: DEFAULT_PORT };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*))(?::(\d{1,5}))?$/.exec(text);
  const host = m ? (m[1] ?? m[2] ?? '') : '';
  const port = m?.[3] !== undefined ? Number(m[3]) : DEFAULT_PORT;
  if (!m || port > 65535 || (!host && m[3] === undefined)) throw new UsageError(`--listen '${text}': expected ADDR:PORT (e.g. 0.0.0.0:${DEFAULT_PORT}, 127.0.0.1:${DEFAULT_PORT}, [::]:${DEFAULT_PORT})`);
  return { host: host || '0.0.0.0', port };
}

/** The addresses attendees can use: the bound one, or every non-internal IPv4 address when bound to all. */
function joinAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host.includes(':') ? `[${host}]` : host];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  return out.length ? out : ['127.0.0.1'];
}

async function serve(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse('classroom serve', argv, { listen: { type: 'string' }, code: { type: 'string' }, data: { type: 'string' } }, false);
  const listen = listenOption(values.listen as string | undefined);
  const dataDir = (values.data as string | undefined) ?? defaultDataDir();
  let server;
  try {
    server = await startServer({ ...listen, dataDir, ...(values.code ? { code: values.code as string } : {}), log: (l) => void io.stdout.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new MachineError(`cannot listen on ${listen.host}:${listen.port}: ${code}`, code === 'EADDRINUSE' ? 'another server has that port: --listen ADDR:OTHERPORT' : 'pick an address of this machine, or a port above 1023');
    throw err;
  }
  const local = `http://${listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : joinAddresses(listen.host)[0]}:${server.port}`;
  writeFileAtomicSync(serverInfoPath(dataDir), JSON.stringify({ url: local, pid: process.pid }) + '\n');
  const urls = joinAddresses(listen.host).map((a) => `http://${a}:${server.port}`);
  const bound = listen.host === '0.0.0.0' ? 'every IPv4 interface of this machine' : listen.host === '::' ? 'every interface of this machine' : 'this address only';
  io.stdout.write(
    [
      `hoplab classroom: listening on ${listen.host}:${server.port} (${bound})`,
      `  join code:   ${server.secrets.code}`,
      '  attendees run (one of):',
      ...urls.map((u) => `    hoplab join ${u} --code ${server.secrets.code} --as NAME`),
      `  instructor:  hoplab classroom        (dashboard; status, export: hoplab classroom status|export)`,
      `  instructor token (dashboard/status/export from another machine: --server URL --token TOKEN):`,
      `    ${server.secrets.instructorToken}`,
      `  state:       ${dataDir} (a restart keeps the room, the code and the token)`,
      ...server.warnings.map((w) => `  warning: ${w}`),
      'Ctrl-C stops the server.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  io.stdout.write('hoplab classroom: stopped; the room is saved\n');
  return EXIT.ok;
}

const TARGET_OPTIONS = { server: { type: 'string' }, token: { type: 'string' }, data: { type: 'string' } } as const;

function targetFrom(values: Record<string, unknown>) {
  return instructorTarget({ ...(values.server ? { server: values.server as string } : {}), ...(values.token ? { token: values.token as string } : {}), ...(values.data ? { data: values.data as string } : {}) });
}

/** `status` for people: per lab the grid in words, the wrong hops, the hands. */
function statusText(room: RoomView, stuck: number): string {
  const out = [`${room.attendees.length} attendee(s), ${room.hands.length} hand(s) raised`];
  for (const lab of labsIn(room)) {
    out.push('', `${lab}:`);
    for (const r of gridRows(room, lab, stuck)) {
      const done = r.cells.filter((c) => c === 'passed' || c === 'shown').length;
      out.push(`  ${r.name}: ${done}/${r.cells.length} steps${r.at ? `, on step ${r.at.step + 1}` : ''}${r.cells.includes('failed') ? `, failed: ${r.cells.flatMap((c, i) => (c === 'failed' ? [i + 1] : [])).join(', ')}` : ''}${r.stuck ? ', STUCK' : ''}`);
    }
    for (const w of commonWrongHops(room, lab)) out.push(`  step ${w.step + 1}: ${w.count} of ${w.of}: ${w.what}${w.diagnosis ? ` — ${w.diagnosis}` : ''}`);
  }
  for (const h of room.hands) out.push(`hand: ${cleanText(h.name, 40)}${h.message ? `: ${cleanText(h.message, 200)}` : ''}`);
  return out.join('\n') + '\n';
}

async function status(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse('classroom status', argv, { ...TARGET_OPTIONS, json: { type: 'boolean' }, stuck: { type: 'string' } }, false);
  const room = await fetchRoom(await targetFrom(values));
  io.stdout.write(values.json ? JSON.stringify(room, null, 2) + '\n' : statusText(room, intOption(values, 'stuck', 1, 600) ?? 5));
  return EXIT.ok;
}

async function exportCmd(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse('classroom export', argv, { ...TARGET_OPTIONS, format: { type: 'string' }, output: { type: 'string', short: 'o' } }, false);
  const format = (values.format as string | undefined) ?? 'json';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format '${format}': expected ${EXPORT_FORMATS.join(', ')}`);
  const text = exportRoom(await fetchRoom(await targetFrom(values)), format as ExportFormat);
  if (values.output) await writeFile(values.output as string, text);
  else io.stdout.write(text);
  return EXIT.ok;
}

async function dashboard(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse('classroom', argv, { ...TARGET_OPTIONS, stuck: { type: 'string' } }, false);
  const target = await targetFrom(values);
  if (!io.isTTY) throw new UsageError('the classroom dashboard needs a terminal', "for scripts: 'hoplab classroom status --json'");
  delete process.env.CI;
  const { runDashboard } = await import('../../classroom/ui/run-dashboard.js');
  return runDashboard(target, { stuckMinutes: intOption(values, 'stuck', 1, 600) ?? 5 });
}

export const classroom: Command = {
  name: 'classroom',
  usage: [
    'classroom serve [--listen ADDR:PORT] [--code CODE] [--data DIR]   run the room\'s server (default 0.0.0.0:7341); prints the join command',
    'classroom [--server URL] [--token T] [--stuck MIN]                 the dashboard: attendees × steps, hands, what the room gets wrong',
    'classroom status [--server URL] [--token T] [--json]               the same for scripts',
    'classroom export --format json|junit|md [--server URL] [-o FILE]   one report for the room',
  ].join('\n'),
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'serve') return serve(rest, io);
    if (sub === 'status') return status(rest, io);
    if (sub === 'export') return exportCmd(rest, io);
    if (sub !== undefined && !sub.startsWith('-')) throw new UsageError(`classroom ${sub}: expected serve, status, export, or nothing (the dashboard)`);
    return dashboard(argv, io);
  },
};
