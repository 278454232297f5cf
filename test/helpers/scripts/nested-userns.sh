#!/bin/bash
# Sourced by the --pid test scripts, inside a sandbox: starts a process in a
# nested user and mount namespace (a stand-in for a container) and sets P to
# its pid and nested to the job to kill at the end. Defines binfmt ($CLI)
# and step NAME CMD... (prints "## NAME", the output and "rc=STATUS").
# shellcheck disable=SC2034 # P and nested are for the script that sources this one
set -eu
pidfile=$(mktemp -u)
trap 'rm -f "$pidfile"' EXIT
# shellcheck disable=SC2016 # $$ is the nested sh's own pid
unshare --user --map-root-user --mount --propagation private sh -c 'echo $$ > "$0"; exec sleep 60' "$pidfile" &
nested=$!
for _ in $(seq 50); do
  if [ -s "$pidfile" ]; then break; fi
  sleep 0.1
done
P=$(cat "$pidfile")
# $CLI is a command line ("node .../binfmt.cjs"): split on purpose
# shellcheck disable=SC2086
binfmt() { $CLI "$@"; }
step() {
  local name=$1 rc=0
  shift
  echo "## $name"
  "$@" 2>&1 || rc=$?
  echo "rc=$rc"
}
