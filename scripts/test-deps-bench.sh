#!/usr/bin/env bash
# What `npm run bench` compares against when it can: Mininet (`mn`, with
# bridge-utils for its lxbr switch) for 100 hosts beside a 100-pod Deployment.
# The benchmark works without them and says so. Idempotent: installs only what
# is missing; without root it says what to run.
set -euo pipefail

source "$(dirname "$0")/apt-lib.sh"
need=()
have mn || need+=(mininet)
have brctl || need+=(bridge-utils)
install_missing "the benchmark's Mininet comparison wants (it is skipped without them)" 0 "${need[@]}"
