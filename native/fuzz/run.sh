#!/usr/bin/env bash
# Fuzz the loader with libFuzzer, ASan and UBSan (clang from Debian):
#   bash native/fuzz/run.sh [SECONDS | --runs N] [TARGET...]
#   (npm run fuzz -- SECONDS; default 60 s each, every target in turn)
# Targets: elf-check (the ELF validation), invocation (stage 1's parsing of
# argv, envp and auxv), stack (stage 4's rewriting of them). Each harness is
# built under build/fuzz/ (git-ignored) with its corpus there; the seeds
# committed in native/fuzz/seeds/TARGET (crashes once found, kept as
# regression inputs) are run first. Exit status 0 means no crash, no
# sanitizer report, no broken invariant in that time.
set -euo pipefail
limit=(-max_total_time="${1:-60}")
if [ "${1:-}" = --runs ]; then limit=(-runs="$2"); shift 2; elif [ $# -gt 0 ]; then shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(elf-check invocation stack)
here=$(cd "$(dirname "$0")" && pwd)
loader=$here/../loader
out=$here/../../build/fuzz
cc=${CC_FUZZ:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found (apt-get install clang)" >&2; exit 1; }
hosted=("$here/hosted.c" "$here/config-area.c" "$here/kernel-stack.c" "$loader/stack.c" "$loader/invocation.c" "$loader/selfexec.c"
  "$loader/file.c" "$loader/scratch.c")
for t in "${targets[@]}"; do
  case $t in
    elf-check) srcs=("$here/fuzz-elf-check.c" "$loader/elf-check.c") ;;
    invocation) srcs=("$here/fuzz-invocation.c" "${hosted[@]}") ;;
    stack) srcs=("$here/fuzz-stack.c" "${hosted[@]}" "$loader/handover.c" "$loader/ldso-argv0.c" "$loader/load.c"
      "$loader/elf-check.c") ;;
    *) echo "fuzz: no target $t (elf-check, invocation, stack)" >&2; exit 2 ;;
  esac
  bin=$out/fuzz-$t
  mkdir -p "$out/corpus-$t" "$out/artifacts"
  if [ ! -x "$bin" ] || [ -n "$(find "$here" "$loader" -newer "$bin" \( -name '*.[ch]' -o -name '*.dict' \) | head -1)" ]; then
    "$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o "$bin" "${srcs[@]}"
  fi
  corpus=("$out/corpus-$t")
  [ -d "$here/seeds/$t" ] && corpus+=("$here/seeds/$t")
  dict=()
  if [ "$t" = elf-check ]; then
    for f in /lib64/ld-linux-x86-64.so.2 /lib/ld-musl-x86_64.so.1 /bin/true /bin/sh; do
      [ -e "$f" ] && head -c 65536 "$f" >"$out/corpus-$t/seed-$(basename "$f")"
    done
    lim=(-max_len=65536)
  else
    dict=(-dict="$here/loader.dict")
    lim=(-max_len=4096)
  fi
  echo "fuzz: $t" >&2
  "$bin" "${limit[@]}" "${lim[@]}" "${dict[@]}" -timeout=5 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t-" "${corpus[@]}"
done
