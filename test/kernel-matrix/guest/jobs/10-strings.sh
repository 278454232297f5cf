# The register-string differential: every record of /t/strings.bin, one write each.
if [ -f /t/strings.bin ]; then
  echo "@@strings-begin"
  /t/regtest /t/strings.bin /proc/sys/fs/binfmt_misc | sed 's/^/@@s /'
  echo "@@strings-end $?"
fi
