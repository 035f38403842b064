// One state directory per lab: its plan, kubeconfig, logs, IPAM data, pod
// logs and the files its simulated images and registry serve.
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabPlan } from './plan.js';

export function stateRoot(): string {
  return process.env.HOPLAB_STATE_DIR ?? '/run/hoplab';
}

export interface LabPaths {
  dir: string;
  labFile: string;
  apiFile: string;
  kubeconfig: string;
  daemonLog: string;
  images: string;
  registry: string;
  ipam: (node: string) => string;
  pod: (uid: string) => string;
}

export function labPaths(lab: string): LabPaths {
  const dir = join(stateRoot(), lab);
  return {
    dir,
    labFile: join(dir, 'lab.json'),
    apiFile: join(dir, 'api.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    daemonLog: join(dir, 'daemon.log'),
    images: join(dir, 'images'),
    registry: join(dir, 'registry'),
    ipam: (node) => join(dir, 'ipam', node),
    pod: (uid) => join(dir, 'pods', uid),
  };
}

export interface LabRecord {
  version: 1;
  plan: LabPlan;
  workers: number;
  createdAt: string;
}

export interface ApiRecord {
  url: string;
  token: string;
  /** PEM of the CA that signed the API's serving certificate. */
  ca: string;
  pid: number;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export const readLabRecord = (lab: string) => readJson<LabRecord>(labPaths(lab).labFile);
export const readApiRecord = (lab: string) => readJson<ApiRecord>(labPaths(lab).apiFile);

export async function writeLabRecord(lab: string, record: LabRecord): Promise<void> {
  const p = labPaths(lab);
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  await writeFile(p.labFile, JSON.stringify(record, null, 2));
}

export async function writeApiRecord(lab: string, record: ApiRecord): Promise<void> {
  // Holds the API token: owner-only, like the kubeconfig.
  await writeFile(labPaths(lab).apiFile, JSON.stringify(record), { mode: 0o600 });
}

export async function removeLabState(lab: string): Promise<void> {
  await rm(labPaths(lab).dir, { recursive: true, force: true });
}
