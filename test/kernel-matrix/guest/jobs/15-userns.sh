# Per-user-namespace instances (6.7): can a new user+mount namespace mount
# binfmt_misc of its own? "@@userns yes" or "@@userns no <error>".
mkdir -p /tmp/userns-mnt
if e=$(unshare -U -r -m sh -c 'mount -t binfmt_misc binfmt_misc /tmp/userns-mnt && ls /tmp/userns-mnt/register' 2>&1); then
  echo "@@userns yes"
else
  echo "@@userns no $(echo "$e" | tr '\n' ' ')"
fi
