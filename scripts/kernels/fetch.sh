#!/usr/bin/env bash
# Fetches Debian kernel packages into the cache and keeps only what a VM needs:
# the kernel image and the binfmt_misc module (decompressed: busybox insmod
# does not read .ko.xz, which 6.12 ships). The .deb is deleted after extraction.
#
#   fetch.sh ARCH CACHE PKG...
# prints one line per package:  ok PKG VERSION DIR   or   skip PKG REASON
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=$1 cache=$2
shift 2
lists=$cache/apt-$arch/lists
# Refresh the private lists when missing or older than a day (a warm run needs no network).
if [ -z "$(find "$lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  bash "$here/apt.sh" "$arch" "$cache" update >&2 || echo "fetch.sh: apt update failed; using the lists there are" >&2
fi
for pkg in "$@"; do
  dir=$cache/kernels/$arch/$pkg
  if [ -f "$dir/version" ] && [ -f "$dir/vmlinuz" ] && [ -f "$dir/binfmt_misc.ko" ]; then
    echo "ok $pkg $(cat "$dir/version") $dir"
    continue
  fi
  ver=$(bash "$here/apt.sh" "$arch" "$cache" policy "$pkg" | awk -v p="$pkg" '$1==p {print $2; exit}')
  if [ -z "$ver" ]; then
    echo "skip $pkg not on the mirror any more"
    continue
  fi
  debs=$cache/debs/$arch
  rm -f "$debs/${pkg}"_*.deb
  if ! bash "$here/apt.sh" "$arch" "$cache" download "$pkg=$ver" >&2; then
    echo "skip $pkg download failed"
    continue
  fi
  deb=$(ls "$debs/${pkg}"_*.deb 2>/dev/null | head -1)
  tmp=$(mktemp -d "$cache/extract.XXXXXX")
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinu*' '*/kernel/fs/binfmt_misc.ko*'
  img=$(ls "$tmp"/boot/vmlinu* 2>/dev/null | head -1)
  ko=$(find "$tmp" -name 'binfmt_misc.ko*' | head -1)
  if [ -z "$img" ] || [ -z "$ko" ]; then
    echo "skip $pkg package holds no kernel image or no binfmt_misc module"
    rm -rf "$tmp"
    continue
  fi
  mkdir -p "$dir"
  mv "$img" "$dir/vmlinuz"
  case $ko in
  *.xz) xz -dc "$ko" >"$dir/binfmt_misc.ko" ;;
  *.zst) zstd -qdc "$ko" >"$dir/binfmt_misc.ko" ;;
  *) mv "$ko" "$dir/binfmt_misc.ko" ;;
  esac
  echo "$ver" >"$dir/version"
  rm -rf "$tmp" "$deb"
  echo "ok $pkg $ver $dir"
done
