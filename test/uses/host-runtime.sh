#!/bin/bash
# For test/uses/host-runtime.test.ts, inside a sandbox: one scenario, each
# step printing "## NAME", its output and "rc=N".
#   LOADERS   where `binfmt register host-runtime` puts the loader copy
#   HOST_DIR  the test's directory under ROOT_DIR/opt, seen from the host
#   ROOT_DIR  the bullseye root (the container); IN_ROOT: HOST_DIR inside it
#   HOST_LD, HOST_LIB  the host's ld.so and libraries seen through /run/host
#   NAIVE_LD  the ABI path of ld.so under /run/host (an absolute symlink)
# No set -e: a failing step is reported by its rc line, and the scenario goes on.
set -u
# $CLI is a command line ("node .../binfmt.cjs"): split on purpose
# shellcheck disable=SC2086
binfmt() { $CLI "$@"; }
step() { echo "## $1"; shift; "$@" 2>&1; echo "rc=$?"; }
binfmt register host-runtime --loader-dir "$LOADERS" >/dev/null || exit 99
step host-marked "$HOST_DIR/marked" h1
mount --rbind / "$ROOT_DIR/run/host" && mount --rbind /proc "$ROOT_DIR/proc" || exit 98
step container-plain chroot "$ROOT_DIR" "$IN_ROOT/plain" c0
# shellcheck disable=SC2016 # $0 is bash's inside the container
step container-marked chroot "$ROOT_DIR" /bin/bash -c 'exec -a custom-argv0 "$0/marked" c1 "c 2"' "$IN_ROOT"
step container-ls chroot "$ROOT_DIR" /bin/ls -d /opt
step container-libc chroot "$ROOT_DIR" /lib/x86_64-linux-gnu/libc.so.6
step check-entry binfmt check "$HOST_DIR/marked" --root "$ROOT_DIR" --ld "$HOST_LD" --library-path "$HOST_LIB"
step check-naive binfmt check "$HOST_DIR/plain" --root "$ROOT_DIR" --ld "$NAIVE_LD" --library-path "$HOST_LIB"
step naive chroot "$ROOT_DIR" "$NAIVE_LD" --library-path "$HOST_LIB" "$IN_ROOT/plain"
umount -l "$ROOT_DIR/proc"
step container-marked-noproc chroot "$ROOT_DIR" "$IN_ROOT/marked" c3
umount -l "$ROOT_DIR/run/host" && [ -z "$(ls -A "$ROOT_DIR/run/host")" ] || exit 96
step container-empty-run-host chroot "$ROOT_DIR" "$IN_ROOT/marked" c4
mount -t tmpfs tmpfs /run && ln -s ../ /run/host || exit 97
step host-run-host-is-root "$HOST_DIR/marked" h2
