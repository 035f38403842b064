#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what the tests
# need, builds, runs every test, and fails if a test left a namespace behind.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for extra in scripts/test-deps-*.sh scripts/fetch-kubectl-1.20.sh; do
  [ -f "$extra" ] && bash "$extra"
done
npx vitest run "$@"
after=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^(hoplab|hltest)-' || true)
if [ -n "$after" ]; then
  echo "tests left network namespaces behind:" >&2
  echo "$after" >&2
  exit 1
fi
