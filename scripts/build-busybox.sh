#!/usr/bin/env bash
# Builds the busybox that plays the lab's busybox-based images: Debian's own
# busybox source package, configured with upstream's `make defconfig` (what the
# docker.io busybox image is built from: wget -T/--timeout/--spider, nc -w,
# and the other applets Debian's build leaves out), linked statically so it runs
# inside a pod's root filesystem with no libraries beside it.
# Cached: a second run only prints the path. Prints the binary's path on stdout.
# Needs: gcc, make, libc6-dev (static libc), dpkg-dev; downloads only from Debian.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/debian-sources.sh"
CACHE=${HOPLAB_CACHE_DIR:-/var/cache/hoplab}
OUT="$CACHE/busybox-upstream-defconfig"
# (`wget --help` exits 1: its output is captured, not piped, so pipefail does not count that.)
if [ -x "$OUT/busybox" ] && [[ "$("$OUT/busybox" wget --help 2>&1)" == *"-T SEC"* ]]; then
  echo "$OUT/busybox"; exit 0
fi
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/busybox-build.XXXXXX")
chmod 755 "$work"  # apt downloads as _apt
trap 'rm -rf "$work"' EXIT INT TERM
debian_source_apt "$work"
(cd "$work" && apt-get "${APTOPTS[@]}" source -qq busybox >&2)
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -1)
[ -n "$src" ] || { echo "build-busybox: no source tree after apt-get source busybox" >&2; exit 3; }
(
  cd "$src"
  make -s defconfig >&2
  sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' \
         -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' .config  # tc does not build against newer kernel headers
  make -s -j"$(nproc)" busybox >&2
)
mkdir -p "$OUT"
install -m 0755 "$src/busybox" "$OUT/busybox.new"
mv "$OUT/busybox.new" "$OUT/busybox"
echo "$OUT/busybox"
