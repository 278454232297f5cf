#!/bin/sh
# Drops what the kernel never reads from a linked loader: the section headers
# and their string table, which follow the one PT_LOAD. Cuts the file at the
# end of its last segment and clears e_shoff, e_shnum and e_shstrndx (offsets
# 40, 60, 62 of the ELF64 header), as `objcopy --strip-section-headers`
# (binutils 2.41, newer than Debian 12's) does. Usage: trim.sh FILE
set -eu
f=$1
end=0
for seg in $(readelf -lW "$f" | awk '$1 == "LOAD" { print $2 ":" $5 }'); do
	e=$((${seg%%:*} + ${seg##*:}))
	[ "$e" -gt "$end" ] && end=$e
done
[ "$end" -gt 64 ]
truncate -s "$end" "$f"
printf '\000\000\000\000\000\000\000\000' | dd of="$f" bs=1 seek=40 conv=notrunc status=none
printf '\000\000\000\000' | dd of="$f" bs=1 seek=60 conv=notrunc status=none
