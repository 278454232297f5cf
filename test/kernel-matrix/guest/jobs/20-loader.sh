# The loader as a binfmt_misc interpreter: one entry per flag set, matched by
# extension through symlinks; every program run directly and through each.
# Lines: "@@L TAG JSON" (the probe's view) and "@@X TAG HOW" (how it ended).
# Flag sets ending in "s" use /t/binfmt-loader-p, a copy stamped as serving a
# P entry: it needs no AT_FLAGS bit, which kernels before 5.12 do not set.
if [ -x /t/binfmt-loader ]; then
  echo "@@loader-begin"
  m=/proc/sys/fs/binfmt_misc
  i=0
  sets="none P O PO F POF C"
  [ -x /t/binfmt-loader-p ] && sets="$sets Ps POs POFs"
  for f in $sets; do
    fl=${f%s} ldr=/t/binfmt-loader
    [ "$fl" != "$f" ] && ldr=/t/binfmt-loader-p
    [ "$f" = none ] && fl=
    echo ":lt$i:E::bf$i::$ldr:$fl" >$m/register || echo "@@X register:$f failed"
    for p in /t/p/*; do ln -s "$p" "/tmp/$(basename "$p").bf$i"; done
    i=$((i + 1))
  done
  run() {
    tag=$1; shift
    r=$(env -i PROBE=yes /t/spawn "$@")
    echo "@@L $tag $(echo "$r" | head -n 1)"
    echo "@@X $tag $(echo "$r" | tail -n 1)"
  }
  for p in /t/p/*; do
    n=$(basename "$p")
    run "direct:$n" myname "$p" one 'two words' 7
    run "cmd:$n" loader /t/binfmt-loader --argv0 myname -- "$p" one 'two words' 7
    i=0
    for f in $sets; do
      run "$f:$n" myname "/tmp/$n.bf$i" one 'two words' 7
      i=$((i + 1))
    done
  done
  echo "@@loader-end"
fi
