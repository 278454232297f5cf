#!/usr/bin/env bash
# Builds a gzip'd newc cpio archive for a matrix VM. The kernel unpacks
# concatenated archives in order, so the runner builds the large common part
# once and a small one per kernel (its binfmt_misc module) and joins them.
#
#   initramfs.sh base OUT BUSYBOX GUESTDIR [SRC=DEST ...]
#       busybox and its applets, /init and the jobs of GUESTDIR, plus files
#   initramfs.sh files OUT SRC=DEST ...
#       only the given files (DEST is a path inside the guest)
# The tree stays in OUT.d: the host reads it to know what the guest's files are.
set -euo pipefail
kind=$1 out=$2
shift 2
stage=$out.d
rm -rf "$stage"
mkdir -p "$stage"
if [ "$kind" = base ]; then
  busybox=$1 guest=$2
  shift 2
  mkdir -p "$stage"/{bin,proc,sys,dev,tmp,etc,lib,t/jobs}
  cp "$busybox" "$stage/bin/busybox"
  # The applets the init, the jobs and the CLI checks use (relative links: the
  # host also reads this tree to know what the guest's open_exec() will see).
  for a in sh mount umount insmod poweroff cat echo ln mkdir env sed head tail basename ls rm grep \
           sleep uname chmod cp tr printf test true false id wc unshare; do
    ln -s busybox "$stage/bin/$a"
  done
  mkdir -p "$stage/usr/bin" && ln -s ../../bin/busybox "$stage/usr/bin/env"
  cp "$guest/init" "$stage/init"
  chmod 755 "$stage/init"
  cp "$guest"/jobs/*.sh "$stage/t/jobs/"
  echo 'root:x:0:0:root:/:/bin/sh' >"$stage/etc/passwd"
fi
for spec in "$@"; do
  src=${spec%%=*} dest=${spec#*=}
  mkdir -p "$stage/$(dirname "$dest")"
  cp -rL "$src" "$stage/$dest"
done
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet | gzip -1) >"$out"
