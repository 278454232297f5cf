#!/bin/bash
# For test/kernel/sandbox.test.ts, as root in a private mount namespace (the caller
# runs it under unshare --mount): gives this namespace a /run/binfmt holding
# root's ownership state and lock, a root-owned /etc/binfmt.d (one file
# anybody may read, one only root may) and a root-owned loader copy, then runs
# `binfmt sandbox` as the ordinary user USER_ID (TMPDIR: WORK, which that user
# owns) with sandbox-user-session.sh, and prints root's state afterwards.
# usage: sandbox-as-user.sh USER_ID WORK CLI
set -eu
uid=$1 work=$2 cli=$3
here=$(dirname "$0")
mount -t tmpfs -o mode=0755 host-run /run
mkdir /run/binfmt
printf '{"version":1,"mount":"/proc/sys/fs/binfmt_misc","instance":"1:2","entries":[]}\n' \
  >/run/binfmt/proc-sys-fs-binfmt_misc.json
echo 1 >/run/binfmt/proc-sys-fs-binfmt_misc.json.lock
mount -t tmpfs -o mode=0755 host-binfmt.d /etc/binfmt.d
echo ':sbx-user:E::sbxuser::/bin/true:' >/etc/binfmt.d/user.conf
echo ':sbx-secret:E::sbxsecret::/bin/true:' >/etc/binfmt.d/secret.conf
chmod 0600 /etc/binfmt.d/secret.conf
mount -t tmpfs -o mode=0755 host-lib /usr/local/lib
mkdir -p /usr/local/lib/binfmt/loaders
echo host >/usr/local/lib/binfmt/loaders/slulb
setpriv --reuid="$uid" --regid="$uid" --clear-groups env TMPDIR="$work" HOME="$work" \
  node "$cli" sandbox -- bash "$here/sandbox-user-session.sh" "node $cli" "$work"
echo "@@host"
find /run/binfmt /etc/binfmt.d /usr/local/lib/binfmt -printf '%p %U %m\n' | sort
cat /run/binfmt/proc-sys-fs-binfmt_misc.json /usr/local/lib/binfmt/loaders/slulb
