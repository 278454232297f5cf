#!/bin/bash
# For places-unchanged.sh, inside `binfmt sandbox`: changes every place binfmt
# writes (ownership state, binfmt.d, loader copies) with register, apply,
# reorder, persist and import, checks that they were written, and prints
# "session-ok".
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'package demo\ninterpreter /bin/true\nextension demo\n' >F
binfmt register slulb >/dev/null
binfmt register --line ':nu-z:E::nuz::/bin/true:' >/dev/null
binfmt apply >/dev/null
binfmt reorder slulb --before nu-z --force >/dev/null
binfmt persist slulb >/dev/null
binfmt import F >/dev/null
ls /run/binfmt /etc/binfmt.d/slulb.conf /usr/local/lib/binfmt/loaders/slulb >/dev/null
echo session-ok
