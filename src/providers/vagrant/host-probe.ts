// Gathers the HostFacts preflight needs from this machine. Read-only: it
// runs `--version` commands and reads files; it never changes the host.
import { readFile, stat } from 'node:fs/promises';
import { run, which, type RunOptions } from '../../core/exec.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { parseIpRoute } from '../ip-json.js';
import { parseAnsibleVersion, parseVagrantVersion, parseVBoxManageVersion, type HostFacts } from './preflight.js';

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

/** Which KVM vendor module is loaded, and its enable_virt_at_load (Linux 6.12+; absent before). */
export async function probeKvm(sys = '/sys/module'): Promise<HostFacts['kvm']> {
  for (const module of ['kvm_intel', 'kvm_amd']) {
    // A directory per loaded (or built-in) module; built-in ones have no initstate file.
    if (!(await stat(`${sys}/${module}`).then((st) => st.isDirectory(), () => false))) continue;
    const atLoad = await readOptional(`${sys}/kvm/parameters/enable_virt_at_load`);
    return { module, ...(atLoad !== undefined ? { enableVirtAtLoad: /^[Y1]/.test(atLoad.trim()) } : {}) };
  }
  return undefined;
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
    // The vboxdrv warning goes to stdout before the version on some releases, to stderr on others.
    const v = parseVBoxManageVersion(`${r.stderr}\n${r.stdout}`);
    if (v.version) facts.virtualBoxVersion = v.version;
    if (v.warnings.length > 0) facts.virtualBoxWarnings = v.warnings;
  }
  if (await which('ansible-playbook')) {
    const r = await run(['ansible-playbook', '--version'], { env, timeoutMs: 60_000 });
    const v = parseAnsibleVersion(r.stdout);
    if (v) facts.ansibleVersion = v;
    else facts.ansibleVersionLine = (r.stdout.split('\n')[0] || r.stderr.trim()).slice(0, 200);
  }
  const conf = await readOptional(VAGRANT_DEFAULTS.virtualBox.networksConf);
  if (conf !== undefined) facts.networksConf = conf;
  if (process.platform === 'linux') {
    const meminfo = await readOptional('/proc/meminfo');
    const kib = meminfo ? memAvailableKiB(meminfo) : undefined;
    if (kib !== undefined) facts.memAvailableKiB = kib;
    const kvm = await probeKvm();
    if (kvm) facts.kvm = kvm;
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
