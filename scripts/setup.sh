#!/usr/bin/env bash
# Installs what hoplab needs on a Debian or Ubuntu machine and builds it.
# Idempotent: installs only what is missing. Used by `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
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
want dnsmasq-base have dnsmasq
want iputils-ping have ping
want iputils-tracepath have tracepath
want mtr-tiny have mtr
want conntrack have conntrack
want tmux have tmux
want procps have ps
# Debian's kubectl only when there is none: it conflicts with other kubectl packages.
have kubectl || need_pkgs+=(kubernetes-client)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
    echo "hoplab needs: ${need_pkgs[*]}" >&2
    echo "install them with: sudo apt-get install -y --no-install-recommends ${need_pkgs[*]}" >&2
    exit 3
  fi
  echo "installing: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# `npm install`, not `npm ci`: npm 11 writes lock files without the other
# platforms' optional packages (rollup's, esbuild's) and `npm ci` then refuses
# them as out of sync. With the lock file present, install keeps its versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-fund --no-audit --loglevel=error
fi
npm run --silent build
