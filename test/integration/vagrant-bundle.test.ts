// hoplab vagrant prepare and hoplab up --bundle against the stand-in vagrant
// (test/fixtures/vagrant/bin), with real OCI image archives built here (one
// small layer each) in place of registry pulls, and the CNI manifests served
// from a local HTTP server. What cannot run here: `ctr images import` inside
// the VMs (the containerd role's bundle.yml).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { ProgressEvent } from '../../src/providers/provider.js';
import { archiveRefs, kubernetesImages, manifestImages, normalizeRef } from '../../src/providers/vagrant/bundle.js';
import { createVagrantProvider, type VagrantProviderOptions } from '../../src/providers/vagrant/index.js';
import { parseSettings } from '../../src/providers/vagrant/settings.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const standinBin = join(repo, 'test/fixtures/vagrant/bin');
// Two prepares and several ups (dozens of stand-in calls, real image archives):
// 5.5 s for the longest test with both cores three times oversubscribed; the
// bound is generous for a CI machine busier still.
vi.setConfig({ testTimeout: 180_000 });
const originalPath = process.env.PATH ?? '';
const temps: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  temps.push(d);
  return d;
};
let server: Server;
let base = '';

beforeAll(async () => {
  process.env.PATH = `${standinBin}:${originalPath}`;
  server = createServer((req, res) => {
    const files: Record<string, string> = {
      '/flannel/v0.28.7/kube-flannel.yml': 'test/fixtures/vagrant/cni-bases/flannel/kube-flannel.yml',
      '/calico/v3.31.7/calico.yaml': 'test/fixtures/vagrant/cni-bases/calico/calico.yaml',
    };
    const f = files[req.url ?? ''];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/yaml' }).end(readFileSync(join(repo, f)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await new Promise((r) => server.close(r));
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A real OCI image layout (oci-layout, index.json, blobs) with one layer holding /hello, packed with tar. */
function tinyOciArchive(ref: string, file: string): void {
  const dir = tmp('hoplab-oci-');
  const blobs = join(dir, 'blobs/sha256');
  mkdirSync(blobs, { recursive: true });
  const blob = (data: Buffer) => {
    const digest = createHash('sha256').update(data).digest('hex');
    writeFileSync(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const rootfs = tmp('hoplab-layer-');
  writeFileSync(join(rootfs, 'hello'), `hello from ${ref}\n`);
  const layer = blob(execFileSync('tar', ['-cf', '-', '-C', rootfs, 'hello']));
  const diffId = layer.digest; // an uncompressed layer's diff ID is its digest
  const config = blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } })));
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': ref } }],
    }),
  );
  execFileSync('tar', ['-cf', file, '-C', dir, 'oci-layout', 'index.json', 'blobs']);
}

function setup(extra: Partial<VagrantProviderOptions> = {}) {
  const projectDir = tmp('hoplab-bundle-project-');
  const stateDir = tmp('hoplab-standin-');
  mkdirSync(join(projectDir, 'vagrant'));
  copyFileSync(join(repo, 'vagrant/settings.yaml'), join(projectDir, 'vagrant/settings.yaml'));
  const fetched: string[] = [];
  const opts: VagrantProviderOptions = {
    lab: 'test',
    projectDir,
    transport: 'ssh',
    env: { PATH: process.env.PATH ?? '', HOPLAB_STANDIN_STATE: stateDir, HOPLAB_STANDIN_SCENARIO: 'success', HOPLAB_STANDIN_CLUSTER: 'flannel-host-gw' },
    probe: async () => ({ platform: 'linux', vagrantVersion: '2.3.4', virtualBoxVersion: '7.0.14r161095', ansibleVersion: '2.14.18', memAvailableKiB: 16 << 20, routes: [] }),
    fetchImage: async (ref, file) => {
      fetched.push(ref);
      tinyOciArchive(ref, file);
    },
    manifestUrls: { flannel: `${base}/flannel/{version}/kube-flannel.yml`, calico: `${base}/calico/{version}/calico.yaml` },
    ...extra,
  };
  const calls = () => readFileSync(join(stateDir, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; bundle?: string });
  return { opts, fetched, calls, stateDir };
}

const settings = parseSettings(readFileSync(join(repo, 'vagrant/settings.yaml'), 'utf8'), 'vagrant/settings.yaml');

