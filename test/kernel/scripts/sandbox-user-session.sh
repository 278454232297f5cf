#!/bin/bash
# For sandbox-as-user.sh, inside `binfmt sandbox` run by an ordinary user:
# shows what each private place starts with, then changes each of them with
# apply, plan, register, reorder, import and persist, printing
# "@@ COMMAND exit STATUS" after each.
# usage: sandbox-user-session.sh BINFMT WORK
# No set -e: a step that fails is reported by its status, and the next runs.
set -u
binfmt=$1 work=$2
step() {
  $binfmt "$@"
  echo "@@ $1 exit $?"
}
echo "@@start"
ls -A /run/binfmt /usr/local/lib/binfmt /etc/binfmt.d
echo "@@session"
printf 'package sbx-imported\ninterpreter /bin/true\nextension sbximp\n' >"$work/F"
step apply
step plan
step register --line ':sbx-reg:E::sbxreg::/bin/true:'
step reorder sbx-reg --before sbx-user --force
step import "$work/F"
step persist sbx-reg
step register slulb
if echo edited >>/etc/binfmt.d/user.conf; then rc=0; else rc=1; fi
echo "@@ edit exit $rc"
