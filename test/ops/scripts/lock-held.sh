#!/bin/bash
# For test/ops/apply-kernel.test.ts, inside a sandbox: while another process
# holds binfmt's lock on the state of /proc/sys/fs/binfmt_misc (flock(1) takes
# the same flock(2) lock and writes its pid as binfmt does), runs
# `binfmt apply --config-root CONFIG_ROOT`; then lets the holder go and applies
# again. Prints "rc=N" for each apply, the state directory's files, and "a" if
# entry a is registered. binfmt's own messages go to stderr.
# usage: lock-held.sh CONFIG_ROOT   ($CLI: the binfmt command)
set -eu
root=$1
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
lock=$state/proc-sys-fs-binfmt_misc.json.lock
# -o: only flock itself holds the lock, not the sleep it runs; its output goes
# nowhere, so that the sleep does not hold the sandbox's stdout open
# shellcheck disable=SC2016 # $$ and $0 belong to the inner sh
flock -o "$lock" sh -c 'echo $$ > "$0"; exec sleep 30' "$lock" >/dev/null 2>&1 &
holder=$!
while [ ! -s "$lock" ]; do sleep 0.05; done
sleeper=$(cat "$lock")
rc=0
$CLI apply --config-root "$root" --state-dir "$state" || rc=$?
echo "rc=$rc"
kill $holder
wait $holder 2>/dev/null || true
rc=0
$CLI apply --config-root "$root" --state-dir "$state" >/dev/null || rc=$?
echo "rc=$rc"
# only now: the pid the lock file named was alive during the second apply
kill "$sleeper"
ls "$state"
if [ -e /proc/sys/fs/binfmt_misc/a ]; then echo a; fi
