#!/usr/bin/env bash
# The main job, shown in a private binfmt_misc instance (npm run demo runs this
# inside `binfmt sandbox`): nothing here touches the machine's own entries.
set -euo pipefail
cd "$(dirname "$0")/.."
binfmt() { node dist/cli/binfmt.cjs "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "a private binfmt_misc instance (Linux >= 6.7 user namespaces)"
binfmt status

say "validate: the kernel's verdict and errno, offline, naming field and column"
binfmt validate ':hello:E::hello::/bin/echo:P' ':oops:M:300:AB::/bin/echo:' ':dup:E::x::/bin/echo:PQ' || true

say "register an extension entry with P (argv[0] preserved)"
binfmt register --name hello --extension hello --interpreter /bin/echo --flags P
printf 'any bytes' > "$work/greeting.hello" && chmod +x "$work/greeting.hello"

say "which: the entry the kernel will pick, and the argv the interpreter receives"
binfmt which "$work/greeting.hello" one two
say "and the kernel agrees:"
"$work/greeting.hello" one two

say "safety guard: an entry that would capture every 64-bit ELF program is refused"
binfmt register --line ':all-elf:M::\x7fELF\x02::/bin/echo:' || echo "(refused, exit $?)"

say "list in match order, then disable, enable and remove"
binfmt register --line ':magic-hi:M::any::/bin/echo:' >/dev/null
binfmt list
binfmt disable hello && binfmt enable hello && binfmt remove hello magic-hi
binfmt list

say "the chainloader: SLUL's .slulb (position-independent ELF, no PT_INTERP) run directly"
printf '#include <stdio.h>\nint main(int c, char **v) { for (int i = 0; i < c; i++) printf("argv[%%d]=%%s\\n", i, v[i]); return 0; }\n' > "$work/hello.c"
gcc -fPIE -pie -Wl,--no-dynamic-linker -o "$work/hello.slulb" "$work/hello.c"
binfmt inspect "$work/hello.slulb" | head -3
binfmt register slulb --loader-dir "$work/loaders"
"$work/hello.slulb" one 'two words'

say "another CPU: emulate registers qemu-user for arm64, never for what the CPU runs itself"
printf '#include <stdio.h>\n#include <sys/utsname.h>\nint main(void) { struct utsname u; uname(&u); printf("hello from %%s\\n", u.machine); return 0; }\n' > "$work/arch.c"
aarch64-linux-gnu-gcc -static -o "$work/hello-arm64" "$work/arch.c"
binfmt emulate arm64 amd64 --emulator-dir .cache/debs/qemu-user-static/usr/bin
"$work/hello-arm64"
binfmt emulate --status | grep -E 'native|emulated'

say "done: everything above lived in a private instance and is gone now"
