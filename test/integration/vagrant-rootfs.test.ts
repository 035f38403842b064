// scripts/vagrant-rootfs-roles.sh: common's files and containerd's config,
// run for real against a Debian 12 rootfs over Ansible's chroot connection,
// twice (converges, then changed=0). Skips with the reason when it cannot run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const cache = process.env.HOPLAB_ROOTFS ?? '/var/cache/hoplab/rootfs-bookworm';
const why =
  process.getuid?.() !== 0
    ? 'needs root (overlay mount, chroot)'
    : !has('ansible-playbook')
      ? 'ansible-playbook is not installed (scripts/test-deps-vagrant.sh)'
      : !existsSync(join(cache, 'usr/bin/containerd')) && !has('debootstrap')
        ? `no rootfs in ${cache} and no debootstrap to build one (scripts/test-deps-vagrant.sh)`
        : // Building the rootfs is minutes of debootstrap: the suite uses one made before, or builds it when asked.
          !existsSync(join(cache, 'usr/bin/containerd')) && !process.env.HOPLAB_ROOTFS_TEST
          ? `no cached rootfs in ${cache}: building one takes minutes (run scripts/vagrant-rootfs-roles.sh once, or set HOPLAB_ROOTFS_TEST=1)`
          : '';

describe('the roles that need no VM kernel, on a real Debian 12 rootfs', () => {
  it.skipIf(why !== '')(`common's files and containerd's config converge, then change nothing${why ? ` [skipped: ${why}]` : ''}`, async () => {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(join(repo, 'scripts/vagrant-rootfs-roles.sh'), [], { cwd: repo });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', (c) => done({ code: c, out: text }));
    });
    expect(code, out.slice(-3000)).toBe(0);
    expect(out).toMatch(/^first run: ok=\d+ changed=[1-9]\d* unreachable=0 failed=0$/m);
    expect(out).toMatch(/^second run: ok=\d+ changed=0 unreachable=0 failed=0$/m);
    expect(out).toContain('net.bridge.bridge-nf-call-iptables = 1');
    expect(out).toMatch(/^\s*SystemdCgroup = true$/m);
    expect(out).toMatch(/^\s*sandbox_image = "registry\.k8s\.io\/pause:3\.10\.1"$/m);
  }, 900_000);
});
