#!/usr/bin/env bash
# Everything the build and the tests need, from Debian's packages and the npm
# registry only. Safe to run again: apt-get and npm ci are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# The loader's tests: real programs (python3 perl git), musl builds, readelf,
# libFuzzer (clang + its runtime), strace for the benchmark's syscall counts.
DEBS=(cmake make gcc g++ util-linux systemd binutils python3 perl git strace musl musl-tools musl-dev clang libclang-rt-14-dev)
missing=()
for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
npm ci --no-audit --no-fund
