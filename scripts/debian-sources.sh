# Shared by the scripts that download Debian source packages (sourced, not run):
# a private apt configuration with deb-src lines for this release, on the
# mirrors the machine's own sources name (a CI machine or a LAN may reach only
# those); the machine's own sources are left as they are.

# mirror_sources CODENAME: a deb-src line for each of the machine's Debian
# sources of this release (one-line .list files and deb822 .sources files).
mirror_sources() {
  local codename=$1 f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENT...
    awk -v c="$codename" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == c || $(i + 1) ~ "^" c "-(updates|security)$") { $1 = "deb-src"; print } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Stanzas separated by blank lines: Types, URIs, Suites, Components.
    awk -v c="$codename" '
      function flush(   n, u, s, k, j) {
        if (types ~ /(^| )deb( |$)/ && uris != "" && enabled != "no") {
          n = split(uris, u, " "); k = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= k; j++)
            if (s[j] == c || s[j] ~ "^" c "-(updates|security)$") print "deb-src " (signed != "" ? "[signed-by=" signed "] " : "") u[i] " " s[j] " " comps
        }
        types = uris = suites = comps = enabled = signed = ""
      }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
      /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      /^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
      /^Signed-By:[[:space:]]*[^[:space:]]/ { sub(/^Signed-By:[[:space:]]*/, ""); signed = $0 }
      /^Enabled:/ { sub(/^Enabled:[[:space:]]*/, ""); enabled = $0 }
      END { flush() }' "$f"
  done
}
# debian_source_apt WORKDIR: writes WORKDIR/apt, updates its lists, and sets
# the array APTOPTS for `apt-get "${APTOPTS[@]}" source ...`.
debian_source_apt() {
  local work=$1 codename
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  mkdir -p "$work/apt/lists/partial" "$work/apt/parts"
  chmod 755 "$work"  # apt downloads as _apt
  mirror_sources "$codename" > "$work/apt/sources.list"
  [ -s "$work/apt/sources.list" ] || echo "deb-src http://deb.debian.org/debian $codename main" > "$work/apt/sources.list"
  APTOPTS=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=$work/apt/parts"
    -o "Dir::State::Lists=$work/apt/lists" -o "APT::Get::List-Cleanup=0")
  apt-get "${APTOPTS[@]}" update -qq >&2
}
