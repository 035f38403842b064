#!/usr/bin/env bash
# Builds the busybox that plays the lab's busybox-based images: Debian's own
# busybox source package, configured with upstream's `make defconfig` (what the
# docker.io busybox image is built from: wget -T/--timeout/--spider, nc -w,
# and the other applets Debian's build leaves out), linked statically so it runs
# inside a pod's root filesystem with no libraries beside it.
# Cached: a second run only prints the path. Prints the binary's path on stdout.
# Needs: gcc, make, libc6-dev (static libc), dpkg-dev; downloads only from Debian.
set -euo pipefail

# mirror_sources CODENAME: a deb-src line for each of the machine's Debian
# sources of this release (one-line .list files and deb822 .sources files).
mirror_sources() {
  local codename=$1 f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENT...
    awk -v c="$codename" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == c || $(i + 1) ~ "^" c "-(updates|security)$") { $1 = "deb-src"; print } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Stanzas separated by blank lines: Types, URIs, Suites, Components.
    awk -v c="$codename" '
      function flush(   n, u, s, k, j) {
        if (types ~ /(^| )deb( |$)/ && uris != "" && enabled != "no") {
          n = split(uris, u, " "); k = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= k; j++)
            if (s[j] == c || s[j] ~ "^" c "-(updates|security)$") print "deb-src " (signed != "" ? "[signed-by=" signed "] " : "") u[i] " " s[j] " " comps
        }
        types = uris = suites = comps = enabled = signed = ""
      }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
      /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      /^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
      /^Signed-By:[[:space:]]*[^[:space:]]/ { sub(/^Signed-By:[[:space:]]*/, ""); signed = $0 }
      /^Enabled:/ { sub(/^Enabled:[[:space:]]*/, ""); enabled = $0 }
      END { flush() }' "$f"
  done
}
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
# A private apt configuration with deb-src lines for this release, on the
# mirrors the machine's own sources name (a CI machine or a LAN may reach
# only those); the machine's own sources are left as they are.
. /etc/os-release
codename=${VERSION_CODENAME:-bookworm}
mkdir -p "$work/apt/lists/partial" "$work/apt/parts"
mirror_sources "$codename" > "$work/apt/sources.list"
[ -s "$work/apt/sources.list" ] || echo "deb-src http://deb.debian.org/debian $codename main" > "$work/apt/sources.list"
aptopts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=$work/apt/parts"
  -o "Dir::State::Lists=$work/apt/lists" -o "APT::Get::List-Cleanup=0")
apt-get "${aptopts[@]}" update -qq >&2
(cd "$work" && apt-get "${aptopts[@]}" source -qq busybox >&2)
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
