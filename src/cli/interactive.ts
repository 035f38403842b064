// Runs a program with the user's terminal attached and returns its exit code:
// for `hoplab kubectl`, `ssh` and `shell`, whose output is the program's own.
import { spawn } from 'node:child_process';
import type { SpawnSpec } from '../providers/provider.js';

export function runAttached(spec: SpawnSpec): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(spec.file, spec.args, { stdio: 'inherit', env: { ...process.env, ...spec.env } });
    // The child gets Ctrl-C from the terminal itself; hoplab waits for it to finish.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.on('error', (err) => {
      process.off('SIGINT', ignore);
      process.stderr.write(`hoplab: cannot start ${spec.file}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
  });
}
