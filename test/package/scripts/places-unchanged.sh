#!/bin/bash
# For test/package/new-user.test.ts, in a private mount namespace (the caller
# runs it under unshare --mount): makes binfmt's places private here too, with
# PLACES_SCRIPT (the sh that `binfmt sandbox` runs for the same purpose), so
# that a sandbox that leaks shows up below and still cannot touch the
# machine; then prints a snapshot of each PLACE (every file's path, type,
# mode, owner, size and mtime, and every regular file's sha256), "@@after",
# runs sandbox-session.sh in `binfmt sandbox` (binfmt: the installed one, on
# PATH) and prints the snapshot again.
# usage: places-unchanged.sh PLACES_SCRIPT PLACE...
set -eu
places_script=$1
shift
sh -c "$places_script" places-unchanged
snapshot() {
  for p in "$@"; do
    if [ -e "$p" ]; then
      find "$p" -printf '%p %y %m %U %s %T@\n' | sort
      find "$p" -type f -exec sha256sum {} + | sort
    else
      echo "absent $p"
    fi
  done
}
snapshot "$@"
echo @@after
binfmt sandbox -- bash "$(dirname "$0")/sandbox-session.sh"
snapshot "$@"
