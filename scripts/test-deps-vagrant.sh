#!/usr/bin/env bash
# What the vagrant provider's tests need on a Debian/Ubuntu machine: Debian's
# vagrant (with its ruby), ansible and ansible-lint (Debian 12 ships 6.13),
# debootstrap for the rootfs the runnable roles are tried on.
# VirtualBox is NOT installed: the tests run vagrant validate --ignore-provider
# and a stand-in vagrant (test/fixtures/vagrant/bin); see vagrant/README.md.
# Idempotent: installs only what is missing; without root it says what to run.
set -euo pipefail

source "$(dirname "$0")/apt-lib.sh"
need=()
have vagrant || need+=(vagrant)
have ruby || need+=(ruby)
have ansible-playbook || need+=(ansible)
have ansible-lint || need+=(ansible-lint)
# scripts/vagrant-rootfs-roles.sh builds a Debian 12 rootfs with it (once, cached).
have debootstrap || need+=(debootstrap)
# The stand-in vagrant (test/fixtures/vagrant/bin) is Perl: Digest::SHA is in Debian's perl, not perl-base.
perl -MDigest::SHA -e 1 2>/dev/null || need+=(perl)
# Without them the tests skip and say so: not being able to install is no failure here.
install_missing "the vagrant provider's tests want (they skip without them)" 0 "${need[@]}"
