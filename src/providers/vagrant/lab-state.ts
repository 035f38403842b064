// What hoplab remembers about the cluster it built, beside Vagrant's own
// state in vagrant/.vagrant/: the mode it was provisioned with, the admin
// kubeconfig fetched from the control plane, and the ssh config.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniMode } from '../../core/facts.js';

export interface BuiltCluster {
  lab: string;
  cni: CniMode;
  workers: number;
  provisionedAt: string;
}

export interface LabPaths {
  dir: string;
  cluster: string;
  kubeconfig: string;
  sshConfig: string;
}

export function labPaths(vagrantDir: string): LabPaths {
  const dir = join(vagrantDir, '.vagrant', 'hoplab');
  return {
    dir,
    cluster: join(dir, 'cluster.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    sshConfig: join(dir, 'ssh-config'),
  };
}

export async function readBuilt(paths: LabPaths): Promise<BuiltCluster | undefined> {
  try {
    return JSON.parse(await readFile(paths.cluster, 'utf8')) as BuiltCluster;
  } catch {
    return undefined;
  }
}

export async function writeBuilt(paths: LabPaths, built: BuiltCluster): Promise<void> {
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.cluster, `${JSON.stringify(built, null, 2)}\n`);
}

export async function writePrivate(path: string, text: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path, text, { mode: 0o600 });
}

export async function forget(paths: LabPaths): Promise<void> {
  await rm(paths.dir, { recursive: true, force: true });
}
