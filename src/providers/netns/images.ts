// The images the embedded lab can run: what each image's entrypoint and
// default command are and the files it holds. Every image is a stack of
// read-only layers a container's root filesystem is made of (see sandbox.ts):
// a base layer laid out like the upstream busybox image (a static busybox and
// its applets in /bin, /etc/passwd and /etc/group, /root, /tmp), the image's
// own files on top, and for the images that stand for real tool collections
// (netshoot, CoreDNS's dnsmasq) the machine's programs and libraries
// (/usr/bin, /usr/sbin, /usr/lib...), mounted read-only. An image
// not listed here is not in the simulated registry, so pulling it fails as a
// real pull of an unknown image does.
import { chmod, copyFile, mkdir, open, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../core/exec.js';

export interface ImageSpec {
  repository: string; // library/httpd
  entrypoint: string[];
  cmd: string[];
  /** Files of the image, relative to its root directory. */
  files: Record<string, string>;
  /** The image's PATH (the upstream image's ENV PATH); the Docker default when absent. */
  path?: string[];
  /** Files of `files` that are programs (CGI scripts): written executable. */
  executables?: string[];
  /** The image stands for a collection of real tools: the machine's /usr is mounted read-only into it. */
  hostTools?: boolean;
  /**
   * Directories of the image that the lab keeps rewriting (the DNS records):
   * bind-mounted read-only, since an overlay shows no change notifications of
   * its lower layers, as a ConfigMap volume is in a real CoreDNS pod.
   */
  live?: string[];
}

export const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

// nginxdemos/hello:plain-text's page: which pod answered, so requests to a
// Service show the load spreading. busybox httpd runs cgi-bin/index.cgi for "/".
const HELLO_CGI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
printf 'Server address: %s:80\\nServer name: %s\\nDate: %s\\nURI: %s\\nRequest ID: %s\\n' \\
  "$(hostname -i)" "$(hostname)" "$(date -u '+%d/%b/%Y:%H:%M:%S +0000')" "$REQUEST_URI" "$(tr -d - < /proc/sys/kernel/random/uuid)"
`;

const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';
const NGINX_WELCOME =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n';

export const IMAGES: Record<string, ImageSpec> = {
  busybox: { repository: 'library/busybox', entrypoint: [], cmd: ['sh'], files: {} },
  httpd: {
    repository: 'library/httpd',
    entrypoint: [],
    cmd: ['httpd', '-f', '-p', '80', '-h', '/usr/local/apache2/htdocs'],
    files: { 'usr/local/apache2/htdocs/index.html': IT_WORKS },
  },
  nginx: {
    repository: 'library/nginx',
    entrypoint: [],
    cmd: ['httpd', '-f', '-p', '80', '-h', '/usr/share/nginx/html'],
    files: { 'usr/share/nginx/html/index.html': NGINX_WELCOME },
  },
  // The network toolbox the kubeconfig provider's node debug pods default to
  // (iproute2, traceroute, tcpdump, ...): played by this machine's own tools,
  // its /usr mounted read-only into the container.
  'nicolaka/netshoot': {
    repository: 'nicolaka/netshoot',
    entrypoint: [],
    cmd: ['sh'],
    files: {},
    hostTools: true,
  },
  // The classic "which pod answered?" demo image, as its plain-text variant (for every tag).
  'nginxdemos/hello': {
    repository: 'nginxdemos/hello',
    entrypoint: [],
    cmd: ['httpd', '-f', '-p', '80', '-h', '/usr/share/nginx/html'],
    files: { 'usr/share/nginx/html/cgi-bin/index.cgi': HELLO_CGI },
    executables: ['usr/share/nginx/html/cgi-bin/index.cgi'],
  },
  // Cluster DNS (registry.k8s.io/coredns/coredns), played by dnsmasq: it
  // answers from the hosts files the lab daemon keeps in etc/coredns/hosts.d
  // (re-read on change, like CoreDNS's kubernetes plugin watching the API),
  // says NXDOMAIN at once for other cluster.local names and for reverse
  // lookups of private addresses, and forwards the rest to the node's
  // resolver from the pod's resolv.conf (dnsPolicy: Default), as `forward . /etc/resolv.conf` does.
  'coredns/coredns': {
    repository: 'coredns/coredns',
    hostTools: true,
    entrypoint: [],
    cmd: [
      '/usr/sbin/dnsmasq', '--keep-in-foreground', '--log-facility=-', '--user=root', '--pid-file=',
      '--no-hosts', '--hostsdir=/etc/coredns/hosts.d', '--local=/cluster.local/', '--bogus-priv', '--no-negcache',
    ],
    files: { 'etc/coredns/hosts.d/cluster.hosts': '' },
    live: ['etc/coredns/hosts.d'],
  },
};

/** Where the cluster DNS image reads its records, relative to the image root. */
export const CLUSTER_DNS_HOSTS = 'etc/coredns/hosts.d/cluster.hosts';

export interface ImageRef {
  name: string; // as written: nginx:latest
  registry: string; // docker.io
  repository: string; // library/nginx
  tag: string;
  short: string; // nginx: the key into IMAGES
}

/** Parses an image reference the way containerd normalises it (docker.io/library/NAME:latest). */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  if (slash > 0 && /[.:]|^localhost$/.test(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    tag = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const repository = rest.includes('/') ? rest : `library/${rest}`;
  const short = repository.startsWith('library/') ? repository.slice('library/'.length) : repository;
  return { name: image, registry, repository, tag, short };
}

/** Where setup (scripts/build-busybox.sh) leaves busybox built with upstream's configuration. */
export const BUILT_BUSYBOX = process.env.HOPLAB_BUSYBOX ?? '/var/cache/hoplab/busybox-upstream-defconfig/busybox';

/** True when `file` is an ELF program with no dynamic loader: it runs in a root filesystem with no libraries. */
export async function isStaticElf(file: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const head = Buffer.alloc(64);
    await fh.read(head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2) return false; // 64-bit ELF only
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    const ph = Buffer.alloc(phentsize * phnum);
    await fh.read(ph, 0, ph.length, phoff);
    for (let i = 0; i < phnum; i++) if (ph.readUInt32LE(i * phentsize) === 3) return false; // PT_INTERP
    return true;
  } finally {
    await fh.close();
  }
}

/** The busybox the images are made of: the upstream-configured static build, else the machine's (which needs /usr). */
export async function imageBusybox(): Promise<{ file: string; static: boolean }> {
  if (await isStaticElf(BUILT_BUSYBOX)) return { file: BUILT_BUSYBOX, static: true };
  const own = '/usr/bin/busybox';
  return { file: own, static: await isStaticElf(own) };
}

export interface ImageLayers {
  /** Read-only layers, topmost first. */
  layers: string[];
  /** Directories of the machine mounted read-only into the container, at the same path unless `target` says. */
  hostDirs: { source: string; target: string }[];
}

const BASE = '_base';
// The machine's programs and libraries, not /usr as a whole: an image's own files under /usr (htdocs) stay visible.
// /etc/alternatives too: Debian's traceroute, ping and friends are links through it.
const HOST_USR_DIRS = ['/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib32', '/usr/lib64', '/usr/libexec', '/etc/alternatives'];
const HOST_USR = '_host-usr';
// A tool image's /bin is the machine's (bin -> usr/bin on a merged-/usr machine):
// Debian's /usr/sbin/ip is a link to /bin/ip, which busybox's applet would answer otherwise.
const HOST_BIN = '_host-bin';

/** The layers and read-only machine directories a container of `short` is made of. */
export function imageLayers(images: string, short: string, busyboxStatic: boolean): ImageLayers {
  const spec = IMAGES[short];
  const hostUsr = spec?.hostTools === true || !busyboxStatic;
  return {
    layers: [
      join(images, short),
      ...(spec?.hostTools === true ? [join(images, HOST_BIN)] : []),
      ...(hostUsr ? [join(images, HOST_USR)] : []),
      join(images, BASE),
    ],
    hostDirs: [
      ...(hostUsr ? HOST_USR_DIRS.filter((d) => existsSync(d)).map((d) => ({ source: d, target: d })) : []),
      // An unmerged-/usr machine's own /bin and /sbin (merged ones are the links of HOST_BIN and HOST_USR).
      ...(spec?.hostTools === true ? ['/bin', '/sbin'].filter((d) => existsSync(d) && !lstatSync(d).isSymbolicLink()).map((d) => ({ source: d, target: d })) : []),
      ...(spec?.live ?? []).map((d) => ({ source: join(images, short, d), target: `/${d}` })),
    ],
  };
}

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;
const GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
mail:x:12:mail
dip:x:30:
www-data:x:33:
operator:x:37:
users:x:100:
nogroup:x:65534:
`;

/** The upstream busybox image's layout: every applet in /bin. */
async function writeBaseLayer(dir: string, busybox: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const d of ['bin', 'etc', 'root', 'home', 'usr/sbin', 'var/spool/mail', 'var/www', 'proc', 'sys', 'dev']) {
    await mkdir(join(dir, d), { recursive: true });
  }
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await chmod(join(dir, 'tmp'), 0o1777);
  await chmod(join(dir, 'root'), 0o700);
  await copyFile(busybox, join(dir, 'bin/busybox'));
  await chmod(join(dir, 'bin/busybox'), 0o755);
  const list = await run([busybox, '--list']);
  if (list.exitCode !== 0) throw new Error(`${busybox} --list failed: ${list.stderr.trim()}`);
  await Promise.all(
    list.stdout
      .split('\n')
      .filter((a) => a && a !== 'busybox')
      .map((a) => symlink('busybox', join(dir, 'bin', a))),
  );
  await writeFile(join(dir, 'etc/passwd'), PASSWD);
  await writeFile(join(dir, 'etc/group'), GROUP);
}

