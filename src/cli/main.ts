// Entry point: picks the subcommand, turns errors into messages and exit codes.
import { EXIT, describeError, errorMessage } from '../core/errors.js';
import type { CommandIO } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'hoplab: learn how Kubernetes moves packets, hop by hop.',
    '',
    'Usage: hoplab [command] [options]     (no command opens the terminal UI)',
    '',
    'Commands:',
    ...lines,
    '',
    'Options every command takes: --name LAB, --provider netns|vagrant|kubeconfig, --cni MODE, --help',
    'Exit codes: 0 ok, 1 a check failed, 2 bad input, 3 the machine or provider failed.',
  ].join('\n');
}

/** A command's usage: its synopsis lines get "hoplab ", the indented lines under them explain them as they are. */
export function usageText(usage: string): string {
  const lines = usage.split('\n').map((l) => (/^\s/.test(l) ? `    ${l.trim()}` : `  hoplab ${l}`));
  return ['Usage:', ...lines].join('\n');
}

/**
 * Options given before the command (`hoplab --name demo kubectl get pods`) apply
 * to it through the environment, so pass-through commands like kubectl keep
 * every argument after their name for themselves.
 */
function takeLeadingOptions(argv: string[]): string[] {
  const env: Record<string, string> = { name: 'HOPLAB_LAB', provider: 'HOPLAB_PROVIDER' };
  let i = 0;
  while (i < argv.length) {
    const m = /^--(name|provider)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) break;
    const value = m[2] ?? argv[i + 1];
    if (value === undefined) break;
    process.env[env[m[1]!]!] = value;
    i += m[2] === undefined ? 2 : 1;
  }
  return argv.slice(i);
}

export async function main(rawArgv: string[], io: CommandIO): Promise<number> {
  const argv = takeLeadingOptions(rawArgv);
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(helpText() + '\n');
    return EXIT.ok;
  }
  if (first === '--version') {
    io.stdout.write('hoplab 0.1.0\n');
    return EXIT.ok;
  }
  const name = first === undefined || first.startsWith('-') ? 'ui' : first;
  const args = name === 'ui' && first !== 'ui' ? argv : rest;
  const entry = findCommand(name);
  if (!entry) {
    io.stderr.write(`hoplab: unknown command '${name}'\n\n${helpText()}\n`);
    return EXIT.badInput;
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    const dash = args.indexOf('--');
    const helpAt = Math.max(args.indexOf('--help'), args.indexOf('-h'));
    if (dash === -1 || helpAt < dash) {
      io.stdout.write(`${entry.summary}\n\n${usageText(command.usage)}\n`);
      return EXIT.ok;
    }
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    const e = describeError(err);
    io.stderr.write(`hoplab: ${e.message}\n`);
    if (e.hint) io.stderr.write(`  ${e.hint}\n`);
    if (e.internal) {
      if (process.env.HOPLAB_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
      else io.stderr.write('  this is a bug in hoplab; run again with HOPLAB_DEBUG=1 for details\n');
    }
    return e.exitCode;
  }
}

/**
 * An error nothing caught (a stray rejection after a command finished) is a
 * bug: exit 70 with the message, never Node's default 1, which means "a check
 * failed" and would have the caller look for a check that did not.
 */
export function crashHandler(stderr: NodeJS.WritableStream, exit: (code: number) => void): (err: unknown) => void {
  return (err) => {
    stderr.write(`hoplab: internal error: ${errorMessage(err)}\n`);
    stderr.write(process.env.HOPLAB_DEBUG ? `${(err as Error)?.stack ?? ''}\n` : '  this is a bug in hoplab; run again with HOPLAB_DEBUG=1 for details\n');
    exit(EXIT.internal);
  };
}

/** Runs hoplab as a process: bin/hoplab.js calls this. */
export async function cli(): Promise<void> {
  const crash = crashHandler(process.stderr, (code) => process.exit(code));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  });
}
