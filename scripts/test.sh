#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what the tests
# need, builds, runs every test, and fails if a test left a namespace behind.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for extra in scripts/test-deps-*.sh scripts/fetch-kubectl-1.20.sh; do
  [ -f "$extra" ] && bash "$extra"
done
results=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line, whatever reads this log.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$results" || true
rm -f "$results"
[ "$status" -eq 0 ] || exit "$status"
after=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^(hoplab|hltest)-' || true)
if [ -n "$after" ]; then
  echo "tests left network namespaces behind:" >&2
  echo "$after" >&2
  exit 1
fi
