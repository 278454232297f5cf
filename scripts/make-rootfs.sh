#!/usr/bin/env bash
# Builds (once) a minimal Debian root filesystem for the tests and prints its
# path: debootstrap --variant=minbase --foreign (first stage: the required
# packages unpacked, nothing run inside), from Debian's packages through this
# machine's own apt mirror (read from /etc/apt/sources.list* at run time).
# Cached under .cache/ (git-ignored): the root filesystem itself, reused while
# its stamp file exists, and the .debs in .cache/debootstrap-debs, so a rebuild
# downloads only the package index.
#
#   scripts/make-rootfs.sh [SUITE]      default: bullseye (glibc 2.31)
set -euo pipefail
cd "$(dirname "$0")/.."

suite=${1:-bullseye}
cache=$PWD/.cache
root=$cache/rootfs/$suite

# The job itself is `binfmt rootfs` (src/ops/rootfs.ts: apt's own mirror,
# debootstrap's first stage, /run/host and /proc made, and the reason when it
# cannot run); this script only caches its result for the tests.
cli=$PWD/dist/cli/binfmt.cjs
[ -e "$cli" ] || { echo "make-rootfs: $cli is not built (npm run build)" >&2; exit 1; }
[ -e "$root/.binfmt-rootfs-ok" ] && { echo "$root"; exit 0; }   # made by an older version of this script

mkdir -p "$cache/rootfs" "$cache/debootstrap-debs"
exec 9>"$cache/rootfs/.lock"
flock 9
node "$cli" rootfs "$suite" "$root" --cache-dir "$cache/debootstrap-debs" >&2
# Keep nothing that names a host or is only debootstrap's bookkeeping.
rm -rf "$root/etc/apt/sources.list" "$root/var/lib/apt/lists" "$root/debootstrap/debpaths"
echo "$root"