describe('the images a bundle holds', () => {
  it('names images as containerd lists them and reads them from every container of a manifest', () => {
    expect(normalizeRef('httpd')).toBe('docker.io/library/httpd:latest');
    expect(normalizeRef('calico/node:v3.31.7')).toBe('docker.io/calico/node:v3.31.7');
    expect(normalizeRef('ghcr.io/flannel-io/flannel:v0.28.7')).toBe('ghcr.io/flannel-io/flannel:v0.28.7');
    expect(normalizeRef('registry.k8s.io/pause@sha256:abc')).toBe('registry.k8s.io/pause@sha256:abc');
    const ds = `---\nkind: Namespace\n---\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: install-cni-plugin\n          image: ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel1\n        - name: install-cni\n          image: ghcr.io/flannel-io/flannel:v0.28.7\n      containers:\n        - name: kube-flannel\n          image: ghcr.io/flannel-io/flannel:v0.28.7\n`;
    expect(manifestImages(ds)).toEqual(['ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel1', 'ghcr.io/flannel-io/flannel:v0.28.7']);
    expect(kubernetesImages(settings)).toEqual([
      'registry.k8s.io/kube-apiserver:v1.35.4',
      'registry.k8s.io/kube-controller-manager:v1.35.4',
      'registry.k8s.io/kube-scheduler:v1.35.4',
      'registry.k8s.io/kube-proxy:v1.35.4',
      'registry.k8s.io/coredns/coredns:v1.13.1',
      'registry.k8s.io/etcd:3.6.6-0',
      'registry.k8s.io/pause:3.10.1',
    ]);
  });
});

describe('hoplab vagrant prepare, then up --bundle (stand-in vagrant)', () => {
  it('builds the bundle once, completes rather than refetches, and up uses it', async () => {
    const s = setup();
    const out = join(tmp('hoplab-bundle-out-'), 'bundle');
    const p = createVagrantProvider(s.opts);
    const b = await p.prepare(out);
    const bySet = (set: string) => b.images.filter((i) => i.set === set).map((i) => i.ref);
    expect(bySet('kubernetes')).toEqual(kubernetesImages(settings));
    expect(bySet('flannel')).toEqual(['example.invalid/flannel:test']);
    expect(bySet('calico')).toEqual(['example.invalid/calico-node:test']);
    expect(bySet('labs')).toEqual(['docker.io/library/httpd:latest', 'docker.io/library/busybox:latest']);
    for (const i of b.images) expect(await archiveRefs(join(out, i.file))).toEqual([i.ref]);
    expect(readFileSync(join(out, b.manifests.flannel), 'utf8')).toContain('kube-flannel-ds');
    expect(b.box).toMatchObject({ name: 'bento/ubuntu-22.04', version: '202502.21.0', file: 'box/bento-ubuntu-22.04-202502.21.0-virtualbox.box' });
    const vagrant = s.calls().map((c) => c.argv.join(' '));
    expect(vagrant).toContain('box add bento/ubuntu-22.04 --box-version 202502.21.0 --provider virtualbox');
    expect(vagrant).toContain('box repackage bento/ubuntu-22.04 virtualbox 202502.21.0');
    const fetchedOnce = s.fetched.length;
    expect(fetchedOnce).toBe(b.images.length);

    // A second run keeps what is sound and fetches only what is missing.
    rmSync(join(out, b.images[0]!.file));
    await p.prepare(out);
    expect(s.fetched.slice(fetchedOnce)).toEqual([b.images[0]!.ref]);

    // A laptop: the box comes from the bundle, the Vagrantfile is told where it is.
    const laptop = setup({ bundle: out });
    const events: ProgressEvent[] = [];
    await createVagrantProvider(laptop.opts).up({ cni: 'flannel-host-gw', workers: 2, onEvent: (e) => events.push(e) });
    const calls = laptop.calls();
    const add = calls.find((c) => c.argv[0] === 'box' && c.argv[1] === 'add')!;
    expect(add.argv.slice(0, 4)).toEqual(['box', 'add', '--provider', 'virtualbox']);
    expect(add.argv[4]).toMatch(/bundle-box\.json$/);
    expect(calls.find((c) => c.argv[0] === 'up')!.bundle).toBe(out);
    expect(events.find((e) => e.type === 'phase' && e.phase === 'bundle' && e.state === 'done')).toMatchObject({
      detail: `${bySet('kubernetes').length + 1 + 2} images to import, box bento/ubuntu-22.04 202502.21.0 added`,
    });
  }, 180_000);

  it('refuses a damaged or mismatched bundle before anything boots', async () => {
    const s = setup();
    const out = join(tmp('hoplab-bundle-out-'), 'bundle');
    const b = await createVagrantProvider(s.opts).prepare(out);
    const pause = b.images.find((i) => i.ref.endsWith('pause:3.10.1'))!;
    appendFileSync(join(out, pause.file), 'x');
    const laptop = setup({ bundle: out });
    const err = await createVagrantProvider(laptop.opts).up({ cni: 'flannel-host-gw', workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`--bundle ${out}: ${pause.file} is damaged (sha256 differs from bundle.json)`);
    expect(laptop.calls().filter((c) => c.argv[0] === 'up')).toEqual([]);

    const meta = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    writeFileSync(join(out, 'bundle.json'), JSON.stringify({ ...meta, calico: 'v3.28.2' }));
    const err2 = await createVagrantProvider(setup({ bundle: out }).opts).up({ cni: 'calico-ipip', workers: 2 }).catch((e: unknown) => e);
    expect((err2 as Error).message).toBe(`--bundle ${out} was made for other versions: calico v3.28.2 (settings: v3.31.7)`);
  }, 180_000);
});
