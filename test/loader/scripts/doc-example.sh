#!/bin/bash
# For test/loader/docs.test.ts: runs one ```sh example of a docs page (CODE)
# as a reader would type it, stopping at its first failing command, with
# `binfmt` the built CLI ($CLI), the loader's directory (LOADER_DIR) first on
# PATH, and TMP (a scratch directory) and FIXTURES (the loader's test
# programs) exported for the example to use. Prints what the example prints.
# usage: doc-example.sh CODE
set -eu
export TMP FIXTURES PATH="$LOADER_DIR:$PATH"
# $CLI is a command line ("node .../binfmt.cjs"): split on purpose
# shellcheck disable=SC2086
binfmt() { $CLI "$@"; }
eval "$1"
