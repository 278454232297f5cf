#!/bin/bash
# For test/ops/remove-owned.test.ts, inside a sandbox: starts a process in
# a nested user and mount namespace (a stand-in for a container), applies a
# configuration and registers one more entry there with --pid, then runs
# remove --owned --pid. Prints "## STEP", the step's output and "rc=STATUS".
# usage: remove-owned-pid.sh CONFIG_ROOT STATE_DIR   ($CLI: the binfmt command)
set -eu
root=$1 state=$2
# shellcheck source=SCRIPTDIR/../../helpers/scripts/nested-userns.sh
. "$(dirname "$0")/../../helpers/scripts/nested-userns.sh"
binfmt apply --pid "$P" --config-root "$root" --state-dir "$state" >/dev/null
binfmt register --pid "$P" --line ':pr:E::pr::/bin/true:' --state-dir "$state" >/dev/null
step remove binfmt remove --owned --pid "$P" --state-dir "$state"
step left binfmt list --pid "$P"
step again binfmt remove --owned --pid "$P" --state-dir "$state"
kill "$nested"
