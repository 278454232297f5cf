# The CLI on the VM's own binfmt_misc (this kernel may have no per-namespace
# instances): the machine's node runs dist/ from /opt/binfmt. Lines:
# "@@C NAME STATUS OUTPUT" with the output's newlines as \037.
if [ -x /usr/bin/node ]; then
  echo "@@cli-begin"
  B="/usr/bin/node /opt/binfmt/dist/cli/binfmt.cjs"
  c() {
    n=$1; shift
    o=$("$@" 2>&1); s=$?
    echo "@@C $n $s $(printf '%s' "$o" | tr '\n' '\037' | head -c 3000)"
  }
  m=/proc/sys/fs/binfmt_misc
  echo 'not a program' >/tmp/x.kt && chmod 755 /tmp/x.kt
  c sandbox $B sandbox -- true
  # Emulators in a user namespace's own instance (--pid, --podman) need 6.7;
  # --podman is rootless podman's, so root is sent to the machine's instance.
  c emulate-pid $B emulate --pid 1 aarch64
  c emulate-podman $B emulate --podman aarch64
  c doctor $B doctor --no-probe
  c register $B register --line ':kt:E::kt::/t/p/status:'
  c list $B list
  c show $B show kt
  c disable $B disable kt
  c exec-disabled /t/spawn my /tmp/x.kt a 5
  c enable $B enable kt
  c exec /t/spawn my /tmp/x.kt a 5
  c remove $B remove kt
  c list-after $B list --json
  # The validator's verdict for the running kernel next to the kernel's own.
  c validate sh -c "printf 'PxPEPPzPP/bin/shP\n' | $B validate --stdin -z --json"
  c kernel-write sh -c "printf 'PxPEPPzPP/bin/shP\n' >$m/register"
  echo "@@cli-end"
fi
