#!/usr/bin/env bash
# Runs what the vagrant roles do that needs no VM kernel (common's fstab,
# modules-load.d and sysctl.d files; containerd's config from the rootfs's own
# `containerd config default`, with SystemdCgroup and the sandbox image) for
# real, against a Debian 12 root file system, over Ansible's chroot
# connection: twice, the first run must converge, the second report changed=0.
#
# The rootfs is built once with debootstrap from Debian's mirror and cached
# (HOPLAB_ROOTFS, default /var/cache/hoplab/rootfs-bookworm); each run works on
# an overlay over it, so the cache stays pristine. Needs root, debootstrap,
# ansible (community.general for the chroot connection). Exit 0 when both runs
# are as expected, 1 when not, 2 when it cannot run here (says why).
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${HOPLAB_ROOTFS:-/var/cache/hoplab/rootfs-bookworm}
mirror=${HOPLAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cannot() { echo "vagrant-rootfs-roles: cannot run here: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || cannot "needs root (debootstrap, mount)"
command -v ansible-playbook >/dev/null || cannot "ansible-playbook is not installed (scripts/test-deps-vagrant.sh)"

start=$(date +%s.%N)
if [ ! -x "$cache/usr/bin/containerd" ]; then
  command -v debootstrap >/dev/null || cannot "debootstrap is not installed (apt-get install debootstrap)"
  echo "building the Debian 12 rootfs in $cache (once; about 430 MB)"
  rm -rf "$cache.tmp"
  mkdir -p "$(dirname "$cache")"
  debootstrap --variant=minbase --include=python3,containerd,ca-certificates bookworm "$cache.tmp" "$mirror" >/dev/null
  mv "$cache.tmp" "$cache"
fi
built=$(date +%s.%N)

work=$(mktemp -d /tmp/hoplab-rootfs-XXXXXX)
root="$work/root"
mkdir -p "$work/upper" "$work/work" "$root"
cleanup() { umount "$root" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mount -t overlay overlay -o "lowerdir=$cache,upperdir=$work/upper,workdir=$work/work" "$root" ||
  cannot "cannot mount an overlay over $cache"

run() {
  ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_RETRY_FILES_ENABLED=0 \
    ansible-playbook -i "$root," -c community.general.chroot test/fixtures/vagrant/rootfs-roles.yml
}
echo "== first run (converges)"
first=$(run) || { echo "$first"; echo "vagrant-rootfs-roles: the first run failed" >&2; exit 1; }
echo "$first"
echo "== second run (must change nothing)"
second=$(run) || { echo "$second"; echo "vagrant-rootfs-roles: the second run failed" >&2; exit 1; }
echo "$second"
done_at=$(date +%s.%N)

# What the files hold, as a node would have them.
echo "== results in the rootfs"
cat "$root/etc/modules-load.d/kubernetes.conf" "$root/etc/sysctl.d/99-kubernetes.conf"
grep -E '^\s*(SystemdCgroup|sandbox_image) = ' "$root/etc/containerd/config.toml"

recap() { sed -n 's/.*: ok=\([0-9]*\) *changed=\([0-9]*\) *unreachable=\([0-9]*\) *failed=\([0-9]*\).*/ok=\1 changed=\2 unreachable=\3 failed=\4/p' <<<"$1"; }
printf 'first run: %s\nsecond run: %s\n' "$(recap "$first")" "$(recap "$second")"
printf 'seconds: rootfs %.1f, two runs %.1f\n' "$(echo "$built - $start" | bc)" "$(echo "$done_at - $built" | bc)"
[[ "$(recap "$first")" =~ changed=[1-9] ]] || { echo "vagrant-rootfs-roles: the first run changed nothing" >&2; exit 1; }
[[ "$(recap "$second")" =~ changed=0\ unreachable=0\ failed=0 ]] || { echo "vagrant-rootfs-roles: the second run was not idempotent" >&2; exit 1; }
grep -q '^\s*SystemdCgroup = true' "$root/etc/containerd/config.toml" || { echo "vagrant-rootfs-roles: SystemdCgroup is not true" >&2; exit 1; }
grep -q '^\s*sandbox_image = "registry.k8s.io/pause:3.10.1"' "$root/etc/containerd/config.toml" || { echo "vagrant-rootfs-roles: sandbox_image not set" >&2; exit 1; }
echo "vagrant-rootfs-roles: ok"
