/*
 * Self-relocation of the static-PIE loader.
 *
 * loader.ld leaves the loader no writable data, so a correct build has no
 * relocations at all (the build test checks readelf -r) and there is nothing
 * to apply: a relocation would have to write into the read-only image. This
 * stage checks that, so a miscompiled loader fails with one line instead of
 * crashing on a pointer that was never relocated.
 *
 * Stage 1: runs first, before any pointer-valued constant is read. May only
 * use PC-relative addresses and locals.
 */
#ifndef BINFMT_LOADER_RELOC_H
#define BINFMT_LOADER_RELOC_H

#include <stdint.h>

/* The loader's own load address (its ELF header). */
uintptr_t reloc_base(void);
/* 0 when the image needs no relocation, -1 otherwise. */
int reloc_self(void);

#endif
