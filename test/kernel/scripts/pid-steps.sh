#!/bin/bash
# For test/kernel/pid.test.ts, inside a sandbox whose binfmt_misc is at MOUNT:
# starts a process in a nested user and mount namespace (a stand-in for a
# container), then runs binfmt --pid on it step by step. For each step it
# prints "## NAME", the step's stdout and stderr, and "rc=STATUS".
# usage: pid-steps.sh MOUNT   ($CLI: the binfmt command)
set -eu
mount=$1
# shellcheck source=SCRIPTDIR/../../helpers/scripts/nested-userns.sh
. "$(dirname "$0")/../../helpers/scripts/nested-userns.sh"
line=':pidt:E::pidt::/bin/true:F'
step list-empty binfmt list --pid "$P"
step dry-run binfmt register --pid "$P" --dry-run --line "$line"
step register binfmt register --pid "$P" --line "$line"
step again binfmt register --pid "$P" --line "$line"
step list binfmt list --pid "$P"
step theirs nsenter -t "$P" -U -m --preserve-credentials cat "$mount/pidt"
step ours ls "$mount"
step disable binfmt disable pidt --pid "$P"
step status binfmt status --pid "$P"
step remove binfmt remove pidt --pid "$P"
step theirs-after nsenter -t "$P" -U -m --preserve-credentials ls "$mount"
step both binfmt list --pid "$P" --mount "$mount"
kill "$nested"
