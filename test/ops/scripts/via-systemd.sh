#!/bin/bash
# For test/ops/against-systemd.test.ts, inside a sandbox (its mount
# namespace is private): binds the binfmt.d directories of the tree at
# CONFIG_ROOT over the real ones (a tmpfs first where the real parent has no
# binfmt.d to mount over), runs SYSTEMD_BINFMT (its messages and status do
# not matter: what it registered is compared), then prints every entry as
# helpers/scripts/dump-entries.sh does.
# usage: via-systemd.sh SYSTEMD_BINFMT CONFIG_ROOT
set -eu
systemd_binfmt=$1 root=$2
mount -t tmpfs tmpfs /run && mkdir -p /run/binfmt.d
mount -t tmpfs tmpfs /usr/local/lib && mkdir -p /usr/local/lib/binfmt.d
for d in etc/binfmt.d run/binfmt.d usr/local/lib/binfmt.d usr/lib/binfmt.d; do
  mount --bind "$root/$d" "/$d"
done
"$systemd_binfmt" 2>/dev/null || true
bash "$(dirname "$0")/../../helpers/scripts/dump-entries.sh" /proc/sys/fs/binfmt_misc
