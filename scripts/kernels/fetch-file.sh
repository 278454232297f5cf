#!/usr/bin/env bash
# One program out of a Debian package of another architecture (arm64's
# busybox-static for the arm64 VM), through the private apt lists; cached.
# The package is unpacked whole (small) and the file found by name, since its
# directory differs between releases (bin/ before merged /usr, usr/bin/ after).
#
#   fetch-file.sh ARCH CACHE PKG NAME     prints the local path of NAME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=$1 cache=$2 pkg=$3 name=$4
dir=$cache/files/$arch/$pkg
found() { find "$dir" -name "$name" -type f -perm -u+x 2>/dev/null | head -1; }
if [ -z "$(found)" ]; then
  debs=$cache/debs/$arch
  rm -rf "$dir" "$debs/${pkg}"_*.deb
  bash "$here/apt.sh" "$arch" "$cache" download "$pkg" >&2
  mkdir -p "$dir"
  dpkg-deb -x "$(ls "$debs/${pkg}"_*.deb | head -1)" "$dir"
  rm -f "$debs/${pkg}"_*.deb
fi
f=$(found)
[ -n "$f" ] || { echo "fetch-file.sh: no $name in $pkg" >&2; exit 1; }
echo "$f"
