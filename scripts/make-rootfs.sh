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
stamp=$root/.binfmt-rootfs-ok
[ -e "$stamp" ] && { echo "$root"; exit 0; }

command -v debootstrap >/dev/null || { echo "make-rootfs: debootstrap is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
# debootstrap refuses to run unprivileged, even as root in a user namespace
# (it tests mknod in the target). Once built, the root filesystem is used
# unprivileged (unshare -r chroot).
[ "$(id -u)" -eq 0 ] || { echo "make-rootfs: building $root needs root (debootstrap); run this once as root" >&2; exit 1; }

# The first "deb" URI in the apt sources whose suite is this machine's own
# release (not -security/-updates): the Debian archive mirror apt already uses.
mirror_from_apt_sources() {
  local codename; codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk -v s="$codename" '$1=="deb" { i=2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)==s) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v s="$codename" 'BEGIN{RS=""; FS="\n"} /(^|\n)Types:[^\n]*deb( |$|\n)/ {
        uri=""; ok=0
        for (i=1;i<=NF;i++) {
          if ($i ~ /^URIs:/) { split($i, u, " "); uri=u[2] }
          if ($i ~ /^Suites:/) { n=split($i, t, " "); for (j=2;j<=n;j++) if (t[j]==s) ok=1 }
        }
        if (ok && uri != "") { print uri; exit }
      }' "$f"
  done
}
mirror=$(mirror_from_apt_sources | head -1)
[ -n "$mirror" ] || { echo "make-rootfs: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }

mkdir -p "$cache/rootfs" "$cache/debootstrap-debs"
exec 9>"$cache/rootfs/.lock"
flock 9
[ -e "$stamp" ] && { echo "$root"; exit 0; }   # built meanwhile by another run

tmp=$(mktemp -d "$cache/rootfs/.$suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
debootstrap --foreign --variant=minbase --cache-dir="$cache/debootstrap-debs" \
  --keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$suite" "$tmp" "$mirror" >&2
# Keep nothing that names a host or is only debootstrap's bookkeeping.
rm -rf "$tmp/etc/apt/sources.list" "$tmp/var/lib/apt/lists" "$tmp/debootstrap/debpaths" "$tmp"/var/cache/apt/archives/*.deb
# The first stage leaves /proc as a symlink to itself; tests mount proc there.
[ -L "$tmp/proc" ] && rm "$tmp/proc"
mkdir -p "$tmp/opt" "$tmp/run/host" "$tmp/proc" "$tmp/tmp"
chmod 1777 "$tmp/tmp"
chmod 755 "$tmp"
rm -rf "$root"
mv "$tmp" "$root"
trap - EXIT
touch "$stamp"
echo "$root"
