// What the kubeconfig provider remembers about a lab between commands, in the
// user's state directory (never in the cluster, never in their kubeconfig):
// the choices made at `up`, what discovery found, the role map, the node-side
// readings, and the small kubeconfig that points kubectl at the lab's namespace.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IfaceFacts } from '../../core/facts.js';
import { userStateDir } from '../../core/user-state.js';
import type { AccessReport } from './access.js';
import type { NodeExecMode } from './defaults.js';
import type { Discovery } from './discover.js';
import type { RoleMap } from './roles.js';

/** A node as read from inside it (through a debug pod): what the API does not say. */
export interface NodeSide {
  interfaces: IfaceFacts[];
  defaultRoute?: { via: string; dev: string };
  /** ISO time of the reading. */
  readAt: string;
  /** Pods (not on the host network) the node ran then: its first pod brings the CNI's bridge. */
  podsAtRead: number;
}

export interface KubeconfigLabRecord {
  version: 1;
  lab: string;
  /** The user's kubeconfig files at `up` (read, never written). */
  kubeconfigFiles: string[];
  /** The user's context the lab uses, and its API server, for status. */
  context: string;
  server: string;
  namespace: string;
  /** hoplab created the namespace (so `down` deletes it), or found it given (so `down` leaves it). */
  createdNamespace: boolean;
  debugImage: string;
  nodeExec: NodeExecMode;
  roles: RoleMap;
  discovery: Discovery;
  access: AccessReport;
  /** By real node name. */
  nodes: Record<string, NodeSide>;
  createdAt: string;
}

export interface LabFiles {
  dir: string;
  record: string;
  kubeconfig: string;
  /** Pod uid → host-side veth, found once per pod. */
  veths: string;
}

export function labFiles(lab: string, env: NodeJS.ProcessEnv = process.env): LabFiles {
  const dir = join(userStateDir(env), 'kubeconfig', lab);
  return { dir, record: join(dir, 'lab.json'), kubeconfig: join(dir, 'kubeconfig'), veths: join(dir, 'veths.json') };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** Owner-only, written whole or not at all: the kubeconfig copy holds credentials. */
export async function writePrivate(files: LabFiles, path: string, text: string): Promise<void> {
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

export async function readRecord(files: LabFiles): Promise<KubeconfigLabRecord | undefined> {
  const r = await readJson<KubeconfigLabRecord>(files.record);
  return r?.version === 1 ? r : undefined;
}

/** The server version the record holds, read at once (a getter of the provider asks it): undefined when not up. */
export function recordedServerVersion(files: LabFiles): string | undefined {
  try {
    const r = JSON.parse(readFileSync(files.record, 'utf8')) as KubeconfigLabRecord;
    return r.version === 1 ? r.discovery.serverVersion : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRecord(files: LabFiles, record: KubeconfigLabRecord): Promise<void> {
  await writePrivate(files, files.record, `${JSON.stringify(record, null, 2)}\n`);
}

export async function readVeths(files: LabFiles): Promise<Record<string, string>> {
  return (await readJson<Record<string, string>>(files.veths)) ?? {};
}

export async function writeVeths(files: LabFiles, veths: Record<string, string>): Promise<void> {
  await writePrivate(files, files.veths, `${JSON.stringify(veths)}\n`);
}

export async function forgetLab(files: LabFiles): Promise<void> {
  await rm(files.dir, { recursive: true, force: true });
}
