#!/usr/bin/env bash
# What the vagrant provider's tests need on a Debian/Ubuntu machine: Debian's
# vagrant (with its ruby), ansible and ansible-lint (Debian 12 ships 6.13).
# VirtualBox is NOT installed: the tests run vagrant validate --ignore-provider
# and a stand-in vagrant (test/fixtures/vagrant/bin); see vagrant/README.md.
# Idempotent: installs only what is missing; without root it says what to run.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have vagrant || need+=(vagrant)
have ruby || need+=(ruby)
have ansible-playbook || need+=(ansible)
have ansible-lint || need+=(ansible-lint)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
  echo "the vagrant provider's tests want: ${need[*]} (they skip without them)" >&2
  echo "install with: sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 0
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
}