/** What an image with the machine's /usr needs besides it: the merged-/usr links (lib -> usr/lib, ...). */
async function writeHostUsrLayer(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'usr'), { recursive: true });
  for (const l of ['lib', 'lib32', 'lib64', 'libx32', 'sbin']) {
    if (existsSync(`/${l}`) && lstatSync(`/${l}`).isSymbolicLink()) await symlink(`usr/${l}`, join(dir, l));
  }
}

/** The tool images' /bin: the machine's merged-/usr link, or (unmerged) its /bin mounted as a host directory. */
async function writeHostBinLayer(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  if (existsSync('/bin') && lstatSync('/bin').isSymbolicLink()) await symlink('usr/bin', join(dir, 'bin'));
}

const DEV = '_dev';

/** The template of every container's /dev (the launcher copies it in with one `cp -a`, sandbox.ts). */
export const devTemplate = (images: string) => join(images, DEV);

/** What a container runtime puts in /dev: the six device nodes, the /proc/self/fd links, ptmx into its own devpts. */
async function writeDevTemplate(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'pts'), { recursive: true });
  await mkdir(join(dir, 'shm'));
  const nodes: [string, number, number][] = [['null', 1, 3], ['zero', 1, 5], ['full', 1, 7], ['random', 1, 8], ['urandom', 1, 9], ['tty', 5, 0]];
  const script = nodes.map(([n, major, minor]) => `mknod -m 666 "$0/${n}" c ${major} ${minor}`).join('\n');
  const r = await run(['sh', '-ec', script, dir]);
  if (r.exitCode !== 0) throw new Error(`mknod in ${dir} failed: ${r.stderr.trim()}`);
  const links: [string, string][] = [['ptmx', 'pts/ptmx'], ['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']];
  await Promise.all(links.map(([name, target]) => symlink(target, join(dir, name))));
}

