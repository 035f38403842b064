// A bundle for a room behind one NAT (hoplab vagrant prepare --out DIR): the
// box, every image each CNI mode needs as an image archive, and the CNI
// manifests, made once and handed out. `hoplab up --bundle DIR` checks it,
// adds the box, and shares it into the VMs, where the containerd role imports
// the images (`ctr -n k8s.io images import`) before kubeadm or the CNI pulls.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { MachineError, UsageError } from '../../core/errors.js';
import { run, which } from '../../core/exec.js';
import type { ProgressEvent } from '../provider.js';
import { VAGRANT_DEFAULTS } from './defaults.js';
import { kubernetesRelease, type VagrantSettings } from './settings.js';
import { vagrantBoxes, vagrantRun, type VagrantContext } from './vagrant-cli.js';

export const BUNDLE_FILE = 'bundle.json';
export type ImageSet = 'kubernetes' | 'flannel' | 'calico' | 'labs';

const entry = z.object({ set: z.enum(['kubernetes', 'flannel', 'calico', 'labs']), ref: z.string().min(1), file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const bundleSchema = z.object({
  format: z.literal(1),
  kubernetes: z.string(),
  flannel: z.string(),
  calico: z.string(),
  box: z.object({ name: z.string(), version: z.string(), provider: z.literal('virtualbox'), file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  manifests: z.object({ flannel: z.string(), calico: z.string() }),
  images: z.array(entry),
});
export type Bundle = z.infer<typeof bundleSchema>;

/** "httpd" → "docker.io/library/httpd:latest": the name containerd lists the image under. */
export function normalizeRef(ref: string): string {
  let name = ref;
  const firstSlash = name.indexOf('/');
  const host = firstSlash > 0 ? name.slice(0, firstSlash) : '';
  if (!/[.:]/.test(host) && host !== 'localhost') name = `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  return lastPart.includes(':') || lastPart.includes('@') ? name : `${name}:latest`;
}

/** Every container and init container image of a (multi-document) manifest, normalized, in order. */
export function manifestImages(text: string): string[] {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const key of ['initContainers', 'containers']) {
      const list = o[key];
      if (Array.isArray(list)) for (const c of list) if (c && typeof (c as { image?: unknown }).image === 'string') out.add(normalizeRef((c as { image: string }).image));
    }
    Object.values(o).forEach(visit);
  };
  for (const doc of yaml.loadAll(text)) visit(doc);
  return [...out];
}

/** The images kubeadm runs for this release (the kubernetes role checks the list against kubeadm's own). */
export function kubernetesImages(s: VagrantSettings): string[] {
  const release = kubernetesRelease(s);
  return [
    ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].map((c) => `registry.k8s.io/${c}:${release}`),
    ...s.otherImages,
    s.sandboxImage,
  ].map(normalizeRef);
}

export function archiveFile(set: ImageSet, ref: string): string {
  return `images/${set}/${ref.replace(/[^A-Za-z0-9._-]+/g, '_')}.tar`;
}

export async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** The image names inside an archive: an OCI layout's index.json, or `docker save`'s manifest.json. */
export async function archiveRefs(file: string): Promise<string[]> {
  const oci = await run(['tar', '-xOf', file, 'index.json']);
  if (oci.exitCode === 0) {
    const index = JSON.parse(oci.stdout) as { manifests?: { annotations?: Record<string, string> }[] };
    return (index.manifests ?? []).flatMap((m) => {
      const a = m.annotations ?? {};
      const name = a['io.containerd.image.name'] ?? a['org.opencontainers.image.ref.name'];
      return name ? [name] : [];
    });
  }
  const docker = await run(['tar', '-xOf', file, 'manifest.json']);
  if (docker.exitCode === 0) return (JSON.parse(docker.stdout) as { RepoTags?: string[] }[]).flatMap((m) => (m.RepoTags ?? []).map(normalizeRef));
  throw new MachineError(`${file} is not an image archive (no index.json or manifest.json): ${(oci.stderr || docker.stderr).trim().slice(0, 200)}`);
}

/** Fetches one image into an archive with whatever tool the machine has. */
export type ImageFetcher = (ref: string, file: string) => Promise<void>;

export async function hostImageFetcher(env: Record<string, string> = {}): Promise<ImageFetcher> {
  const o = { env, timeoutMs: VAGRANT_DEFAULTS.timeoutsMs.imageFetch };
  const must = async (argv: string[]) => {
    const r = await run(argv, o);
    if (r.exitCode !== 0) throw new MachineError(`${argv.slice(0, 2).join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 400)}`);
  };
  // oci-archive keeps the name in index.json, which ctr import reads.
  if (await which('skopeo')) return (ref, file) => must(['skopeo', 'copy', '--quiet', `docker://${ref}`, `oci-archive:${file}:${ref}`]);
  if (await which('podman')) return async (ref, file) => (await must(['podman', 'pull', '-q', ref]), must(['podman', 'save', '--format', 'oci-archive', '-o', file, ref]));
  if (await which('docker')) return async (ref, file) => (await must(['docker', 'pull', '-q', ref]), must(['docker', 'save', '-o', file, ref]));
  throw new MachineError('hoplab vagrant prepare fetches images with skopeo, podman or docker, and none is on PATH', 'install one (apt-get install skopeo), then run it again');
}

export interface PrepareDeps {
  settings: VagrantSettings;
  out: string;
  ctx: VagrantContext;
  fetchImage: ImageFetcher;
  manifestUrls?: Record<'flannel' | 'calico', string>;
  emit: (e: ProgressEvent) => void;
}

const done = (phase: string, detail?: string): ProgressEvent => ({ type: 'phase', phase, state: 'done', ...(detail ? { detail } : {}) });

async function fetchManifest(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    throw new MachineError(`cannot fetch ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new MachineError(`fetching ${url} answered HTTP ${res.status}`);
  return res.text();
}

/** Builds (or completes: what is there and sound is kept) a bundle in deps.out. */
export async function prepareBundle(deps: PrepareDeps): Promise<Bundle> {
  const { settings: s, emit } = deps;
  const out = resolve(deps.out);
  for (const d of ['box', 'manifests', 'images']) await mkdir(join(out, d), { recursive: true });

  const urls = deps.manifestUrls ?? VAGRANT_DEFAULTS.bundle.manifestUrls;
  const manifests = { flannel: `manifests/kube-flannel-${s.flannelVersion}.yml`, calico: `manifests/calico-${s.calicoVersion}.yaml` };
  const sets: Record<ImageSet, string[]> = { kubernetes: kubernetesImages(s), flannel: [], calico: [], labs: VAGRANT_DEFAULTS.bundle.labImages.map(normalizeRef) };
  for (const cni of ['flannel', 'calico'] as const) {
    const file = join(out, manifests[cni]);
    if (!(await exists(file))) {
      const version = cni === 'flannel' ? s.flannelVersion : s.calicoVersion;
      await writeFile(file, await fetchManifest(urls[cni].replace('{version}', version)));
    }
    sets[cni] = manifestImages(await readFile(file, 'utf8'));
    emit(done(`manifest ${cni}`, `${manifests[cni]}: ${sets[cni].join(', ')}`));
  }

  const images: Bundle['images'] = [];
  for (const [set, refs] of Object.entries(sets) as [ImageSet, string[]][]) {
    for (const ref of refs) {
      const file = archiveFile(set, ref);
      const path = join(out, file);
      await mkdir(join(path, '..'), { recursive: true });
      const have = (await exists(path)) && (await archiveRefs(path).catch(() => [])).map(normalizeRef).includes(ref);
      if (!have) {
        emit({ type: 'phase', phase: `image ${ref}`, state: 'start' });
        await deps.fetchImage(ref, `${path}.part`);
        await rename(`${path}.part`, path);
        const inside = (await archiveRefs(path)).map(normalizeRef);
        if (!inside.includes(ref)) throw new MachineError(`${file} holds ${inside.join(', ') || 'no named image'}, not ${ref}`);
      }
      images.push({ set, ref, file, sha256: await sha256(path) });
      emit(done(`image ${ref}`, have ? `${file} (already there)` : file));
    }
  }

  const box = await prepareBox(deps, out);
  const bundle: Bundle = { format: 1, kubernetes: kubernetesRelease(s), flannel: s.flannelVersion, calico: s.calicoVersion, box, manifests, images };
  await writeFile(join(out, BUNDLE_FILE), `${JSON.stringify(bundle, null, 2)}\n`);
  emit(done('bundle', `${out}: box, ${images.length} images, 2 manifests`));
  return bundle;
}

function boxFileName(s: VagrantSettings): string {
  return `box/${s.box.replace(/[^A-Za-z0-9._-]+/g, '-')}-${s.boxVersion}-virtualbox.box`;
}

/** The pinned box, from Vagrant's own store (`vagrant box add`, then `vagrant box repackage`). */
async function prepareBox(deps: PrepareDeps, out: string): Promise<Bundle['box']> {
  const { settings: s, ctx, emit } = deps;
  const file = boxFileName(s);
  const path = join(out, file);
  if (!(await exists(path))) {
    const boxes = await vagrantBoxes(ctx);
    if (!boxes.some((b) => b.name === s.box && b.version === s.boxVersion && b.provider === 'virtualbox')) {
      emit({ type: 'phase', phase: `box ${s.box} ${s.boxVersion}`, state: 'start' });
      await vagrantRun(ctx, ['box', 'add', s.box, '--box-version', s.boxVersion, '--provider', 'virtualbox'], VAGRANT_DEFAULTS.timeoutsMs.up);
    }
    const boxDir = join(out, 'box');
    await vagrantRun({ ...ctx, dir: boxDir }, ['box', 'repackage', s.box, 'virtualbox', s.boxVersion], VAGRANT_DEFAULTS.timeoutsMs.up);
    await rename(join(boxDir, 'package.box'), path);
  }
  emit(done(`box ${s.box} ${s.boxVersion}`, file));
  return { name: s.box, version: s.boxVersion, provider: 'virtualbox', file, sha256: await sha256(path) };
}

/** Reads and checks a bundle against the settings this up runs with; every file present and intact. */
export async function checkBundle(dir: string, s: VagrantSettings): Promise<Bundle> {
  const path = join(dir, BUNDLE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--bundle ${dir}: cannot read ${BUNDLE_FILE} (${(err as Error).message})`, 'make one with hoplab vagrant prepare --out DIR');
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${path}: field '${issue.path.join('.')}': ${issue.message}`);
  }
  const b = parsed.data;
  const wanted: [string, string, string][] = [
    ['kubernetes', b.kubernetes, kubernetesRelease(s)],
    ['flannel', b.flannel, s.flannelVersion],
    ['calico', b.calico, s.calicoVersion],
    ['box', `${b.box.name} ${b.box.version}`, `${s.box} ${s.boxVersion}`],
  ];
  const off = wanted.filter(([, have, want]) => have !== want);
  if (off.length > 0) {
    throw new UsageError(
      `--bundle ${dir} was made for other versions: ${off.map(([what, have, want]) => `${what} ${have} (settings: ${want})`).join('; ')}`,
      `make it again with this checkout: hoplab vagrant prepare --out ${dir}`,
    );
  }
  const setNeeded = new Set<string>(['kubernetes', s.cni.split('-')[0]!, 'labs']);
  const files: { file: string; sha256: string }[] = [b.box, ...b.images.filter((i) => setNeeded.has(i.set))];
  for (const f of files) {
    const p = join(dir, f.file);
    if (!(await exists(p))) throw new UsageError(`--bundle ${dir}: ${f.file} is missing`, 'copy the whole bundle directory again');
    if ((await sha256(p)) !== f.sha256) throw new UsageError(`--bundle ${dir}: ${f.file} is damaged (sha256 differs from ${BUNDLE_FILE})`, 'copy it again from the instructor');
  }
  for (const m of Object.values(b.manifests)) if (!(await exists(join(dir, m)))) throw new UsageError(`--bundle ${dir}: ${m} is missing`);
  const missingImages = kubernetesImages(s).filter((ref) => !b.images.some((i) => i.ref === ref));
  if (missingImages.length > 0) throw new UsageError(`--bundle ${dir} lacks ${missingImages.join(', ')}`, `make it again: hoplab vagrant prepare --out ${dir}`);
  return b;
}

/** Adds the bundle's box to Vagrant unless it has it, through a metadata file so the version is kept. */
export async function addBundleBox(dir: string, b: Bundle, ctx: VagrantContext, stateDir: string): Promise<boolean> {
  const boxes = await vagrantBoxes(ctx);
  if (boxes.some((x) => x.name === b.box.name && x.version === b.box.version && x.provider === 'virtualbox')) return false;
  const metadata = {
    name: b.box.name,
    versions: [{ version: b.box.version, providers: [{ name: 'virtualbox', url: `file://${resolve(dir, b.box.file)}`, checksum_type: 'sha256', checksum: b.box.sha256 }] }],
  };
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, 'bundle-box.json');
  await writeFile(file, JSON.stringify(metadata, null, 2));
  await vagrantRun(ctx, ['box', 'add', '--provider', 'virtualbox', file], VAGRANT_DEFAULTS.timeoutsMs.up);
  return true;
}
