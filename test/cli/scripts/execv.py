# For test/cli/commands.test.ts: execv(2)s FILE with argv ["f"], so that no
# shell or library retries it with /bin/sh, and prints "exec: ERRNO" if the
# kernel refuses it (when it does not, FILE's own program runs instead).
# usage: python3 execv.py FILE
import errno
import os
import sys

try:
    os.execv(sys.argv[1], ["f"])
except OSError as e:
    print("exec:", errno.errorcode[e.errno])
