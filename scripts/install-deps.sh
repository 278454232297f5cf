#!/usr/bin/env bash
# Everything the build and the tests need, from Debian's packages and the npm
# registry only. Safe to run again: apt-get and npm ci are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# What each group is for: the build (cmake make gcc g++); sandboxes (util-linux);
# the comparison with systemd-binfmt (systemd); the old-glibc root filesystem
# (debootstrap debian-archive-keyring); the loader's tests: real programs
# (python3 perl git), musl builds, readelf (binutils), libFuzzer (clang and
# its runtime), strace for syscall counts; the aarch64 loader's cross-build
# and its test (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross: an aarch64 ld.so
# and libc); static riscv64 programs for the emulation tests
# (gcc-riscv64-linux-gnu, libc6-dev-riscv64-cross); the aarch64 package test's
# addon (g++-aarch64-linux-gnu); man(1)
# for the test that man finds the installed pages (man-db); newuidmap (uidmap)
# for the test that drops to an ordinary user;
# the kernel matrix (npm run test:kernels): qemu-system-x86 and qemu-system-arm
# (TCG), busybox-static for the VMs' init, cpio and xz-utils (6.12's .ko.xz);
# rootless podman (podman runc uidmap; crun, podman's default, refuses hybrid
# cgroup hierarchies) for the container tests, busybox-static for a process
# to keep a test container running, patchelf for the Toolbx binary's PT_INTERP;
# shellcheck for the test that checks the tests' shell scripts; clang-format
# for `npm run lint`'s check that native/ keeps its style (scripts/format-native.sh).
DEBS=(cmake make gcc g++ util-linux systemd debootstrap debian-archive-keyring binutils strace libpipeline1
      python3 perl git musl musl-tools musl-dev clang libclang-rt-14-dev
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross g++-aarch64-linux-gnu uidmap
      gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
      qemu-system-x86 qemu-system-arm busybox-static cpio xz-utils
      podman runc patchelf man-db shellcheck clang-format)
missing=()
for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# newuidmap (uidmap) maps only what /etc/subuid and /etc/subgid grant, to root
# as to anyone: grant root its own first 65536 ids, so that a test can build a
# user namespace holding both root and an ordinary user (the EACCES test).
if [ "$(id -u)" -eq 0 ]; then
  for f in /etc/subuid /etc/subgid; do
    grep -qx 'root:0:65536' "$f" 2>/dev/null || echo 'root:0:65536' >>"$f"
  done
fi
# The container tests run rootless podman as this ordinary user, never as
# root: it needs a range of subordinate ids for the container's user
# namespace (useradd adds one itself where login.defs says so).
TEST_USER=binfmt-test
if [ "$(id -u)" -eq 0 ]; then
  id "$TEST_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$TEST_USER"
  for f in /etc/subuid /etc/subgid; do
    grep -q "^$TEST_USER:" "$f" 2>/dev/null || echo "$TEST_USER:300000:65536" >>"$f"
  done
fi
# Unpacked, never installed: their maintainer scripts would mount and
# register on the machine's own binfmt_misc. Tests run them in sandboxes.
# qemu-user-static ships /usr/lib/binfmt.d/qemu-*.conf, which systemd's dpkg
# trigger registers at once: tests run qemu-<arch>-static by hand (static, runs
# from .cache/debs), or register it in a sandbox's own binfmt_misc.
# podman-toolbox (the real Toolbx program for the container tests) would
# create /run/host on this machine through its tmpfiles.d file.
UNPACK=(binfmt-support qemu-user-static podman-toolbox)
mkdir -p .cache/debs
for p in "${UNPACK[@]}"; do
  [ -d ".cache/debs/$p" ] && continue
  ( cd .cache/debs && { apt-get download "$p" 2>/dev/null || { apt-get update -qq && apt-get download "$p"; }; } \
    && dpkg-deb -x "$p"_*.deb "$p" && rm -f "$p"_*.deb )
done
# Of qemu's 370 MB of emulators the tests use those of the platforms images are
# published for (about 80 MB): aarch64 and riscv64 run cross-built programs, all
# of them run binfmt's exit(0) probes. An older .cache/debs that lost some is
# unpacked again.
KEEP=(aarch64 riscv64 arm ppc64le s390x mips64el loongarch64)
for a in "${KEEP[@]}"; do
  [ -e ".cache/debs/qemu-user-static/usr/bin/qemu-$a-static" ] && continue
  rm -rf .cache/debs/qemu-user-static
  ( cd .cache/debs && apt-get download qemu-user-static && dpkg-deb -x qemu-user-static_*.deb qemu-user-static \
    && rm -f qemu-user-static_*.deb )
  break
done
keep_args=()
for a in "${KEEP[@]}"; do keep_args+=(! -name "qemu-$a-static"); done
find .cache/debs/qemu-user-static/usr/bin -type f "${keep_args[@]}" -delete
# usr/libexec/qemu-binfmt/ARCH-binfmt-P links to usr/bin/qemu-ARCH-static:
# those of the emulators just deleted would dangle (and a copy of the tree,
# as the mutation run makes, fails on them).
find .cache/debs/qemu-user-static -xtype l -delete
npm ci --no-audit --no-fund
