#!/bin/bash
# For test/ops/apply-kernel.test.ts, inside a sandbox: runs EXEC_LOOP on a
# file that only the entry churn.mjs manages can run, while churn.mjs changes
# that entry ROUNDS times in MODE (apply or delete-then-add) with CONFIG_ROOT.
# Prints exec-loop's "<execs> <failures>".
# usage: under-load.sh CHURN EXEC_LOOP MODE ROUNDS CONFIG_ROOT
set -eu
churn=$1 exec_loop=$2 mode=$3 rounds=$4 root=$5
state=$(mktemp -d) work=$(mktemp -d)
trap 'rm -rf "$state" "$work"' EXIT
printf 'not a native executable\n' >"$work/x.bfe"
chmod +x "$work/x.bfe"
node "$churn" "$mode" 1 "$root" "$state" >/dev/null
"$exec_loop" "$work/x.bfe" "$work/stop" >"$work/out" &
loop=$!
sleep 0.2
node "$churn" "$mode" "$rounds" "$root" "$state" >/dev/null
touch "$work/stop"
wait $loop
cat "$work/out"
