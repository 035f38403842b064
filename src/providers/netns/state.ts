// One state directory per lab: its plan, kubeconfig, logs, IPAM data, pod
// logs and the files its simulated images and registry serve.
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPermissionError, isRoot, needsRoot, sudoInvoker } from '../../core/root.js';
import type { LabPlan } from './plan.js';

export function stateRoot(): string {
  return process.env.HOPLAB_STATE_DIR ?? '/run/hoplab';
}

export interface LabPaths {
  dir: string;
  labFile: string;
  apiFile: string;
  kubeconfig: string;
  /** The kubeconfig for kubectl inside the lab (node shells): the API at the control plane's 192.168.56.10:6443. */
  labKubeconfig: string;
  /** The daemon's API as a unix socket, for the forwarder in the control plane's namespace. */
  apiSocket: string;
  daemonLog: string;
  images: string;
  registry: string;
  ipam: (node: string) => string;
  pod: (uid: string) => string;
  /** Every pod's directory is in here: a tmpfs of the lab's own while the daemon runs (pod-dir.ts). */
  pods: string;
  /** The copies of the kubeconfig and the API record that belong to the user behind sudo. */
  userKubeconfig: (uid: number) => string;
  userApiFile: (uid: number) => string;
}

export function labPaths(lab: string): LabPaths {
  const dir = join(stateRoot(), lab);
  return {
    dir,
    labFile: join(dir, 'lab.json'),
    apiFile: join(dir, 'api.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    labKubeconfig: join(dir, 'kubeconfig.in-lab'),
    apiSocket: join(dir, 'api.sock'),
    daemonLog: join(dir, 'daemon.log'),
    images: join(dir, 'images'),
    registry: join(dir, 'registry'),
    // host-local's files (one per pod address) on the pods' tmpfs with the rest of the pods' files.
    ipam: (node) => join(dir, 'pods', '.ipam', node),
    pod: (uid) => join(dir, 'pods', uid),
    pods: join(dir, 'pods'),
    userKubeconfig: (uid) => join(dir, `kubeconfig.uid-${uid}`),
    userApiFile: (uid) => join(dir, `api.uid-${uid}.json`),
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
    if (isPermissionError(err)) throw needsRoot(`the lab's state (${file}) is root's; 'sudo hoplab up' gives the user who ran it read access`);
    throw err;
  }
}

async function readable(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

export const readLabRecord = (lab: string) => readJson<LabRecord>(labPaths(lab).labFile);

/** The API record: root reads the lab's own, the user who brought the lab up with sudo reads their copy. */
export async function readApiRecord(lab: string): Promise<ApiRecord | undefined> {
  const p = labPaths(lab);
  const uid = process.getuid?.();
  if (!isRoot() && uid !== undefined && (await readable(p.userApiFile(uid)))) return readJson<ApiRecord>(p.userApiFile(uid));
  return readJson<ApiRecord>(p.apiFile);
}

/** The kubeconfig this process should hand kubectl: its own copy for the user behind sudo, else the lab's. */
export async function kubeconfigFor(lab: string): Promise<string> {
  const p = labPaths(lab);
  const uid = process.getuid?.();
  if (isRoot() || uid === undefined) return p.kubeconfig;
  if (await readable(p.userKubeconfig(uid))) return p.userKubeconfig(uid);
  try {
    await readFile(p.kubeconfig);
  } catch (err) {
    if (isPermissionError(err)) throw needsRoot(`lab '${lab}' was brought up by root or another user: its kubeconfig is theirs`);
  }
  return p.kubeconfig;
}

/**
 * The lab directory is root's; under sudo its group becomes the invoking
 * user's and it is group-readable, so they can read what holds no secret
 * (lab.json, pod records). The state root only gains the search bit for
 * others: its other labs' names stay unlisted.
 */
async function shareDir(p: LabPaths): Promise<void> {
  const who = sudoInvoker();
  if (!who) return;
  const root = stateRoot();
  await chmod(root, (await stat(root)).mode & 0o7777 | 0o001);
  await chown(p.dir, 0, who.gid);
  await chmod(p.dir, 0o750);
}

export async function writeLabRecord(lab: string, record: LabRecord): Promise<void> {
  const p = labPaths(lab);
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  await shareDir(p);
  await writeFile(p.labFile, JSON.stringify(record, null, 2), { mode: 0o644 });
}

export async function writeApiRecord(lab: string, record: ApiRecord): Promise<void> {
  // Holds the API token: owner-only, like the kubeconfig.
  await writeFile(labPaths(lab).apiFile, JSON.stringify(record), { mode: 0o600 });
}

/**
 * Gives the user behind sudo their own copies of the kubeconfig and the API
 * record (both hold the token), owned by them and owner-only. Copies, not the
 * files root uses: a kubeconfig root hands to kubectl must never be one a
 * user can edit (an exec credential plugin would run as root).
 */
export async function shareWithInvoker(lab: string, kubeconfigText: string, record: ApiRecord): Promise<void> {
  const who = sudoInvoker();
  if (!who) return;
  const p = labPaths(lab);
  for (const [file, text] of [
    [p.userKubeconfig(who.uid), kubeconfigText],
    [p.userApiFile(who.uid), JSON.stringify(record)],
  ] as const) {
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    await chown(tmp, who.uid, who.gid);
    await rename(tmp, file);
  }
}

export async function removeLabState(lab: string): Promise<void> {
  await rm(labPaths(lab).dir, { recursive: true, force: true });
}
