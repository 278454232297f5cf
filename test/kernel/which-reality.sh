#!/bin/bash
# For test/kernel/which-reality.test.ts, inside a sandbox: entries whose
# interpreters ($WHO, a program that prints who it is and its argv) say who
# ran; for each file and exec path, one JSON line with what `binfmt which`
# predicts and what the kernel ran.
set -eu
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for n in alpha beta gamma delta ext tgz; do cp "$WHO" "$d/$n"; done
$CLI register --line ":alpha:M::HDR::$d/alpha:" >/dev/null
$CLI register --line ":beta:M:4:\x01\x02:\xff\x0f:$d/beta:P" >/dev/null
$CLI register --line ":gamma:M::HDR1::$d/gamma:O" >/dev/null
$CLI register --line ":delta:M::HDR1X::$d/delta:" >/dev/null
$CLI disable delta >/dev/null
$CLI register --line ":ext:E::bfe::$d/ext:P" >/dev/null
$CLI register --line ":tgz:E::gz::$d/tgz:" >/dev/null
printf 'HDR0' >"$d/f1"; printf 'HDR1' >"$d/f2"; printf 'HDR1X' >"$d/f3"; printf 'xxxx\x01\x72' >"$d/f4"
printf 'HDR0' >"$d/f5.bfe"; printf 'nothing' >"$d/f6.tar.gz"; ln -s "$d/f2" "$d/link.bfe"
chmod +x "$d"/f*
cd "$d"
for f in $d/f1 $d/f2 $d/f3 $d/f4 $d/f5.bfe ./f6.tar.gz $d/link.bfe ./f1; do
  which=$($CLI which "$f" a1 --json --argv0 zz | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0,"utf8"))))')
  ran=$(perl -e 'exec {$ARGV[0]} "zz", "a1" or die "exec: $!"' "$f")
  echo "{\"file\":\"$f\",\"which\":$which,\"ran\":$ran}"
done
# A chain: c1 to c7 are each matched by an entry (k1 to k7) whose interpreter
# is the next file; k7's interpreter is $WHO (as "end"). The kernel follows it
# for at most 5 rewrites: c3 reaches "end", c2 and c1 fail with ELOOP.
cp "$WHO" "$d/end"
for k in 1 2 3 4 5 6 7; do printf "CHAIN%s" "$k" >"$d/c$k"; done
chmod +x "$d"/c*
for k in 1 2 3 4 5 6 7; do
  if [ $k = 7 ]; then next="$d/end"; else next="$d/c$((k + 1))"; fi
  $CLI register --line ":k$k:M::CHAIN$k::$next:" >/dev/null
done
for f in $d/c3 $d/c2 $d/c1 $d/c6; do
  which=$($CLI which "$f" a1 --json --argv0 zz | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0,"utf8"))))')
  ran=$(python3 -c 'import errno, os, sys
try:
    os.execv(sys.argv[1], ["zz", "a1"])
except OSError as e:
    print("{\"errno\":\"%s\"}" % errno.errorcode[e.errno])' "$f")
  echo "{\"file\":\"$f\",\"chain\":true,\"which\":$which,\"ran\":$ran}"
done
