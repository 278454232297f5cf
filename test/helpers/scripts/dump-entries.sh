#!/bin/bash
# Prints every entry of the binfmt_misc instance at $1 in the kernel's match
# order (ls -U: newest first; a glob would sort), each as "== NAME" and its
# read-back text.
# usage: dump-entries.sh MOUNT
set -eu
cd "$1"
# shellcheck disable=SC2012 # find would do too, ls -U says the order is the point
ls -U | while IFS= read -r f; do
  case $f in register | status) continue ;; esac
  echo "== $f"
  cat "$f"
done
