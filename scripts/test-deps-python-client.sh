#!/usr/bin/env bash
# The API compatibility tests drive the embedded API with a client nobody on
# the project wrote: Debian's python3-kubernetes. Idempotent; without it (or
# without root) those tests skip and say why.
set -euo pipefail

source "$(dirname "$0")/apt-lib.sh"
need=()
/usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1 || need+=(python3-kubernetes)
install_missing "the API compatibility tests want (they skip without it)" 0 "${need[@]}"