/** Writes the image layers and the registry's manifests. */
export async function prepareImages(paths: { images: string; registry: string }): Promise<void> {
  // Each layer and image is a directory of its own: written side by side (one after another took 230 ms of `up`).
  await Promise.all([
    writeDevTemplate(devTemplate(paths.images)),
    imageBusybox().then((busybox) => writeBaseLayer(join(paths.images, BASE), busybox.file)),
    writeHostUsrLayer(join(paths.images, HOST_USR)),
    writeHostBinLayer(join(paths.images, HOST_BIN)),
    ...Object.entries(IMAGES).map(async ([short, spec]) => {
      for (const [file, content] of Object.entries(spec.files)) {
        const full = join(paths.images, short, file);
        await mkdir(join(full, '..'), { recursive: true });
        await writeFile(full, content, { mode: spec.executables?.includes(file) ? 0o755 : 0o644 });
      }
      await mkdir(join(paths.images, short), { recursive: true });
      const manifestDir = join(paths.registry, 'v2', spec.repository, 'manifests');
      await mkdir(manifestDir, { recursive: true });
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', name: spec.repository });
      // Every tag of a known image resolves; tags are not what the labs are about.
      await writeFile(join(manifestDir, 'latest'), manifest);
    }),
  ]);
}

export function manifestPath(ref: ImageRef): string {
  // Any tag of a known image is served by the `latest` manifest file.
  return `/v2/${ref.repository}/manifests/latest`;
}
