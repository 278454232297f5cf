#!/usr/bin/env bash
# Fuzz the loader's ELF validation with libFuzzer (clang from Debian).
#   bash native/fuzz/run.sh [SECONDS]     (npm run fuzz -- SECONDS; default 60)
# The harness and its corpus live under build/fuzz/ (git-ignored). The seed
# corpus is the machine's ld.so files and a few programs. Exit status 0 means
# no crash, no sanitizer report, no broken invariant in that time.
set -euo pipefail
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../build/fuzz
mkdir -p "$out/corpus" "$out/artifacts"
cc=${CC_FUZZ:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found (apt-get install clang)" >&2; exit 1; }
bin=$out/fuzz-elf-check
if [ ! -x "$bin" ] || [ -n "$(find "$here" "$here/../loader/elf-check.c" "$here/../loader/elf-check.h" -newer "$bin" -name '*.[ch]' | head -1)" ]; then
  "$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -o "$bin" "$here/fuzz-elf-check.c" "$here/../loader/elf-check.c"
fi
for f in /lib64/ld-linux-x86-64.so.2 /lib/ld-musl-x86_64.so.1 /bin/true /bin/sh; do
  [ -e "$f" ] && head -c 65536 "$f" > "$out/corpus/seed-$(basename "$f")"
done
exec "$bin" -max_total_time="$secs" -max_len=65536 -timeout=5 -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/" "$out/corpus"
