#!/usr/bin/env bash
# Unpacks Debian's kubernetes-client (kubectl 1.20) into .cache/kubectl-1.20/
# without installing it: it conflicts with the kubectl these machines carry,
# and the API tests need the oldest kubectl a fresh Debian gets.
# Idempotent: does nothing when the binary is already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.cache/kubectl-1.20"
bin="$dest/usr/bin/kubectl"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  echo "fetch-kubectl-1.20: needs apt-get and dpkg (Debian or Ubuntu)" >&2
  exit 3
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -o APT::Sandbox::User=root kubernetes-client >/dev/null)
deb="$(ls "$tmp"/kubernetes-client_*.deb 2>/dev/null | head -n1)"
if [ -z "$deb" ]; then
  echo "fetch-kubectl-1.20: apt-get download kubernetes-client produced no .deb (run apt-get update?)" >&2
  exit 3
fi
mkdir -p "$dest"
dpkg -x "$deb" "$dest"
if [ ! -x "$bin" ]; then
  echo "fetch-kubectl-1.20: $deb holds no usr/bin/kubectl" >&2
  exit 3
fi
echo "$bin"
