#!/usr/bin/env bash
# Checks (or, with --fix, applies) the clang-format style of native/: the
# loader's C after native/.clang-format, the addon's C++ after
# native/addon/.clang-format. `npm run lint` runs the check; exit status 1
# and clang-format's report name each file and line that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format-native: clang-format not found (apt-get install clang-format)" >&2; exit 1; }
mapfile -t files < <(git ls-files -co --exclude-standard 'native/*.c' 'native/*.h' 'native/*.cc')
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
else
  clang-format --dry-run --Werror "${files[@]}"
fi
