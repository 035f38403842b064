// Gathers the HostFacts preflight needs from this machine. Read-only: it
// runs `--version` commands and reads files; it never changes the host.
import { readFile } from 'node:fs/promises';
import { run, which, type RunOptions } from '../../core/exec.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { parseIpRoute } from '../ip-json.js';
import { parseVagrantVersion, type HostFacts } from './preflight.js';

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function memAvailableKiB(meminfo: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s+kB/m.exec(meminfo);
  return m ? Number(m[1]) : undefined;
}

export async function probeHost(env: RunOptions['env'] = {}): Promise<HostFacts> {
  const facts: HostFacts = { platform: process.platform };
  if (await which('vagrant')) {
    const r = await run(['vagrant', '--version'], { env, timeoutMs: 60_000 });
    const v = parseVagrantVersion(r.stdout);
    if (v) facts.vagrantVersion = v;
  }
  if (await which('VBoxManage')) {
    const r = await run(['VBoxManage', '--version'], { env, timeoutMs: 30_000 });
    const v = r.stdout.trim().split('\n').pop();
    if (r.exitCode === 0 && v) facts.virtualBoxVersion = v;
  }
  const conf = await readOptional(VAGRANT_DEFAULTS.virtualBox.networksConf);
  if (conf !== undefined) facts.networksConf = conf;
  if (process.platform === 'linux') {
    const meminfo = await readOptional('/proc/meminfo');
    const kib = meminfo ? memAvailableKiB(meminfo) : undefined;
    if (kib !== undefined) facts.memAvailableKiB = kib;
    const routes = await run(['ip', '-j', 'route', 'show'], { timeoutMs: 10_000 });
    if (routes.exitCode === 0) {
      try {
        facts.routes = parseIpRoute(routes.stdout);
      } catch {
        // an iproute2 without JSON output: leave routes unknown rather than guess
      }
    }
  }
  return facts;
}
