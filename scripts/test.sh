#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what the tests
# need, builds, runs every test, and fails if a test left a namespace behind.
# Arguments go to vitest (e.g. a file to run alone) instead of the two runs.
#
# On a fresh 2-core machine the time goes to installing, to building the
# images' busybox, and to the integration tests. So: one apt-get run for
# every script's packages; busybox builds while npm installs, and TypeScript
# compiles (one thread) while the unit and UI tests run; then the integration and end-to-end
# tests, HOPLAB_TEST_WORKERS files at a time (default 3; each file's labs
# have names of their own), longest first (test/sequencer.ts). On the 2-core
# machine two at a time left the CPU idle while files waited on pods and
# timeouts (969 s in all), three kept it busy (817 s).
set -euo pipefail
cd "$(dirname "$0")/.."
# Go programs (kubectl 1700 times, the CNI plugins 600) with one thread of Go code: with three test
# files at once both cores are busy, and a start's parallel GC workers only add CPU (kubectl
# `get pods`: 158 ms of CPU a call, 139 ms with GOMAXPROCS=1, in 15 alternating runs).
export GOMAXPROCS=${GOMAXPROCS:-1}
source scripts/apt-lib.sh

t0=$SECONDS
pkgs=$(mktemp)
results=$(mktemp -d)
bblog=$(mktemp)
trap 'rm -rf "$pkgs" "$results" "$bblog" "${buildlog:-}"' EXIT

# The bench's Mininet comparison (scripts/test-deps-bench.sh) is no test's: left out.
HOPLAB_APT_COLLECT=$pkgs bash scripts/setup.sh packages
for extra in scripts/test-deps-python-client.sh scripts/test-deps-render.sh scripts/test-deps-vagrant.sh; do
  HOPLAB_APT_COLLECT=$pkgs bash "$extra"
done
# shellcheck disable=SC2046
if [ -s "$pkgs" ]; then
  install_missing "the tests need" 3 $(sort -u "$pkgs") || exit 3
fi

bash scripts/build-busybox.sh >"$bblog" 2>&1 &
busybox=$!
# The downloads (each with apt lists of its own) while npm installs and TypeScript compiles.
bash scripts/fetch-kubectl-1.20.sh >/dev/null &
kubectl120=$!
{ bash scripts/fetch-k8s-openapi.sh >/dev/null || echo "test.sh: no Kubernetes OpenAPI document: the explain tests skip" >&2; } &
openapi=$!
bash scripts/setup.sh modules
# tsc is one thread for 20 s: the unit and UI tests, which import src/ and not dist/, run beside it.
buildlog=$(mktemp)
npm run --silent build >"$buildlog" 2>&1 &
build=$!
wait "$kubectl120" || echo "test.sh: could not fetch kubectl 1.20: its tests skip" >&2
wait "$openapi"
echo "test.sh: installed in $((SECONDS - t0)) s"

vitest() { # vitest NAME FILTER...: one run, its counts in $results/NAME.json
  local name=$1; shift
  npx vitest run --reporter=default --reporter=json --outputFile.json="$results/$name.json" "$@" || status=$?
}
status=0
# With arguments (a file, a -t filter), one run of just those, once busybox is there.
# Unit and UI files share their workers' modules (--no-isolate): importing Ink, React and the
# lab code afresh for each of 90 files was two thirds of this run's CPU (127 s against 35 s).
# A test that leaks state into the next file then fails there: fix the leak, not the flag.
[ $# -eq 0 ] && vitest fast --no-isolate --fileParallelism --maxWorkers=2 test/unit test/ui
if ! wait "$build"; then
  echo "test.sh: the build failed (npm run build):" >&2
  cat "$buildlog" >&2
  exit 1
fi
echo "test.sh: built at $((SECONDS - t0)) s"
if ! wait "$busybox"; then
  echo "test.sh: could not build busybox for the lab's images (they use the machine's busybox: no wget -T):" >&2
  tail -20 "$bblog" >&2
fi
echo "test.sh: busybox ready at $((SECONDS - t0)) s"
workers=${HOPLAB_TEST_WORKERS:-3}
if [ $# -eq 0 ]; then vitest system --fileParallelism --maxWorkers="$workers" test/integration test/e2e; else vitest system "$@"; fi

# One plain closing line, whatever reads this log: both runs together.
node -e 'const fs = require("fs");
  const t = { p: 0, f: 0, s: 0 };
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    t.p += r.numPassedTests; t.f += r.numFailedTests; t.s += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${t.p} passed, ${t.f} failed, ${t.s} skipped`);' "$results/fast.json" "$results/system.json" || true
echo "test.sh: $((SECONDS - t0)) s in all"
# Kept for scripts/test-durations.mjs (test/durations.json) when asked.
[ -n "${HOPLAB_TEST_REPORTS:-}" ] && mkdir -p "$HOPLAB_TEST_REPORTS" && cp "$results"/*.json "$HOPLAB_TEST_REPORTS"/ 2>/dev/null || true
[ "$status" -eq 0 ] || exit "$status"
after=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^(hoplab|hltest)-' || true)
if [ -n "$after" ]; then
  echo "tests left network namespaces behind:" >&2
  echo "$after" >&2
  exit 1
fi
