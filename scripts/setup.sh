#!/usr/bin/env bash
# Installs what hoplab needs on a Debian or Ubuntu machine and builds it.
# Idempotent: installs only what is missing. Used by `npm start` and `npm test`.
#   setup.sh            everything: packages, the images' busybox, the OpenAPI
#                       document, npm install, build
#   setup.sh packages   only the Debian packages (with HOPLAB_APT_COLLECT=FILE: only
#                       list the missing ones in FILE, for one apt-get run of many scripts)
#   setup.sh build      only npm install and the TypeScript build
#   setup.sh modules    only npm install (test.sh builds beside the unit tests)
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-all}
case $part in all|packages|build|modules) ;; *) echo "setup.sh: unknown part '$part' (expected packages, build or modules)" >&2; exit 2 ;; esac

source scripts/apt-lib.sh
need_pkgs=()
want() { # want PACKAGE CHECK-COMMAND...
  local pkg=$1; shift
  "$@" >/dev/null 2>&1 || need_pkgs+=("$pkg")
}
want iproute2 have ip
want containernetworking-plugins test -x /usr/lib/cni/bridge
want busybox have busybox
want traceroute have traceroute
want iptables have iptables-restore
want bird2 have bird
want util-linux have nsenter
want socat have socat
want dnsmasq-base have dnsmasq
want iputils-ping have ping
want iputils-tracepath have tracepath
want mtr-tiny have mtr
want conntrack have conntrack
want tcpdump have tcpdump
want wget have wget
want net-tools have route
want tmux have tmux
want procps have ps
# Building the images' busybox from Debian's source with upstream's config (scripts/build-busybox.sh).
want gcc have gcc
want make have make
want libc6-dev dpkg -s libc6-dev
want dpkg-dev have dpkg-source
want bzip2 have bzip2
want xz-utils have xz
# Debian's kubectl only when there is none: it conflicts with other kubectl packages.
have kubectl || need_pkgs+=(kubernetes-client)

if [ "$part" = all ] || [ "$part" = packages ]; then
  install_missing "hoplab needs" 3 "${need_pkgs[@]}" || exit 3
fi
[ "$part" = packages ] && exit 0

# The busybox the lab's images are made of (cached after the first build). Without
# it the images fall back to the machine's busybox and programs, mounted read-only.
[ "$part" = all ] && { scripts/build-busybox.sh >/dev/null || echo "setup: could not build busybox for the lab's images; they use the machine's busybox instead (no wget -T)" >&2; }
# The Kubernetes OpenAPI document `kubectl explain` reads (cached). Without it
# the API serves a document with no schemas and `kubectl explain` finds nothing.
[ "$part" = all ] && { scripts/fetch-k8s-openapi.sh >/dev/null || echo "setup: could not fetch the Kubernetes OpenAPI document; kubectl explain will find nothing" >&2; }

# `npm install`, not `npm ci`: npm 11 writes lock files without the other
# platforms' optional packages (rollup's, esbuild's) and `npm ci` then refuses
# them as out of sync. With the lock file present, install keeps its versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-fund --no-audit --loglevel=error
fi
[ "$part" = modules ] && exit 0
npm run --silent build
