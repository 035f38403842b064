#!/usr/bin/env bash
# Fetches what `kubectl explain` reads from the lab's API: the real Kubernetes
# OpenAPI v2 document (api/openapi-spec/swagger.json in the source of Debian's
# kubernetes package, 1.20 on Debian 12) and gnostic's OpenAPIv2.proto (Debian's
# golang-github-googleapis-gnostic-dev), which the API encodes the document with
# (kubectl asks for protobuf). Downloads only from Debian; the source tarball is
# read for that one file and not kept.
# Cached: a second run only prints the directory. Prints the directory on stdout.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/debian-sources.sh"
CACHE=${HOPLAB_CACHE_DIR:-/var/cache/hoplab}
OUT="$CACHE/kubernetes-openapi"
if [ -s "$OUT/swagger.json" ] && [ -s "$OUT/OpenAPIv2.proto" ]; then
  echo "$OUT"; exit 0
fi
for cmd in apt-get dpkg tar; do
  command -v "$cmd" >/dev/null || { echo "fetch-k8s-openapi: needs $cmd (Debian or Ubuntu)" >&2; exit 3; }
done
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/kubernetes-openapi.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
debian_source_apt "$work"
(cd "$work" && apt-get "${APTOPTS[@]}" source --download-only -qq -o APT::Sandbox::User=root kubernetes >&2) || {
  echo "fetch-k8s-openapi: apt-get source --download-only kubernetes failed" >&2; exit 3; }
orig=$(ls "$work"/kubernetes_*.orig.tar.* 2>/dev/null | head -n1)
[ -n "$orig" ] || { echo "fetch-k8s-openapi: no kubernetes_*.orig.tar.* after apt-get source" >&2; exit 3; }
tar -xf "$orig" -C "$work" --wildcards '*/api/openapi-spec/swagger.json' || {
  echo "fetch-k8s-openapi: tar -xf $orig: no api/openapi-spec/swagger.json" >&2; exit 3; }
(cd "$work" && apt-get download -qq -o APT::Sandbox::User=root golang-github-googleapis-gnostic-dev >&2) || {
  echo "fetch-k8s-openapi: apt-get download golang-github-googleapis-gnostic-dev failed" >&2; exit 3; }
deb=$(ls "$work"/golang-github-googleapis-gnostic-dev_*.deb | head -n1)
dpkg -x "$deb" "$work/gnostic"
proto=$(find "$work/gnostic" -path '*openapiv2/OpenAPIv2.proto' | head -n1)
[ -n "$proto" ] || { echo "fetch-k8s-openapi: $deb holds no openapiv2/OpenAPIv2.proto" >&2; exit 3; }
mkdir -p "$OUT"
install -m 0644 "$proto" "$OUT/OpenAPIv2.proto"
install -m 0644 "$(find "$work" -path '*/api/openapi-spec/swagger.json' | head -n1)" "$OUT/swagger.json.new"
# The version it came from, for the README's and the tests' "schema of Kubernetes X".
basename "$orig" | sed -E 's/^kubernetes_([0-9.]+\+really)?([0-9]+\.[0-9]+\.[0-9]+).*/\2/' > "$OUT/VERSION"
mv "$OUT/swagger.json.new" "$OUT/swagger.json"
echo "$OUT"
