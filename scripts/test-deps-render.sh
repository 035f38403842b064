#!/usr/bin/env bash
# What the topology tests need to render `hoplab topology --format svg` to PNG
# in a real SVG renderer: rsvg-convert (Debian's librsvg2-bin).
# Idempotent: installs only what is missing; without root it says what to run.
set -euo pipefail

source "$(dirname "$0")/apt-lib.sh"
need=()
have rsvg-convert || need+=(librsvg2-bin)
# Without it the rendering test skips and says so.
install_missing "the topology rendering test wants (it skips without it)" 0 "${need[@]}"
