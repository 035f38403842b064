# Shared by the install scripts (sourced, not run): install missing Debian
# packages with apt-get when root, else say what to run.
have() { command -v "$1" >/dev/null 2>&1; }

# install_missing WHO EXIT-IF-UNABLE PACKAGE...: nothing to do without packages;
# without root or apt-get, prints the command and returns EXIT-IF-UNABLE.
install_missing() {
  local who=$1 unable=$2
  shift 2
  [ $# -eq 0 ] && return 0
  # Collecting for one apt-get run of several scripts (scripts/test.sh): list, do not install.
  if [ -n "${HOPLAB_APT_COLLECT:-}" ]; then
    printf '%s\n' "$@" >> "$HOPLAB_APT_COLLECT"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
    echo "$who: $*" >&2
    echo "install with: sudo apt-get install -y --no-install-recommends $*" >&2
    return "$unable"
  fi
  echo "installing: $*"
  export DEBIAN_FRONTEND=noninteractive
  # Try the lists the machine has first; update them only when that fails.
  apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "$@" >/dev/null
  }
}
