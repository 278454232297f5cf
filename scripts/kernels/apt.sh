#!/usr/bin/env bash
# Private apt configuration for the kernel matrix: its own sources list, lists
# and package cache under the cache directory, so that the machine's apt
# configuration is never changed. The Debian mirror is read at run time from the
# machine's active apt sources (never written into the repository).
#
#   apt.sh ARCH CACHE update            refresh the private lists (amd64 or arm64)
#   apt.sh ARCH CACHE policy PATTERN    "package version" of every matching package
#   apt.sh ARCH CACHE download PKG...   download .debs into CACHE/debs/ARCH
set -euo pipefail
arch=$1 cache=$2 cmd=$3
shift 3

# The first URI of an active apt source whose path ends in /$1 (debian or
# debian-security). Only *.list and *.sources count (other files there are
# disabled repositories); third-party repositories never end that way.
mirror() {
  local f uris=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    while read -r u; do uris+=("$u"); done < <(
      sed -n -e 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' \
        -e 's/^[[:space:]]*URIs:[[:space:]]*//p' "$f" | tr ' ' '\n' | grep -E "^[a-z]+://[^ ]*/$1/?\$" || true)
  done
  [ ${#uris[@]} -gt 0 ] || { echo "apt.sh: no active apt source with a URI ending in /$1 in /etc/apt/sources.list*" >&2; return 1; }
  echo "${uris[0]%/}"
}

dir=$cache/apt-$arch
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$cache/debs/$arch"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opts=(-o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$dir/lists"
      -o Dir::Cache="$dir/cache" -o Dir::State::status=/dev/null -o APT::Architecture="$arch"
      -o APT::Architectures="$arch" -o Debug::NoLocking=1 -o Acquire::Languages=none -o APT::Get::List-Cleanup=0)

case $cmd in
update)
  m=$(mirror debian)
  : >"$dir/sources.list"
  for suite in bullseye bookworm bookworm-backports trixie; do
    echo "deb [arch=$arch signed-by=$keyring] $m $suite main" >>"$dir/sources.list"
  done
  # Stable kernels newer than the last point release are in the security suites.
  if s=$(mirror debian-security 2>/dev/null); then
    for suite in bullseye-security bookworm-security trixie-security; do
      echo "deb [arch=$arch signed-by=$keyring] $s $suite main" >>"$dir/sources.list"
    done
  fi
  apt-get "${opts[@]}" -o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false -qq update
  ;;
policy)
  # Every version of every package whose name matches (apt-cache's own listing).
  apt-cache "${opts[@]}" madison "$@" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$1); gsub(/ /,"",$2); print $1, $2}'
  ;;
download)
  # apt-get download drops privileges to _apt: give it a directory it may write.
  cd "$cache/debs/$arch"
  chown _apt "$cache/debs/$arch" 2>/dev/null || true
  apt-get "${opts[@]}" -qq download "$@"
  ;;
*) echo "apt.sh: unknown command $cmd" >&2; exit 2 ;;
esac
