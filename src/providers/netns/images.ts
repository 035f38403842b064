// The images the embedded lab can run, played by busybox: what each image's
// entrypoint and default command are, and the files it serves. An image not
// listed here is not in the simulated registry, so pulling it fails as a real
// pull of an unknown image does.
import { mkdir, symlink, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../core/exec.js';

export interface ImageSpec {
  repository: string; // library/httpd
  entrypoint: string[];
  cmd: string[];
  /** Files of the image, relative to its root directory. */
  files: Record<string, string>;
  /** Directories searched before busybox's applets: where an image with real tools finds them. */
  path?: string[];
  /** Files of `files` that are programs (CGI scripts): written executable. */
  executables?: string[];
}

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

/** Image entrypoints refer to the image root as {{root}}; the runtime substitutes the real directory. */
export const IMAGES: Record<string, ImageSpec> = {
  busybox: { repository: 'library/busybox', entrypoint: [], cmd: ['sh'], files: {} },
  httpd: {
    repository: 'library/httpd',
    entrypoint: [],
    cmd: ['httpd', '-f', '-p', '80', '-h', '{{root}}/usr/local/apache2/htdocs'],
    files: { 'usr/local/apache2/htdocs/index.html': IT_WORKS },
  },
  nginx: {
    repository: 'library/nginx',
    entrypoint: [],
    cmd: ['httpd', '-f', '-p', '80', '-h', '{{root}}/usr/share/nginx/html'],
    files: { 'usr/share/nginx/html/index.html': NGINX_WELCOME },
  },
  // The network toolbox the kubeconfig provider's node debug pods default to
  // (iproute2, traceroute, tcpdump, ...): played by this machine's own tools,
  // which a lab node has anyway, since its filesystem is the machine's.
  'nicolaka/netshoot': {
    repository: 'nicolaka/netshoot',
    entrypoint: [],
    cmd: ['sh'],
    files: {},
    path: ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'],
  },
  // The classic "which pod answered?" demo image, as its plain-text variant (for every tag).
  'nginxdemos/hello': {
    repository: 'nginxdemos/hello',
    entrypoint: [],
    cmd: ['httpd', '-f', '-p', '80', '-h', '{{root}}/usr/share/nginx/html'],
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
    entrypoint: [],
    cmd: [
      '/usr/sbin/dnsmasq', '--keep-in-foreground', '--log-facility=-', '--user=root', '--pid-file=',
      '--no-hosts', '--hostsdir={{root}}/etc/coredns/hosts.d', '--local=/cluster.local/', '--bogus-priv', '--no-negcache',
    ],
    files: { 'etc/coredns/hosts.d/cluster.hosts': '' },
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

/** Writes the busybox applet directory, image roots and the registry's manifests. */
export async function prepareImages(paths: { bin: string; images: string; registry: string }): Promise<void> {
  await mkdir(paths.bin, { recursive: true });
  const list = await run(['busybox', '--list']);
  const have = new Set(await readdir(paths.bin));
  await Promise.all(
    list.stdout
      .split('\n')
      .filter((a) => a && !have.has(a))
      .map((a) => symlink('/usr/bin/busybox', join(paths.bin, a))),
  );
  for (const [short, spec] of Object.entries(IMAGES)) {
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
  }
}

export function manifestPath(ref: ImageRef): string {
  // Any tag of a known image is served by the `latest` manifest file.
  return `/v2/${ref.repository}/manifests/latest`;
}
